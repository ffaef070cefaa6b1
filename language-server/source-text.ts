/**
 * The character-level pieces of reading assembly source: lines as LSP counts them, character classes by
 * table, and interned names. Shared by the parser and the operand splitter.
 */

/** Splits text into lines the way LSP counts them (\n, \r\n and a lone \r all end a line). */
export const splitLines = (text: string): string[] => text.split(/\r\n|\r|\n/);

/**
 * Character classes by table rather than by function: the scanning loops below run for every character
 * of a file, often before the JIT has compiled them, when a function call per character costs more than
 * the test. Out-of-range codes read `undefined`, which masks to 0.
 */
export const SPACE = 1;
export const IDENT_START = 2;
export const DIGIT = 4;
export const IDENT_PART = IDENT_START | DIGIT;
export const CLASS = new Uint8Array(128);
CLASS[32] = CLASS[9] = SPACE;
for (let c = 0; c < 128; c++) {
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 36) CLASS[c] = IDENT_START;
  if (c >= 48 && c <= 57) CLASS[c] = DIGIT;
}

/** True if `text[from, to)` holds a quote, `;` or `/` (a possible comment): the line needs the careful scan. */
export function hasSpecial(text: string, from: number, to: number): boolean {
  for (const c of ['"', '\'', ';', '/']) {
    const at = text.indexOf(c, from);
    if (at >= 0 && at < to) return true;
  }
  return false;
}

export const allDigits = (code: string, from: number, to: number): boolean => {
  for (let i = from; i < to; i++) if (!(CLASS[code.charCodeAt(i)] & DIGIT)) return false;
  return true;
};

/** Names are kept once each (`addi` on ten thousand lines is one string), to keep the index small. */
const names = new Map<string, string>();
export function intern(name: string): string {
  const known = names.get(name);
  if (known !== undefined) return known;
  if (names.size < 10000) names.set(name, name);
  return name;
}
