/**
 * `rewind run prog.elf < input.txt` gives the program its input exactly as `--stdin input.txt` does: the
 * same steps, the same final state, and a recording made either way replays the same. (A terminal or a
 * pipe is read when the program asks, so there the bytes arrive when they come.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, EXAMPLES, rewind, ROOT, workDir } from './rewind-cli';

const PROGRAM = join(EXAMPLES, 'interactive', 'interactive.elf');

/** Runs the CLI with its standard input opened on `file`, as a shell's `< file` does. */
function rewindFromFile(args: string[], file: string): { status: number | null; stdout: string; stderr: string } {
  const fd = openSync(file, 'r');
  try {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: [fd, 'pipe', 'pipe'], encoding: 'latin1', timeout: 120_000 });
    if (r.error) throw r.error;
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    closeSync(fd);
  }
}

const finalState = (stderr: string) => /ran ([\d,]+) steps; final state hash ([0-9a-f]{16})/.exec(stderr)?.slice(1);

test('input redirected from a file reaches the program at the same steps as --stdin FILE', () => {
  const input = join(workDir(), 'redirected.txt');
  writeFileSync(input, 'hello\nworld\n');
  const viaOption = rewind(['run', PROGRAM, '--hash', '--stdin', input]);
  const viaRedirect = rewindFromFile(['run', PROGRAM, '--hash'], input);
  assert.equal(viaOption.status, 0, viaOption.stderr);
  assert.match(viaOption.stdout, /"world": 1 word, 5 characters/);
  assert.equal(viaRedirect.stdout, viaOption.stdout);
  assert.ok(finalState(viaOption.stderr), viaOption.stderr);
  assert.deepEqual(finalState(viaRedirect.stderr), finalState(viaOption.stderr));

  const recording = join(workDir(), 'redirected.rewind');
  const recorded = rewindFromFile(['record', PROGRAM, '-o', recording], input);
  assert.equal(recorded.status, 0, recorded.stderr);
  const replayed = rewind(['replay', recording, '--verbose']);
  assert.match(replayed.stderr, new RegExp(`replayed ${finalState(viaOption.stderr)![0]} steps; final state hash ${finalState(viaOption.stderr)![1]} matches`));
});
