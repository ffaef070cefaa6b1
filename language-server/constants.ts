/**
 * The constants an operand can use: `.equ`/`.set`/`=` symbols of the same file and object-like
 * `#define`s of the file and its includes. The assembler folds these into immediates, so the range
 * check must too (`.equ BIG, 5000` then `addi a0, a0, BIG` is out of range). A name defined twice
 * with different values (`.set i, i + 1` in a loop, or one #define per #if branch) has no known value.
 */
import { evaluate, tokenizeExpression } from './expression';
import type { SymbolDefinition } from './parsed-document';

export interface Constants {
  /** The value of a constant symbol, or undefined if it is not one (or its value is ambiguous). */
  valueOf(name: string): bigint | undefined;
  /** The replacement text of an object-like #define with one definition. */
  defineText(name: string): string | undefined;
  /** True for a #define with parameters, `NAME(x)`. */
  isFunctionLikeMacro(name: string): boolean;
}

/** Builds the constants of a file from its definitions and those of the headers it includes. */
export function constantsOf(definitions: Iterable<SymbolDefinition>): Constants {
  const texts = new Map<string, string | null>();   // null: ambiguous
  const defines = new Map<string, string | null>();
  const functionLike = new Set<string>();
  const note = (map: Map<string, string | null>, name: string, value: string) => {
    const previous = map.get(name);
    map.set(name, previous === undefined || previous === value ? value : null);
  };
  for (const def of definitions) {
    if (def.kind === 'equate' && def.value !== undefined) note(texts, def.name, def.value);
    if (def.kind === 'define') {
      if (def.functionLike) functionLike.add(def.name);
      else {
        note(texts, def.name, def.value ?? '');
        note(defines, def.name, def.value ?? '');
      }
    }
  }
  const values = new Map<string, bigint | undefined>();
  const evaluating = new Set<string>();
  const valueOf = (name: string): bigint | undefined => {
    if (values.has(name)) return values.get(name);
    const text = texts.get(name);
    if (text === undefined || text === null || evaluating.has(name)) return undefined;
    evaluating.add(name);
    const value = evaluate(tokenizeExpression(text, 0, text.length), valueOf);
    evaluating.delete(name);
    values.set(name, value);
    return value;
  };
  return {
    valueOf,
    defineText: (name) => defines.get(name) ?? undefined,
    isFunctionLikeMacro: (name) => functionLike.has(name),
  };
}
