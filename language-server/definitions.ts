/**
 * Go to definition and find references, for symbols across the workspace (labels, .equ/.set, .comm,
 * macros, #defines, C functions, linker-script symbols) and for local numeric labels within their file
 * (`1b` is the nearest `1:` before the statement, `1f` the nearest after).
 */
import type { Location } from 'vscode-languageserver';
import { CursorTarget, targetAt } from './cursor';
import { resolveLocalLabel } from './local-labels';
import type { LocalLabel, Span } from './parsed-document';
import type { IndexedFile, Located, WorkspaceIndex } from './workspace-index';

const location = (uri: string, span: Span): Location =>
  ({ uri, range: { start: { line: span.line, character: span.start }, end: { line: span.line, character: span.end } } });

/** The `n:` a local-label target means (itself, for a definition). */
function localDefinition(file: IndexedFile, target: Extract<CursorTarget, { kind: 'local-label' }>): LocalLabel | undefined {
  const definitions = file.parsed.localLabels.filter((l) => l.label === target.label);
  if (target.direction === 'definition') return definitions.find((d) => d.line === target.span.line && d.start === target.span.start);
  return target.statement && resolveLocalLabel(definitions, target.direction, target.statement);
}

export function definition(file: IndexedFile, index: WorkspaceIndex, line: number, character: number): Location[] {
  const target = targetAt(file.parsed, line, character);
  if (target?.kind === 'symbol') return index.definitionsOf(target.name, file).map((d) => location(d.uri, d.definition));
  if (target?.kind === 'local-label') {
    const found = localDefinition(file, target);
    return found ? [location(file.uri, found)] : [];
  }
  return [];
}

export function references(file: IndexedFile, index: WorkspaceIndex, line: number, character: number, includeDeclaration: boolean): Location[] {
  const target = targetAt(file.parsed, line, character);
  if (target?.kind === 'symbol') {
    const targets: Located[] = index.definitionsOf(target.name, file);
    const uses = index.referencesTo(target.name, targets).map((r) => location(r.uri, r.span));
    // An external symbol (defined in no indexed file) still has uses worth finding: all of that name.
    const found = targets.length > 0 ? uses : index.referencesTo(target.name, []).map((r) => location(r.uri, r.span));
    return includeDeclaration ? [...targets.map((d) => location(d.uri, d.definition)), ...found] : found;
  }
  if (target?.kind === 'local-label') {
    const found = localDefinition(file, target);
    if (!found) return [];
    const definitions = file.parsed.localLabels.filter((l) => l.label === target.label);
    const uses = file.parsed.localReferences.filter((r) => r.label === target.label
      && resolveLocalLabel(definitions, r.direction, file.parsed.statements[r.statement]) === found);
    return [...(includeDeclaration ? [location(file.uri, found)] : []), ...uses.map((u) => location(file.uri, u))];
  }
  return [];
}
