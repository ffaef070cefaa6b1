/**
 * Type names as written in casts and `sizeof`: C's own (`unsigned char`, `long long`, `int32_t`) and the
 * program's (`struct account`, `enum colour`, typedefs), followed by any number of `*`.
 */
import { TypeInfo } from '../symbols/api';
import { BUILTIN_TYPES } from '../values/types';
import { ValueContext, ValueError } from '../values/value';

const QUALIFIERS = new Set(['const', 'volatile', 'restrict']);
const KEYWORDS = new Set(['struct', 'union', 'enum', 'signed', 'unsigned', 'short', 'long', 'int', 'char', 'float', 'double', 'void', '_Bool']);

export class ProgramTypes {
  private named?: Map<string, TypeInfo>;

  constructor(private readonly ctx: ValueContext, private readonly text: string) {}

  /** Whether a type name can start with this token (so `(` begins a cast, not a parenthesis). */
  startsType(token: string | undefined): boolean {
    if (token === undefined) return false;
    return QUALIFIERS.has(token) || KEYWORDS.has(token) || token in BUILTIN_TYPES || this.namedTypes().has(token);
  }

  /** The type named by the tokens from `start`, and how many tokens it took. */
  parse(tokens: readonly string[], start: number): { type: TypeInfo; used: number } {
    let i = start;
    const words: string[] = [];
    while (i < tokens.length && /^[A-Za-z_]/.test(tokens[i])) {
      const w = tokens[i];
      // A typedef name ends the type's words (`uint32_t x` is not one name); keywords combine.
      if (words.length > 0 && !KEYWORDS.has(w) && !QUALIFIERS.has(w) && !['struct', 'union', 'enum'].includes(words[words.length - 1])) break;
      i++;
      if (!QUALIFIERS.has(w)) words.push(w);
    }
    let type = this.lookup(words);
    while (i < tokens.length && (tokens[i] === '*' || QUALIFIERS.has(tokens[i]))) {
      if (tokens[i] === '*') type = { kind: 'pointer', size: 4, target: type };
      i++;
    }
    if (tokens[i] === '(' || tokens[i] === '[') throw new ValueError(`unsupported: function-pointer and array type names in ${this.text}; cast to a plain pointer instead, e.g. (int *)`);
    return { type, used: i - start };
  }

  private lookup(words: string[]): TypeInfo {
    // C lets "int" be implied and allows several spellings of one type.
    const name = words.filter((w, k) => !(w === 'int' && words.length > 1 && k > 0)).join(' ').replace(/^signed (?!char$)/, '');
    const builtin = BUILTIN_TYPES[name] ?? BUILTIN_TYPES[words.join(' ')];
    if (builtin) return builtin;
    const named = this.namedTypes().get(name);
    if (named) return named;
    if (name === '') throw new ValueError(`a type name is missing in ${this.text}`);
    throw new ValueError(`unknown type "${name}" in ${this.text}; the program's types are ${[...this.namedTypes().keys()].slice(0, 12).join(', ') || 'none (no debug information)'}`);
  }

  /** Struct, union, enum and typedef names reachable from the globals and this frame's locals. */
  private namedTypes(): Map<string, TypeInfo> {
    if (this.named) return this.named;
    const named = new Map<string, TypeInfo>();
    const seen = new Set<TypeInfo>();
    const visit = (t: TypeInfo | undefined): void => {
      if (!t || seen.has(t)) return;
      seen.add(t);
      switch (t.kind) {
        case 'typedef': named.set(t.name, t); visit(t.target); break;
        case 'struct': case 'union': if (t.name) named.set(`${t.kind} ${t.name}`, t); t.members.forEach((m) => visit(m.type)); break;
        case 'enum': if (t.name) named.set(`enum ${t.name}`, t); break;
        case 'pointer': visit(t.target); break;
        case 'array': visit(t.element); break;
        default: break;
      }
    };
    const { symbols, frame } = this.ctx;
    if (symbols) {
      for (const v of symbols.globals()) visit(v.type);
      if (frame) for (const v of symbols.localsAt(frame)) visit(v.type);
    }
    this.named = named;
    return named;
  }
}
