/**
 * Launching: a clear error for every bad configuration (missing file, not a RISC-V ELF, a corrupt
 * recording, neither or both of recording/program, a bad snapshot size), stopOnEntry, and the adapter
 * on a TCP port with --server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { EXAMPLES, info, launchAndStop, launchError, record, ROOT, scratch, startClient } from './fixture';

test('bad launch configurations get errors a user can act on', async () => {
  const dir = scratch();
  assert.match(await launchError({ recording: join(dir, 'missing.rewind') }), /the recording .*missing\.rewind does not exist; check the path in launch\.json/);
  assert.match(await launchError({ program: join(dir, 'missing.elf') }), /the program .*missing\.elf does not exist/);
  assert.match(await launchError({ program: process.execPath }), /cannot be run: not a RISC-V ELF: machine is x86-64.*; Rewind runs RV32 RISC-V ELF programs/);
  const text = join(dir, 'notes.txt');
  writeFileSync(text, 'hello');
  assert.match(await launchError({ program: text }), /cannot be run: not an ELF file/);
  assert.match(await launchError({ recording: text }), /notes\.txt is not a usable recording: /);
  const good = readFileSync(record('hello/hello.elf', '', dir));
  const corrupt = join(dir, 'corrupt.rewind');
  writeFileSync(corrupt, good.subarray(0, 40));
  assert.match(await launchError({ recording: corrupt }), /corrupt\.rewind is not a usable recording/);
  assert.match(await launchError({}), /needs "recording" \(a \.rewind file to replay\) or "program"/);
  assert.match(await launchError({ recording: corrupt, program: text }), /either "recording" .* or "program" .*, not both/);
  assert.match(await launchError({ recording: join(dir, 'hello.rewind'), snapshotMemoryMB: 0 }), /"snapshotMemoryMB" must be a number of MiB, at least 1/);
});

test('stopOnEntry stops at step 0 with the start of the recording', async () => {
  const dc = await startClient();
  try {
    const stop = await launchAndStop(dc, { recording: record('uart/uart.elf'), stopOnEntry: true, snapshotMemoryMB: 16 });
    assert.equal(stop.body.reason, 'entry');
    assert.equal(stop.body.description, 'start of recording');
    assert.equal((await info(dc)).step, 0);
    // uart.elf has line info for its assembly: the stack shows uart.S.
    const frame = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
    assert.equal(frame.instructionPointerReference, '0x80000000');
  } finally {
    await dc.stop();
  }
});

test('with --server=PORT the adapter serves DAP on a TCP port', async () => {
  const child = spawn(process.execPath, [join(ROOT, 'out/adapter/main.js'), '--server=0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let text = '';
      child.stderr!.on('data', (d: Buffer) => {
        text += d.toString();
        const m = /port (\d+)/.exec(text);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', (code) => reject(new Error(`the adapter exited with ${code}: ${text}`)));
    });
    const dc = new DebugClient('node', 'unused', 'rewind');
    await dc.start(port);
    const caps = (await dc.initializeRequest()).body;
    assert.equal(caps?.supportsStepBack, true);
    const stop = await launchAndStop(dc, { recording: record('hello/hello.elf'), stopOnEntry: true });
    assert.equal(stop.body.reason, 'entry');
    await dc.stop();
  } finally {
    child.kill();
  }
});

void EXAMPLES;
