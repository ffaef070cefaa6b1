/**
 * Which names to show inline while stopped (as CodeLLDB does): the identifiers and member chains
 * (`a->next`, `bank.posted`) in the lines of the stopped function up to the stopped line, without C's
 * keywords, calls or what sits in strings and comments. Pure, so that it is tested without VS Code.
 */

const KEYWORDS = new Set([
  'auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double', 'else', 'enum', 'extern', 'float', 'for',
  'goto', 'if', 'inline', 'int', 'long', 'register', 'restrict', 'return', 'short', 'signed', 'sizeof', 'static', 'struct',
  'switch', 'typedef', 'union', 'unsigned', 'void', 'volatile', 'while', '_Bool', 'bool', 'true', 'false', 'NULL',
  'int8_t', 'int16_t', 'int32_t', 'int64_t', 'uint8_t', 'uint16_t', 'uint32_t', 'uint64_t', 'size_t', 'uintptr_t',
]);

export interface InlineName {
  /** 0-based line and columns [start, end). */
  line: number;
  start: number;
  end: number;
  /** The expression to evaluate: a name or a member chain. */
  expression: string;
}

/** Names in `lines[from..to]` (inclusive, 0-based), each once per line. */
export function inlineNames(lines: readonly string[], from: number, to: number): InlineName[] {
  const out: InlineName[] = [];
  for (let line = Math.max(0, from); line <= Math.min(to, lines.length - 1); line++) {
    const text = blankStringsAndComments(lines[line]);
    if (/^\s*#/.test(text)) continue; // preprocessor lines name macros, not variables
    const seen = new Set<string>();
    for (const m of text.matchAll(/[A-Za-z_]\w*(?:\s*(?:->|\.)\s*[A-Za-z_]\w*)*/g)) {
      const expression = m[0].replace(/\s+/g, '');
      const head = expression.split(/->|\./)[0];
      const after = text.slice(m.index! + m[0].length);
      const before = text.slice(0, m.index!);
      if (KEYWORDS.has(head) || /^\s*\(/.test(after) || /(->|\.)\s*$/.test(before) || /\b(struct|union|enum)\s*$/.test(before) || seen.has(expression)) continue;
      seen.add(expression);
      out.push({ line, start: m.index!, end: m.index! + m[0].length, expression });
    }
  }
  return out;
}

function blankStringsAndComments(text: string): string {
  return text
    .replace(/"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'/g, (s) => ' '.repeat(s.length))
    .replace(/\/\/.*$/, (s) => ' '.repeat(s.length))
    .replace(/\/\*.*?\*\//g, (s) => ' '.repeat(s.length));
}
