/**
 * The words of a C expression as gdb reads them: numbers in any base (0x1f, 0b101, 017, 42u, 1.5),
 * character literals ('a', '\n'), names, `$registers` and operators. Operators we cannot honour
 * (assignments, string literals) are still read as tokens so that the parser can say why they are
 * refused instead of "cannot read".
 */
import { TypeInfo } from '../symbols/api';
import { BUILTIN_TYPES, INT, UNSIGNED } from '../values/types';
import { immediate, Value, ValueError } from '../values/value';

const TOKEN = new RegExp([
  String.raw`'(?:\\.|[^'\\])+'`,                         // character literal
  String.raw`"(?:\\.|[^"\\])*"`,                         // string literal (refused by the parser)
  String.raw`0[xX][0-9a-fA-F]+[uUlL]*`,
  String.raw`0[bB][01]+[uUlL]*`,
  String.raw`\d+\.\d*(?:[eE][-+]?\d+)?[fF]?|\.\d+(?:[eE][-+]?\d+)?[fF]?|\d+[eE][-+]?\d+[fF]?`,
  String.raw`\d+[uUlL]*`,
  String.raw`\$?[A-Za-z_][A-Za-z0-9_]*`,
  String.raw`->|\+\+|--|<<=|>>=|[-+*/%&|^]=|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^~!<>()[\].,=?:@{}]`,
].map((p) => `(?:${p})`).join('|'), 'y');

export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && /\s/.test(text[pos])) pos++;
    if (pos >= text.length) return tokens;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) throw new ValueError(`cannot read "${text.slice(pos).trim()}" in the expression ${text}`);
    tokens.push(m[0]);
    pos = TOKEN.lastIndex;
  }
}

export const isNumberToken = (t: string): boolean => /^(\d|\.\d)/.test(t);
export const isCharToken = (t: string): boolean => t.startsWith("'");
export const isStringToken = (t: string): boolean => t.startsWith('"');

const LONG_LONG: TypeInfo = BUILTIN_TYPES['long long'];
const UNSIGNED_LONG_LONG: TypeInfo = BUILTIN_TYPES['unsigned long long'];

/** A number literal as C types it on RV32 (int, unsigned int, long long, double). */
export function numberLiteral(token: string): Value {
  if (/[.eE]/.test(token) && !/^0[xX]/.test(token)) {
    const n = Number(token.replace(/[fF]$/, ''));
    if (Number.isNaN(n)) throw new ValueError(`"${token}" is not a number`);
    return immediate(BUILTIN_TYPES.double, n);
  }
  const suffix = /[uUlL]*$/.exec(token)![0].toLowerCase();
  const digits = token.slice(0, token.length - suffix.length);
  let n: bigint;
  if (/^0[xX]/.test(digits)) n = BigInt(digits);
  else if (/^0[bB]/.test(digits)) n = BigInt(digits);
  else if (digits.length > 1 && digits.startsWith('0')) {
    if (/[89]/.test(digits)) throw new ValueError(`"${token}" is not an octal number (a leading 0 means octal in C; 8 and 9 are not octal digits)`);
    n = BigInt(`0o${digits.slice(1)}`);
  } else n = BigInt(digits);
  const unsigned = suffix.includes('u');
  const decimal = !/^0/.test(digits) || digits === '0';
  // C's rule: the first type of int, unsigned int (not for unsuffixed decimals), long long, unsigned long long that holds it.
  let type: TypeInfo;
  if (!unsigned && n <= 0x7fffffffn && !suffix.includes('ll')) type = INT;
  else if ((unsigned || !decimal) && n <= 0xffffffffn && !suffix.includes('ll')) type = UNSIGNED;
  else if (!unsigned && n <= 0x7fffffffffffffffn) type = LONG_LONG;
  else if (n <= 0xffffffffffffffffn) type = UNSIGNED_LONG_LONG;
  else throw new ValueError(`${token} is too large for any C integer type (64 bits at most)`);
  // Values are exact up to 2^53 here: a larger literal would be rounded without a word, so it is refused.
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new ValueError(`${token} is too large to compute with exactly (the most is ${Number.MAX_SAFE_INTEGER}, 2^53 - 1)`);
  return immediate(type, Number(n));
}

const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, a: 7, b: 8, f: 12, v: 11, e: 27, '\\': 92, "'": 39, '"': 34, '?': 63 };

/** 'a', '\n', '\x41', '\101' as a char value. */
export function charLiteral(token: string): Value {
  const body = token.slice(1, -1);
  let code: number | undefined;
  if (body.length === 1) code = body.charCodeAt(0);
  else if (body.startsWith('\\x')) code = parseInt(body.slice(2), 16);
  else if (/^\\[0-7]{1,3}$/.test(body)) code = parseInt(body.slice(1), 8);
  else if (body.length === 2 && body[0] === '\\') code = ESCAPES[body[1]];
  if (code === undefined || Number.isNaN(code) || code > 0xff) throw new ValueError(`${token} is not a single character`);
  return immediate(BUILTIN_TYPES.char, code);
}
