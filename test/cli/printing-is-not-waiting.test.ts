/**
 * A program that prints through the UART reads its line status before every byte it sends, as polled
 * console drivers do (FreeRTOS' demo for the virt board, bench/flood). Those polls are not a wait for
 * input: `rewind run` and `rewind record` must not stop to read the terminal because of them. (They
 * did after 10,000 such polls: with an open terminal or pipe on stdin the run hung until input came,
 * and a byte then typed reached the guest's UART at a step the guest never waited at.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CLI, ROOT, rewind, workDir } from './rewind-cli';

const PRINTER = join(ROOT, 'bench', 'flood', 'flood-1m.elf');
/** Its first ~44,000 bytes (a byte every ~9 steps): well past the 10,000 polls that made a wait. */
const STEPS = ['--max-steps', '400000'];
/** `rewind run` and `record` end with 124 when --max-steps runs out. */
const LIMIT = 124;

/** The CLI with stdin an open pipe that never sends a byte, as an idle terminal; null status if it hung. */
function withSilentStdin(args: string[], timeoutMs: number): Promise<{ status: number | null; stdout: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = 0, stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.length; });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => child.kill(), timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ status, stdout, stderr });
    });
  });
}

test('a program that prints through the polled UART runs on with an idle terminal on stdin', async () => {
  const closed = rewind(['run', PRINTER, '--hash', ...STEPS]);
  assert.equal(closed.status, LIMIT, closed.stderr);
  assert.ok(closed.stdout.length > 40_000);
  const state = /final state hash [0-9a-f]{16}/.exec(closed.stderr)?.[0];
  assert.ok(state, closed.stderr);

  const ran = await withSilentStdin(['run', PRINTER, '--hash', ...STEPS], 60_000);
  assert.equal(ran.status, LIMIT, `rewind run waited for input that was never asked for: ${ran.stderr}`);
  assert.equal(ran.stdout, closed.stdout.length);
  assert.equal(/final state hash [0-9a-f]{16}/.exec(ran.stderr)?.[0], state);

  const file = join(workDir(), 'printer.rewind');
  const recorded = await withSilentStdin(['record', PRINTER, '-o', file, ...STEPS], 60_000);
  assert.equal(recorded.status, LIMIT, `rewind record waited for input that was never asked for: ${recorded.stderr}`);
  const replayed = rewind(['replay', file, '--verbose']);
  assert.equal(replayed.status, LIMIT, `a replay exits as its run did: ${replayed.stderr}`);
  assert.match(replayed.stderr, new RegExp(`${state!} matches`));
});
