/** Line numbers of the `// #BP_…` markers in an example's source, so that editing it never breaks a test silently. */
import { readFileSync } from 'node:fs';

export function markerLine(source: string, marker: string): number {
  const lines = readFileSync(source, 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(`// #${marker}`));
  if (index < 0) throw new Error(`${source} has no // #${marker} marker`);
  return index + 1;
}

/** The line number of the first line of `source` that contains `text`. */
export function lineOf(source: string, text: string): number {
  const index = readFileSync(source, 'utf8').split('\n').findIndex((l) => l.includes(text));
  if (index < 0) throw new Error(`${source} has no line containing ${JSON.stringify(text)}`);
  return index + 1;
}
