/**
 * What an operand's text is, before asking whether it suits the instruction: a register, a memory
 * operand `offset(register)`, an expression (folded to a constant when it can be), or something only
 * the preprocessor or a macro expansion will decide (`\arg`, `CSR_READ(x)`, `a ## b`), which the
 * checks must leave alone.
 */
import { ExprToken, evaluate, isMalformed, normalizeForRv32, tokenizeExpression } from './expression';
import { registerByName } from './instruction-set';
import type { Constants } from './constants';

export interface Expression {
  readonly text: string;
  readonly tokens: readonly ExprToken[];
  /** The folded value, normalised as the RV32 assembler reads it; undefined if not a constant. */
  readonly value: bigint | undefined;
  /** Written with a relocation operator such as %lo: the linker fills it in. */
  readonly relocation: boolean;
  readonly malformed: boolean;
}

export type Operand =
  | { readonly kind: 'register'; readonly number: number; readonly text: string }
  | { readonly kind: 'memory'; readonly base: number | undefined; readonly baseText: string; readonly offset: Expression | undefined }
  | { readonly kind: 'expression'; readonly expression: Expression }
  | { readonly kind: 'opaque' }
  | { readonly kind: 'empty' };

/** How many #defines deep a substitution may go (a define naming a define naming a register). */
const MAX_SUBSTITUTIONS = 8;

export function expressionOf(text: string, constants: Constants, tokens = tokenizeExpression(text, 0, text.length)): Expression {
  const value = evaluate(tokens, constants.valueOf);
  return {
    text, tokens,
    value: value === undefined ? undefined : normalizeForRv32(value),
    relocation: tokens.some((t) => t.t === 'reloc'),
    malformed: isMalformed(tokens),
  };
}

/** A plain integer, `-12` or `0x1f` (the common operand, read without the general tokenizer). */
const INTEGER = /^(-?)(0[xX][0-9a-fA-F]+|[1-9][0-9]*|0)$/;
const IDENTIFIER = /^[A-Za-z_.$][\w.$]*$/;
/** `12(sp)` or `(a0)`. */
const SIMPLE_MEMORY = /^(-?(?:0[xX][0-9a-fA-F]+|[1-9][0-9]*|0))?\(\s*([a-z][a-z0-9]*)\s*\)$/;

function integerExpression(text: string, sign: string, digits: string): Expression {
  const magnitude = BigInt(digits);
  const value = sign ? -magnitude : magnitude;
  const n = text.length;
  const tokens: ExprToken[] = sign
    ? [{ t: 'op', op: '-', start: 0, end: 1 }, { t: 'num', value: magnitude, start: 1, end: n }]
    : [{ t: 'num', value, start: 0, end: n }];
  return { text, tokens, value: normalizeForRv32(value), relocation: false, malformed: false };
}

export function classifyOperand(text: string, constants: Constants, depth = 0): Operand {
  if (text.length === 0) return { kind: 'empty' };
  const register = registerByName(text);
  if (register !== undefined) return { kind: 'register', number: register, text };
  const integer = INTEGER.exec(text);
  if (integer) return { kind: 'expression', expression: integerExpression(text, integer[1], integer[2]) };
  const simple = text.charCodeAt(text.length - 1) === 41 /* ) */ ? SIMPLE_MEMORY.exec(text) : null;
  if (simple) {
    const base = registerByName(simple[2]);
    if (base !== undefined) {
      const offset = simple[1] === undefined ? undefined : INTEGER.exec(simple[1])!;
      return { kind: 'memory', base, baseText: simple[2], offset: offset && integerExpression(simple[1], offset[1], offset[2]) };
    }
  }
  if (text.includes('\\') || text.includes('##')) return { kind: 'opaque' };
  if (IDENTIFIER.test(text) && constants.defineText(text) === undefined) {
    const value = constants.valueOf(text);
    return {
      kind: 'expression',
      expression: {
        text, tokens: [{ t: 'sym', name: text, start: 0, end: text.length }],
        value: value === undefined ? undefined : normalizeForRv32(value), relocation: false, malformed: false,
      },
    };
  }
  const tokens = tokenizeExpression(text, 0, text.length);
  // Replace object-like #defines (`#define TMP t0`) by their text, as the preprocessor will.
  if (depth < MAX_SUBSTITUTIONS && tokens.some((t) => t.t === 'sym' && constants.defineText(t.name) !== undefined)) {
    let substituted = '';
    let at = 0;
    for (const t of tokens) {
      if (t.t !== 'sym') continue;
      const replacement = constants.defineText(t.name);
      if (replacement === undefined) continue;
      substituted += text.slice(at, t.start) + replacement;
      at = t.end;
    }
    return classifyOperand((substituted + text.slice(at)).trim(), constants, depth + 1);
  }
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i];
    // NAME(x) right after a name is a function-like macro call, unless x is a register (sym(a0)).
    if (t.t === 'sym' && tokens[i + 1].t === '(' && tokens[i + 1].start === t.end) {
      const inner = tokens[i + 2];
      const isBase = inner?.t === 'sym' && registerByName(inner.name) !== undefined && tokens[i + 3]?.t === ')';
      if (!isBase || constants.isFunctionLikeMacro(t.name)) return { kind: 'opaque' };
    }
  }
  const memory = memoryOperand(text, tokens, constants);
  if (memory) return memory;
  return { kind: 'expression', expression: expressionOf(text, constants, tokens) };
}

/** `offset(base)` or `(base)`; undefined if the text is not shaped like one. */
function memoryOperand(text: string, tokens: readonly ExprToken[], constants: Constants): Operand | undefined {
  const n = tokens.length;
  if (n < 3 || tokens[n - 1].t !== ')' || tokens[n - 3].t !== '(') return undefined;
  const inner = tokens[n - 2];
  if (inner.t !== 'sym') return undefined;
  const before = tokens[n - 4];
  // `%lo(sym)` is an expression: the parenthesis belongs to the relocation operator.
  if (before?.t === 'reloc') return undefined;
  const base = registerByName(inner.name);
  const offsetText = text.slice(0, tokens[n - 3].start).trim();
  // `(foo)` alone, foo not a register, is a parenthesised expression.
  if (base === undefined && offsetText === '') return undefined;
  return {
    kind: 'memory', base, baseText: inner.name,
    offset: offsetText === '' ? undefined : expressionOf(offsetText, constants),
  };
}
