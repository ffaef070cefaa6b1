/**
 * The outline of an assembly file: its sections, with the labels in each (functions, data), plus
 * .equ/.set constants, macros and #defines. A label's range runs to the next label or section, so that
 * the outline follows the cursor; local numeric labels (`1:`) are left out as noise.
 */
import { DocumentSymbol, SymbolKind } from 'vscode-languageserver';
import type { ParsedDocument, Span, SymbolDefinition } from './parsed-document';

const spanRange = (span: Span) => ({ start: { line: span.line, character: span.start }, end: { line: span.line, character: span.end } });

function labelKind(parsed: ParsedDocument, d: SymbolDefinition): SymbolKind {
  if (parsed.functions.has(d.name)) return SymbolKind.Function;
  const section = d.section ?? '.text';
  return section.startsWith('.text') || section.startsWith('.init') ? SymbolKind.Function : SymbolKind.Variable;
}

const OTHER_KINDS: Partial<Record<SymbolDefinition['kind'], SymbolKind>> = {
  equate: SymbolKind.Constant, define: SymbolKind.Constant, macro: SymbolKind.Method, common: SymbolKind.Variable,
};

/** `lineLength` gives the length of a line of the document, so that a range can end at a line's end. */
export function documentSymbols(parsed: ParsedDocument, lineLength: (line: number) => number): DocumentSymbol[] {
  const lastLine = Math.max(0, parsed.lineCount - 1);
  const range = (line: number, start: number, endLine: number, end?: number) =>
    ({ start: { line, character: start }, end: { line: endLine, character: end ?? lineLength(endLine) } });
  const top: DocumentSymbol[] = [];
  // Sections, each running to the next section directive.
  const sections = parsed.sections.map((s, i): DocumentSymbol => {
    const endLine = i + 1 < parsed.sections.length ? Math.max(s.line, parsed.sections[i + 1].line - 1) : lastLine;
    return { name: s.name, kind: SymbolKind.Namespace, range: range(s.line, 0, endLine), selectionRange: spanRange(s), children: [] };
  });
  const sectionAt = (line: number): DocumentSymbol | undefined => {
    let found: DocumentSymbol | undefined;
    for (const s of sections) if (s.range.start.line <= line) found = s;
    return found;
  };
  const labels = parsed.definitions.filter((d) => d.kind === 'label');
  labels.forEach((d, i) => {
    const section = sectionAt(d.line);
    const nextLabel = labels[i + 1]?.line ?? lastLine + 1;
    const sectionEnd = section ? section.range.end.line : lastLine;
    const endLine = Math.max(d.line, Math.min(nextLabel - 1, sectionEnd));
    const symbol: DocumentSymbol = { name: d.name, kind: labelKind(parsed, d), range: range(d.line, d.start, endLine), selectionRange: spanRange(d) };
    (section ? section.children! : top).push(symbol);
  });
  for (const d of parsed.definitions) {
    const kind = OTHER_KINDS[d.kind];
    if (kind === undefined) continue;
    const symbol: DocumentSymbol = { name: d.name, kind, detail: d.value, range: spanRange(d), selectionRange: spanRange(d) };
    const section = d.kind === 'define' ? undefined : sectionAt(d.line);
    (section ? section.children! : top).push(symbol);
  }
  return [...top, ...sections];
}
