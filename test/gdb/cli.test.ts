/**
 * `rewind gdb` as a user runs it: the built CLI serving a recording file, and a live session on a
 * program (recorded as it runs under gdb), each driven by gdb-multiarch; and the errors a user meets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GDB_CLI as CLI, killGdbCli, startGdbCli, stopGdbCli as stop } from './gdb-cli';
import { EXAMPLES, exampleElf, fileHash, recordToFile } from './stub-fixture';
import { mark, runGdb, sections } from './gdb-batch';
import { scratchDir } from '../support/toolchain';
import { decodeRecording } from '../../emulator/replay/recording-format';
import { readFileSync } from 'node:fs';

/**
 * Runs `rewind gdb ARGS`, which must end by itself: its exit status and stderr once its output is closed
 * (at 'exit' the last of stderr may still be in the pipe). Killed after 30 s: a status of null.
 */
function runToEnd(args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'gdb', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stderr });
    });
  });
}

test('rewind gdb run.rewind serves the recording on 127.0.0.1, leaves the file as it was, and ends on SIGTERM', async () => {
  const recording = recordToFile(exampleElf('uart'));
  const hash = fileHash(recording);
  const r = await startGdbCli([recording]);
  try {
    const out = await runGdb(exampleElf('uart'), r.port, ['break fib_loop', 'continue', 'continue', mark('rc'), 'reverse-continue', 'info registers t2', 'monitor info replay']);
    const s = sections(out);
    assert.match(s.get('rc')!, /Breakpoint 1, fib_loop/);
    assert.match(s.get('rc')!, /^t2\s+0x18\s/m, 'back at the first iteration (24 to go)');
    assert.match(s.get('rc')!, /Replaying execution '[^']+\.rewind': instruction count = \d+/);
    assert.match(r.stdout(), /Hello from bare-metal RISC-V!/, 'the guest\'s console is the stub\'s stdout');
    assert.match(r.stderr(), /gdb connected from 127\.0\.0\.1/);
    assert.equal(await stop(r), 0);
  } finally {
    killGdbCli(r);
  }
  assert.equal(fileHash(recording), hash);
});

test('rewind gdb prog.elf --stdin: a live session records as it runs; reverse works on what ran; --output keeps it', async () => {
  const output = join(scratchDir(), `live-${process.pid}.rewind`);
  const r = await startGdbCli([exampleElf('interactive'), '--stdin', join(EXAMPLES, 'interactive', 'input.txt'), '--output', output]);
  let total: number;
  try {
    const out = await runGdb(exampleElf('interactive'), r.port, [
      'monitor info replay', mark('end'), 'continue', 'monitor info replay',
      mark('back'), 'reverse-stepi', 'reverse-continue', 'monitor info replay',
    ]);
    const s = sections(out);
    assert.match(out, /recorded so far step 0/);
    assert.match(s.get('end')!, /the program exited with status 0/);
    const end = /the recording ends at step (\d+)/.exec(s.get('end')!);
    assert.ok(end, `the live session has become a complete recording: ${s.get('end')}`);
    total = Number(end[1]);
    assert.match(s.get('back')!, /No more reverse-execution history\./);
    assert.match(s.get('back')!, /instruction count = 0\n/);
    assert.match(r.stdout(), /> 12 \* 7 = 84/);
    assert.match(r.stdout(), /bye after 6 lines/);
    assert.equal(await stop(r), 0);
  } finally {
    killGdbCli(r);
  }
  assert.ok(existsSync(output));
  const saved = decodeRecording(readFileSync(output));
  assert.ok(saved.end, `the saved recording is complete: ${saved.recovery}`);
  assert.equal(saved.lastStep, total);
});

test('rewind gdb says what is wrong: a port in use, a missing file, options that do not fit', async () => {
  const recording = recordToFile(exampleElf('uart'));
  const first = await startGdbCli([recording]);
  try {
    const second = await runToEnd([recording, '--port', String(first.port)]);
    assert.equal(second.status, 1, second.stderr);
    assert.match(second.stderr, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${first.port}: port ${first.port} is in use \\(choose another with --port\\)`));
    await stop(first);
  } finally {
    killGdbCli(first);
  }
  const missing = await runToEnd(['/no/such.rewind']);
  assert.equal(missing.status, 1, missing.stderr);
  assert.match(missing.stderr, /no such file: \/no\/such\.rewind/);
  const wrong = await runToEnd([recording, '--stdin', 'x']);
  assert.equal(wrong.status, 2, wrong.stderr);
  assert.match(wrong.stderr, /--stdin and --output are for a live session on a program/);
});

