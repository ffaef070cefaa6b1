/**
 * Breakpoint lines come from `// #BP_...` markers in the example's source, so editing bug.c never
 * silently moves a test's breakpoint (the codelldb habit).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './paths';

export const BUG_SOURCE = join(REPO, 'examples', 'bug', 'bug.c');

/** The 1-based line of `// #BP_<name>` in examples/bug/bug.c. */
export function markerLine(name: 'MAIN' | 'CORRUPT' | 'REPORT'): number {
  const lines = readFileSync(BUG_SOURCE, 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(`// #BP_${name}`));
  if (index < 0) throw new Error(`examples/bug/bug.c has no "// #BP_${name}" marker; the end-to-end tests need it.`);
  return index + 1;
}
