/**
 * `rewind gdb` as a user runs it: the built CLI serving a recording file, and a live session on a
 * program (recorded as it runs under gdb), each driven by gdb-multiarch; and the errors a user meets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GDB_CLI as CLI, RunningStub, startGdbCli } from './gdb-cli';
import { EXAMPLES, exampleElf, fileHash, recordToFile } from './stub-fixture';
import { mark, runGdb, sections } from './gdb-batch';
import { scratchDir } from '../support/toolchain';
import { decodeRecording } from '../../emulator/replay/recording-format';
import { readFileSync } from 'node:fs';



function stop(r: RunningStub): Promise<number | null> {
  return new Promise((resolve) => {
    r.child.on('exit', (code) => resolve(code));
    r.child.kill('SIGTERM');
  });
}

test('rewind gdb run.rewind serves the recording on 127.0.0.1, leaves the file as it was, and ends on SIGTERM', async () => {
  const recording = recordToFile(exampleElf('uart'));
  const hash = fileHash(recording);
  const r = await startGdbCli([recording]);
  const out = await runGdb(exampleElf('uart'), r.port, ['break fib_loop', 'continue', 'continue', mark('rc'), 'reverse-continue', 'info registers t2', 'monitor info replay']);
  const s = sections(out);
  assert.match(s.get('rc')!, /Breakpoint 1, fib_loop/);
  assert.match(s.get('rc')!, /^t2\s+0x18\s/m, 'back at the first iteration (24 to go)');
  assert.match(s.get('rc')!, /Replaying execution '[^']+\.rewind': instruction count = \d+/);
  assert.match(r.stdout(), /Hello from bare-metal RISC-V!/, 'the guest\'s console is the stub\'s stdout');
  assert.match(r.stderr(), /gdb connected from 127\.0\.0\.1/);
  assert.equal(await stop(r), 0);
  assert.equal(fileHash(recording), hash);
});

test('rewind gdb prog.elf --stdin: a live session records as it runs; reverse works on what ran; --output keeps it', async () => {
  const output = join(scratchDir(), `live-${process.pid}.rewind`);
  const r = await startGdbCli([exampleElf('interactive'), '--stdin', join(EXAMPLES, 'interactive', 'input.txt'), '--output', output]);
  const out = await runGdb(exampleElf('interactive'), r.port, [
    'monitor info replay', mark('end'), 'continue', 'monitor info replay',
    mark('back'), 'reverse-stepi', 'reverse-continue', 'monitor info replay',
  ]);
  const s = sections(out);
  assert.match(out, /recorded so far step 0/);
  assert.match(s.get('end')!, /the program exited with status 0/);
  assert.match(s.get('end')!, /the recording ends at step (\d+)/, 'the live session has become a complete recording');
  assert.match(s.get('back')!, /No more reverse-execution history\./);
  assert.match(s.get('back')!, /instruction count = 0\n/);
  assert.match(r.stdout(), /> 12 \* 7 = 84/);
  assert.match(r.stdout(), /bye after 6 lines/);
  assert.equal(await stop(r), 0);
  assert.ok(existsSync(output));
  const saved = decodeRecording(readFileSync(output));
  assert.ok(saved.end, `the saved recording is complete: ${saved.recovery}`);
  const total = Number(/the recording ends at step (\d+)/.exec(s.get('end')!)![1]);
  assert.equal(saved.lastStep, total);
});

test('rewind gdb says what is wrong: a port in use, a missing file, options that do not fit', async () => {
  const recording = recordToFile(exampleElf('uart'));
  const first = await startGdbCli([recording]);
  const second = spawn(process.execPath, [CLI, 'gdb', recording, '--port', String(first.port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  second.stderr!.on('data', (d) => { err += d; });
  const code = await new Promise<number | null>((resolve) => second.on('exit', resolve));
  assert.equal(code, 1);
  assert.match(err, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${first.port}: port ${first.port} is in use \\(choose another with --port\\)`));
  await stop(first);
  const missing = spawn(process.execPath, [CLI, 'gdb', '/no/such.rewind'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let missingErr = '';
  missing.stderr!.on('data', (d) => { missingErr += d; });
  assert.equal(await new Promise((resolve) => missing.on('exit', resolve)), 1);
  assert.match(missingErr, /no such file: \/no\/such\.rewind/);
  const wrong = spawn(process.execPath, [CLI, 'gdb', recording, '--stdin', 'x'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let wrongErr = '';
  wrong.stderr!.on('data', (d) => { wrongErr += d; });
  assert.equal(await new Promise((resolve) => wrong.on('exit', resolve)), 2);
  assert.match(wrongErr, /--stdin and --output are for a live session on a program/);
});
