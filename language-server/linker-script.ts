/**
 * Symbols a linker script of the workspace assigns (`_stack_top = . + 4K;`, `PROVIDE(__bss_end = .);`),
 * which start-up code uses without defining. Comments are blanked first so that a commented-out
 * assignment does not count.
 */
import type { SymbolDefinition } from './parsed-document';
import { splitLines } from './parser';

const ASSIGNMENT = /(?:^|[\s;{(])((?:[A-Za-z_$][\w.$]*|\.[\w.$]+))\s*(?:[-+*/&|]|<<|>>)?=(?!=)/dg;

export function linkerScriptDefinitions(text: string): SymbolDefinition[] {
  const blanked = text.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\r\n]/g, ' '));
  const definitions: SymbolDefinition[] = [];
  splitLines(blanked).forEach((source, line) => {
    for (const m of source.matchAll(ASSIGNMENT)) {
      const [start, end] = m.indices![1];
      definitions.push({ name: m[1], kind: 'linker', line, start, end });
    }
  });
  return definitions;
}
