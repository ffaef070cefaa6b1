/**
 * What is under the cursor: a mnemonic, a directive, a register, a CSR, a relocation operator, a symbol
 * (label, .equ, #define, macro) or a local numeric label. Hover, definition, references and completion
 * all start here. Only code counts: a word in a comment or a string is nothing.
 */
import { directiveByName } from './directives';
import { csrByExactName, lookupMnemonic, registerByName } from './instruction-set';
import type { CsrSpec } from '../emulator/isa/csrs';
import type { Mnemonic } from './instruction-set';
import type { ParsedDocument, Span, Statement } from './parsed-document';

export type CursorTarget =
  | { readonly kind: 'mnemonic'; readonly span: Span; readonly name: string; readonly mnemonic: Mnemonic }
  | { readonly kind: 'directive'; readonly span: Span; readonly name: string }
  | { readonly kind: 'register'; readonly span: Span; readonly name: string; readonly number: number }
  | { readonly kind: 'csr'; readonly span: Span; readonly csr: CsrSpec }
  | { readonly kind: 'relocation'; readonly span: Span; readonly name: string }
  | { readonly kind: 'symbol'; readonly span: Span; readonly name: string }
  | { readonly kind: 'local-label'; readonly span: Span; readonly label: string; readonly direction: 'b' | 'f' | 'definition'; readonly statement?: Statement };

const isWordChar = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 36;

/** The statements of a line: statements are in source order, so a binary search finds the first. */
export function statementsOnLine(parsed: ParsedDocument, line: number): Statement[] {
  const statements = parsed.statements;
  let low = 0;
  let high = statements.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (statements[mid].line < line) low = mid + 1; else high = mid;
  }
  const found: Statement[] = [];
  for (let i = low; i < statements.length && statements[i].line === line; i++) found.push(statements[i]);
  return found;
}

const within = (span: Span, line: number, character: number) =>
  span.line === line && span.start <= character && character <= span.end;

export function targetAt(parsed: ParsedDocument, line: number, character: number): CursorTarget | undefined {
  for (const d of parsed.definitions) {
    if (within(d, line, character)) return { kind: 'symbol', span: d, name: d.name };
  }
  for (const l of parsed.localLabels) {
    if (within(l, line, character)) return { kind: 'local-label', span: l, label: l.label, direction: 'definition' };
  }
  for (const statement of statementsOnLine(parsed, line)) {
    if (character < statement.start || character > statement.end) continue;
    const nameEnd = statement.start + statement.name.length;
    if (character <= nameEnd && statement.name !== '=') {
      const span = { line, start: statement.start, end: nameEnd };
      if (statement.kind === 'directive') return { kind: 'directive', span, name: statement.name };
      const mnemonic = lookupMnemonic(statement.name);
      return mnemonic ? { kind: 'mnemonic', span, name: statement.name, mnemonic } : { kind: 'symbol', span, name: statement.name };
    }
    return operandTarget(statement, line, character);
  }
  return undefined;
}

function operandTarget(statement: Statement, line: number, character: number): CursorTarget | undefined {
  const source = statement.source;
  let start = character;
  while (start > statement.operandsStart && isWordChar(source.charCodeAt(start - 1))) start--;
  let end = character;
  while (end < statement.end && isWordChar(source.charCodeAt(end))) end++;
  if (start === end) return undefined;
  const word = source.slice(start, end);
  const span = { line, start, end };
  if (source.charCodeAt(start - 1) === 37 /* % */) return { kind: 'relocation', span: { line, start: start - 1, end }, name: word };
  const register = registerByName(word);
  if (register !== undefined) return { kind: 'register', span, name: word, number: register };
  const local = /^(\d+)([bf])$/.exec(word);
  if (local) return { kind: 'local-label', span, label: local[1], direction: local[2] as 'b' | 'f', statement };
  if (/^\d/.test(word)) return undefined;
  if (statement.kind === 'directive') {
    // Section names, options and the like are not symbols.
    const operands = directiveByName(statement.name)?.operands;
    if (operands === undefined || operands === 'text') return undefined;
  } else {
    const csr = csrByExactName(word);
    if (csr) return { kind: 'csr', span, csr };
  }
  return { kind: 'symbol', span, name: word };
}
