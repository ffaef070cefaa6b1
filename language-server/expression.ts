/**
 * GNU as expressions, as they appear in operands: tokens (with their columns, so that a diagnostic or a
 * reference points at the symbol itself) and constant evaluation with the assembler's own precedence,
 * which is not C's: `<<` binds as tightly as `*`, and `+` more loosely than `&`.
 */

export type ExprToken =
  | { readonly t: 'num'; readonly value: bigint; readonly start: number; readonly end: number }
  | { readonly t: 'sym'; readonly name: string; readonly start: number; readonly end: number }
  /** `1b` / `1f`: the nearest local numeric label `1:` before / after this statement. */
  | { readonly t: 'local'; readonly label: string; readonly direction: 'b' | 'f'; readonly start: number; readonly end: number }
  /** `%hi` etc.; the name is without `%`. */
  | { readonly t: 'reloc'; readonly name: string; readonly start: number; readonly end: number }
  | { readonly t: 'op'; readonly op: string; readonly start: number; readonly end: number }
  | { readonly t: '(' | ')'; readonly start: number; readonly end: number }
  | { readonly t: 'str'; readonly start: number; readonly end: number }
  /** Anything the assembler would not read as an expression (`@function`, stray punctuation). */
  | { readonly t: 'bad'; readonly start: number; readonly end: number };

/**
 * One token per match, whitespace skipped: %relocation, symbol, number-like word (a number, or a local
 * label reference such as `1f`), character constant, string, operator, anything else.
 */
const TOKEN = /[ \t]*(?:(%[A-Za-z_][\w.$]*)|([A-Za-z_.$][\w.$]*)|(\d[\w$]*)|('(?:\\.|[^\\])'?)|("(?:[^"\\]|\\.)*"?)|(<<|>>|==|!=|<>|<=|>=|&&|\|\||[-+*/%&|^~!<>()])|(\S))/y;
const LOCAL = /^(\d+)([bf])$/;
const NUMBER = /^(?:0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const OCTAL = /^0[0-7]+$/;
const ESCAPES: Readonly<Record<string, number>> = { n: 10, t: 9, r: 13, '0': 0, b: 8, f: 12, v: 11, a: 7 };

/** The value of a character constant `'c`, `'c'` or `'\n'`. */
function charValue(text: string): bigint {
  if (text.charCodeAt(1) === 92 /* \ */ && text.length > 2) return BigInt(ESCAPES[text[2]] ?? text.charCodeAt(2));
  return text.length > 1 ? BigInt(text.charCodeAt(1)) : 0n;
}

/** Tokenizes `text[from, to)`; token columns are indices into `text` (the whole line). */
export function tokenizeExpression(text: string, from: number, to: number): ExprToken[] {
  const tokens: ExprToken[] = [];
  TOKEN.lastIndex = from;
  while (TOKEN.lastIndex < to) {
    const m = TOKEN.exec(text);
    if (m === null) break;
    const end = TOKEN.lastIndex;
    if (end > to) {
      // A token running past the operand (only a quote can): the rest is not an expression.
      if (text.slice(m.index, to).trim() !== '') tokens.push({ t: 'bad', start: to - 1, end: to });
      break;
    }
    const word = m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? m[6] ?? m[7];
    const start = end - word.length;
    if (m[1] !== undefined) {
      tokens.push({ t: 'reloc', name: word.slice(1), start, end });
    } else if (m[2] !== undefined) {
      tokens.push({ t: 'sym', name: word, start, end });
    } else if (m[3] !== undefined) {
      const local = LOCAL.exec(word);
      if (local && !/^0b[01]+$/i.test(word)) {
        tokens.push({ t: 'local', label: local[1], direction: local[2] as 'b' | 'f', start, end });
      } else if (NUMBER.test(word)) {
        // BigInt reads 0x and 0b; a leading 0 means octal to the assembler.
        tokens.push({ t: 'num', value: OCTAL.test(word) ? BigInt('0o' + word.slice(1)) : BigInt(word), start, end });
      } else {
        tokens.push({ t: 'bad', start, end });
      }
    } else if (m[4] !== undefined) {
      tokens.push({ t: 'num', value: charValue(word), start, end });
    } else if (m[5] !== undefined) {
      tokens.push({ t: 'str', start, end });
    } else if (m[6] !== undefined) {
      if (word === '(' || word === ')') tokens.push({ t: word, start, end });
      else tokens.push({ t: 'op', op: word, start, end });
    } else {
      tokens.push({ t: 'bad', start, end });
    }
  }
  return tokens;
}

/** Binary operator precedence in GNU as (higher binds tighter). */
const PRECEDENCE: Record<string, number> = {
  '*': 4, '/': 4, '%': 4, '<<': 4, '>>': 4,
  '|': 3, '&': 3, '^': 3, '!': 3,
  '+': 2, '-': 2, '==': 2, '!=': 2, '<>': 2, '<': 2, '>': 2, '<=': 2, '>=': 2,
  '&&': 1, '||': 1,
};

/** The value of a symbol for constant folding, or undefined when it is not a known constant. */
export type SymbolValue = (name: string) => bigint | undefined;

const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);

/**
 * Evaluates a token list to a constant, the way the assembler folds it (64-bit two's complement), or
 * returns undefined when it depends on an address, a relocation or an unknown symbol, or is malformed.
 */
export function evaluate(tokens: readonly ExprToken[], valueOf: SymbolValue): bigint | undefined {
  let pos = 0;
  let failed = false;

  const primary = (): bigint | undefined => {
    const tok = tokens[pos++];
    if (tok === undefined) { failed = true; return undefined; }
    switch (tok.t) {
      case 'num': return tok.value;
      case 'sym': return valueOf(tok.name);
      case '(': {
        const v = binary(0);
        if (tokens[pos]?.t !== ')') failed = true; else pos++;
        return v;
      }
      case 'op': {
        const v = primary();
        if (v === undefined) return undefined;
        if (tok.op === '-') return wrap(-v);
        if (tok.op === '~') return wrap(~v);
        if (tok.op === '!') return v === 0n ? 1n : 0n;
        if (tok.op === '+') return v;
        failed = true;
        return undefined;
      }
      case 'reloc': {
        // %hi(x) is filled in by the linker: never a constant here; still consume its parenthesis.
        if (tokens[pos]?.t === '(') { pos++; binary(0); if (tokens[pos]?.t === ')') pos++; }
        return undefined;
      }
      default:
        if (tok.t === 'bad' || tok.t === ')' || tok.t === 'str') failed = true;
        return undefined;
    }
  };

  const binary = (minPrecedence: number): bigint | undefined => {
    let left = primary();
    for (;;) {
      const tok = tokens[pos];
      if (tok === undefined || tok.t !== 'op') return left;
      const p = PRECEDENCE[tok.op];
      if (p === undefined || p < minPrecedence) return left;
      pos++;
      const right = binary(p + 1);
      left = left === undefined || right === undefined ? undefined : apply(tok.op, left, right);
    }
  };

  const apply = (op: string, a: bigint, b: bigint): bigint | undefined => {
    switch (op) {
      case '*': return wrap(a * b);
      case '/': return b === 0n ? undefined : wrap(a / b);
      case '%': return b === 0n ? undefined : wrap(a % b);
      case '<<': return b < 0n || b > 63n ? 0n : wrap(a << b);
      case '>>': return b < 0n || b > 63n ? 0n : wrap(a >> b);
      case '|': return a | b;
      case '&': return a & b;
      case '^': return a ^ b;
      case '!': return wrap(a | ~b);
      case '+': return wrap(a + b);
      case '-': return wrap(a - b);
      // The assembler's comparisons yield -1 for true.
      case '==': return a === b ? -1n : 0n;
      case '!=': case '<>': return a !== b ? -1n : 0n;
      case '<': return a < b ? -1n : 0n;
      case '>': return a > b ? -1n : 0n;
      case '<=': return a <= b ? -1n : 0n;
      case '>=': return a >= b ? -1n : 0n;
      case '&&': return a !== 0n && b !== 0n ? 1n : 0n;
      case '||': return a !== 0n || b !== 0n ? 1n : 0n;
      default: return undefined;
    }
  };

  const value = binary(0);
  if (failed || pos !== tokens.length) return undefined;
  return value;
}

/**
 * The assembler for RV32 reads a constant in 0..0xffffffff as a signed 32-bit number (so `andi a0, a0,
 * 0xffffffff` means -1); other values stay as they are. Range checks apply to this normalised value.
 */
export function normalizeForRv32(v: bigint): bigint {
  return v >= 0n && v <= 0xffffffffn ? BigInt.asIntN(32, v) : v;
}

/** True when the tokens could not be an expression at all (a stray `@`, unbalanced parentheses). */
export function isMalformed(tokens: readonly ExprToken[]): boolean {
  let depth = 0;
  for (const tok of tokens) {
    if (tok.t === 'bad' || tok.t === 'str') return true;
    if (tok.t === '(') depth++;
    if (tok.t === ')' && --depth < 0) return true;
  }
  return depth !== 0 || tokens.length === 0;
}
