/**
 * A harness stops a program that never ends (a FreeRTOS demo) from outside: by a signal (`timeout`,
 * Ctrl-C) or by reading only the start of its output (`| head`). `rewind run` and `rewind record` then
 * end where the program stands, with all it printed so far written, and exit with 128 + the signal's
 * number (141 for the closed output); the recording is finished there and says why, so that its replay
 * prints exactly what the recorder printed and exits with the same status. (A recorder killed outright
 * left the recording a chunk or more short of what it had printed, and its replay exited 0; `record |
 * head` left a recording of step 0.) The program: test/privileged/ticker.S, a line at every timer tick.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CLI, ROOT, rewind, workDir } from './rewind-cli';

const TICKER = join(ROOT, 'test/privileged/ticker.elf');
const count = (text: string): number => Number(text.replace(/,/g, ''));

interface Stopped { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/**
 * Runs `rewind ARGS`; once its output has shown `seen`, sends it `signal` (or, without one, closes the
 * reading end of its output, as `head` does once it has its lines).
 */
function stopWhenSeen(args: string[], seen: string, signal?: NodeJS.Signals): Promise<Stopped> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.setEncoding('latin1').on('data', (text: string) => {
      stdout += text;
      if (sent || !stdout.includes(seen)) return;
      sent = true;
      if (signal) child.kill(signal);
      else child.stdout.destroy();
    });
    child.stderr.setEncoding('latin1').on('data', (text: string) => { stderr += text; });
    child.on('error', reject);
    child.on('close', (status, sig) => {
      clearTimeout(guard);
      resolve({ status, signal: sig, stdout, stderr });
    });
  });
}

/** The replay of `file`: what it printed, how it exited and how many steps it replayed. */
function replay(file: string): { status: number | null; stdout: string; stderr: string; steps: number } {
  const replayed = rewind(['replay', file, '--verbose']);
  const steps = /^rewind: replayed ([\d,]+) steps; final state hash [0-9a-f]{16} matches$/m.exec(replayed.stderr);
  assert.ok(steps, replayed.stderr);
  return { ...replayed, steps: count(steps[1]) };
}

test('a recording stopped by SIGTERM ends where the recorder stopped: its replay prints what the recorder printed and exits 143 as it did', async () => {
  const file = join(workDir(), 'ticker-term.rewind');
  const recorded = await stopWhenSeen(['record', TICKER, '-o', file, '--verbose'], 'tick 15\n', 'SIGTERM');
  assert.equal(recorded.status, 143, `${recorded.signal} ${recorded.stderr}`);
  const steps = /^rewind: recorded ([\d,]+) steps in [\d.]+ s to .* \(stopped by SIGTERM\)$/m.exec(recorded.stderr);
  assert.ok(steps, recorded.stderr);
  assert.match(recorded.stderr, /^rewind: stopped by SIGTERM after [\d,]+ steps at pc 0x[0-9a-f]+; the program had not exited$/m);

  const replayed = replay(file);
  assert.equal(replayed.status, 143, replayed.stderr);
  assert.equal(replayed.steps, count(steps[1]));
  assert.equal(replayed.stdout, recorded.stdout, 'the replay prints what the recorder printed, to the byte');
  // The line the recorder wrote, as it wrote it: a harness comparing stderr sees the same bytes.
  const stoppedLine = (stderr: string): string | undefined => /^rewind: stopped by SIGTERM after .*$/m.exec(stderr)?.[0];
  assert.equal(stoppedLine(replayed.stderr), stoppedLine(recorded.stderr));
  assert.equal(rewind(['replay', file]).stderr, `${stoppedLine(recorded.stderr)}\n`, 'without --verbose, only what the recorder wrote besides its own line');
  assert.match(rewind(['info', file]).stdout, /^complete +yes \(stopped by SIGTERM\)$/m);
});

test('rewind run stopped by SIGINT writes everything the program printed up to where it stopped, and exits 130', async () => {
  const ran = await stopWhenSeen(['run', TICKER], 'tick 15\n', 'SIGINT');
  assert.equal(ran.status, 130, `${ran.signal} ${ran.stderr}`);
  const at = /^rewind: stopped by SIGINT after ([\d,]+) steps at pc/m.exec(ran.stderr);
  assert.ok(at, ran.stderr);
  // The same program cut at the same step by --max-steps printed the same.
  assert.equal(rewind(['run', TICKER, '--max-steps', String(count(at[1]))]).stdout, ran.stdout);
});

test('rewind record | head: the recording ends where the output closed, and its replay exits 141 as the recorder did', async () => {
  const file = join(workDir(), 'ticker-head.rewind');
  const recorded = await stopWhenSeen(['record', TICKER, '-o', file, '--verbose'], 'tick 3\n');
  assert.equal(recorded.status, 141, `${recorded.signal} ${recorded.stderr}`);
  assert.match(recorded.stderr, /\(stopped when its output's reader went away \(EPIPE\)\)$/m);
  assert.doesNotMatch(recorded.stderr, /had not exited/, 'a closed output ends quietly, as a shell tool does');

  const replayed = replay(file);
  assert.equal(replayed.status, 141, replayed.stderr);
  assert.ok(replayed.steps >= 10_000_000, `the recording reaches past the slice the output closed in: ${replayed.steps}`);
  assert.equal(replayed.stdout, rewind(['run', TICKER, '--max-steps', String(replayed.steps)]).stdout);
});
