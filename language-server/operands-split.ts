/**
 * The operands of an assembly statement, re-read from its line on demand: split at the commas that are
 * not inside parentheses, strings or character constants, each trimmed, with its columns.
 */
import type { OperandText, Statement } from './parsed-document';
import { CLASS, SPACE } from './source-text';

const QUOTE_OR_PAREN = /["'(]/g;

/** The operands of a statement, split at top-level commas. */
export const operandsOf = (statement: Statement): OperandText[] => splitOperands(statement.source, statement.operandsStart, statement.end);

/** Splits `code[from, to)` at the commas that are not inside parentheses, strings or character constants. */
export function splitOperands(code: string, from: number, to: number): OperandText[] {
  const operands: OperandText[] = [];
  if (from >= to) return operands;
  QUOTE_OR_PAREN.lastIndex = from;
  const complex = QUOTE_OR_PAREN.exec(code);
  if (complex === null || complex.index >= to) {
    // No parenthesis or quote: every comma separates operands.
    let start = from;
    for (let comma = code.indexOf(',', from); comma >= 0 && comma < to; comma = code.indexOf(',', start)) {
      pushTrimmed(operands, code, start, comma);
      start = comma + 1;
    }
    pushTrimmed(operands, code, start, to);
    return operands;
  }
  let depth = 0;
  let start = from;
  const push = (s: number, e: number) => pushTrimmed(operands, code, s, e);
  for (let i = from; i < to; i++) {
    const c = code.charCodeAt(i);
    if (c === 34) {
      i++;
      while (i < to && code.charCodeAt(i) !== 34) i += code.charCodeAt(i) === 92 ? 2 : 1;
    } else if (c === 39) {
      i += code.charCodeAt(i + 1) === 92 ? 2 : 1;
      if (code.charCodeAt(i + 1) === 39) i++;
    } else if (c === 40) {
      depth++;
    } else if (c === 41) {
      depth--;
    } else if (c === 44 && depth <= 0) {
      push(start, i);
      start = i + 1;
    }
  }
  push(start, to);
  return operands;
}

function pushTrimmed(operands: OperandText[], code: string, s: number, e: number): void {
  while (s < e && (CLASS[code.charCodeAt(s)] & SPACE)) s++;
  while (e > s && (CLASS[code.charCodeAt(e - 1)] & SPACE)) e--;
  operands.push({ text: code.slice(s, e), start: s, end: e });
}
