/** Runs vscode-tmgrammar-test's command line on grammar test files, as a developer would. */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/** The repository root (this file runs from out/test/grammar). */
export const REPO = resolve(__dirname, '..', '..', '..');
export const GRAMMAR = join('syntaxes', 'riscv-asm.tmLanguage.json');
const CLI = join(REPO, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');

export interface GrammarRun {
  readonly status: number | null;
  readonly output: string;
}

/** Checks the scope assertions of the files matching `patterns` (globs, relative to the repository). */
export function runGrammarTests(...patterns: string[]): GrammarRun {
  const run = spawnSync(process.execPath, [CLI, '--compact', '-g', GRAMMAR, ...patterns], { cwd: REPO, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}
