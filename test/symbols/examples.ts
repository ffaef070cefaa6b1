/** The committed example ELFs the symbol reader is tested on, and the `// #BP_...` markers of their sources. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadProgramSymbols } from '../../debugger/symbols/program-symbols';
import { ProgramSymbols } from '../../debugger/symbols/api';

/** The repository root (tests run from out/test/symbols/). */
export const ROOT = resolve(__dirname, '..', '..', '..');

export const EXAMPLES = ['bug/bug.elf', 'hello/hello.elf', 'timer/timer.elf', 'uart/uart.elf', 'startup/startup.elf',
  'interactive/interactive.elf'];

export function examplePath(name: string): string {
  return join(ROOT, 'examples', name);
}

const cache = new Map<string, ProgramSymbols>();
export function exampleSymbols(name: string): ProgramSymbols {
  let s = cache.get(name);
  if (!s) {
    const path = examplePath(name);
    s = loadProgramSymbols(readFileSync(path), path);
    cache.set(name, s);
  }
  return s;
}

/** The 1-based line of `// #BP_NAME` in a source file; throws when the marker is gone. */
export function markerLine(source: string, marker: string): number {
  const lines = readFileSync(source, 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(`// ${marker}`));
  if (index < 0) throw new Error(`${source} has no "// ${marker}" marker; the test needs it to find its line`);
  return index + 1;
}
