/**
 * Runs the built command line, `node dist/cli.js`, as a user does. `npm test` builds it first; a test
 * run without a build fails saying so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../..');
export const CLI = join(ROOT, 'dist/cli.js');
export const EXAMPLES = join(ROOT, 'examples');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `timeout` (ms, 120 s unless given) guards against a hang; the result then has status null. */
export function rewind(args: string[], options: { input?: string; cwd?: string; timeout?: number } = {}): CliResult {
  if (!existsSync(CLI)) throw new Error(`${CLI} does not exist: run \`npm run build\` first (npm test does)`);
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, input: options.input ?? '', encoding: 'latin1', timeout: options.timeout ?? 120_000, maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: string | undefined;
/** A fresh folder for the recordings a test writes. */
export function workDir(): string {
  return (dir ??= mkdtempSync(join(tmpdir(), 'rewind-cli-')));
}
