/**
 * Functions and variables that the workspace's C sources define, read with two line patterns rather
 * than a C parser: assembly calls into C (`call main`), and without these the undefined-symbol check
 * would flag every such call. A definition starts at column 0, as in every C style the examples use;
 * `static` ones are left out because the linker does not let assembly reach them.
 */
import type { SymbolDefinition } from './parsed-document';
import { splitLines } from './parser';

const EXCLUDED = /^(static|extern|typedef|return|struct\s+\w+\s*\{|enum|union|if|else|while|for|switch|do)\b/;
const FUNCTION = /^[A-Za-z_][\w\s*]*?\b([A-Za-z_]\w*)\s*\([^;]*$/d;
const VARIABLE = /^(?:[A-Za-z_]\w*[\s*]+)+([A-Za-z_]\w*)\s*(?:\[[^\]]*\]\s*)*(?:=|;)/d;

export function cDefinitions(text: string): SymbolDefinition[] {
  const definitions: SymbolDefinition[] = [];
  const lines = splitLines(text);
  let inComment = false;
  for (let line = 0; line < lines.length; line++) {
    const source = lines[line];
    if (inComment) {
      if (source.includes('*/')) inComment = false;
      continue;
    }
    if (source.startsWith('/*') && !source.includes('*/')) {
      inComment = true;
      continue;
    }
    if (source.length === 0 || !/[A-Za-z_]/.test(source[0]) || EXCLUDED.test(source)) continue;
    const m = FUNCTION.exec(source) ?? VARIABLE.exec(source);
    if (!m) continue;
    const [start, end] = m.indices![1];
    definitions.push({ name: m[1], kind: 'c', line, start, end });
  }
  return definitions;
}
