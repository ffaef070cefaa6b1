/**
 * Issue 20, the files, in VS Code: the adapter's launch refuses devices and files that are not
 * recordings, records huge reads its reader reads back, and says in the Debug Console (and as an
 * 'important' output event, a notification) what a damaged, incomplete, altered or swapped recording
 * holds, instead of opening it without a word.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';
import { decodeRecording } from '../../emulator/replay/recording-format';
import { sha256Hex } from '../../emulator/replay/sha256';
import { chunkSpans } from '../recording/chunks';
import { copyRecording, encodeRecording } from '../recording/tamper';
import { EXAMPLES, launchAndStop, launchError, record, scratch, startClient } from '../adapter/fixture';
import { BIG_READ, bigInput, bigReader, example, manySegments } from './crafted';

/** Launches, runs to the first stop, and returns it with the Debug Console's text and the notifications. */
async function openAndRun(args: Record<string, unknown>, after?: (dc: DebugClient) => Promise<void>): Promise<{ stop: DebugProtocol.StoppedEvent; console: string; important: string[] }> {
  const dc = await startClient();
  let console = '';
  const important: string[] = [];
  dc.on('output', (e: DebugProtocol.OutputEvent) => {
    if (e.body.category === 'important') important.push(e.body.output);
    else if (e.body.category !== 'stdout' && e.body.category !== 'stderr') console += e.body.output;
  });
  try {
    const stop = await launchAndStop(dc, args);
    await after?.(dc);
    return { stop, console, important };
  } finally {
    await dc.stop();
  }
}

test('launch refuses a device as a recording, program or input, and a recordingPath that is not a recording', async () => {
  assert.match(await launchError({ recording: '/dev/zero' }), /the recording \/dev\/zero is not a regular file \(a device, pipe or socket\), so Rewind does not read it/);
  assert.match(await launchError({ program: '/dev/zero' }), /the program \/dev\/zero is not a regular file/);
  assert.match(await launchError({ program: example('hello'), stdin: '/dev/zero' }), /the "stdin" file \/dev\/zero is not a regular file/);
  const dir = scratch();
  const program = join(dir, 'p.elf');
  copyFileSync(example('hello'), program);
  const source = join(dir, 'hello.c');
  copyFileSync(join(EXAMPLES, 'hello/hello.c'), source);
  const before = readFileSync(source);
  assert.match(await launchError({ program, recordingPath: source }), /hello\.c exists and is not a Rewind recording, so it is not overwritten; choose another name for the recording; set "recordingPath" to a new file or an existing \.rewind file/);
  assert.deepEqual(readFileSync(source), before, 'the source file was overwritten');
  assert.match(await launchError({ program, recordingPath: dir }), /cannot write the recording to .*: it is a folder/);
});

test('a live session whose guest reads 3 MiB from the "stdin" file writes a recording that reads back whole', async () => {
  const dir = scratch();
  const recordingPath = join(dir, 'big-read.rewind');
  const { stop } = await openAndRun({ program: bigReader(dir), stdin: bigInput(dir), recordingPath });
  assert.match(stop.body.description ?? '', /exited \(0x5555, pass\)/);
  const recording = decodeRecording(readFileSync(recordingPath));
  assert.equal(recording.recovery, '', 'the reader recovered only a prefix of what the adapter wrote');
  assert.deepEqual(recording.events.map((e) => e.kind === 'console' ? e.bytes.length : -1), [BIG_READ]);
  const replay = await openAndRun({ recording: recordingPath });
  assert.doesNotMatch(replay.console, /incomplete|damaged/);
});

test('a damaged, an incomplete and an altered recording are said on launch, in the console and as a notification', async () => {
  const dir = scratch();
  const whole = readFileSync(record('interactive/interactive.elf', readFileSync(join(EXAMPLES, 'interactive/input.txt'), 'utf8'), dir));
  const spans = chunkSpans(whole);
  const damaged = Uint8Array.from(whole); // (a copy: Buffer.slice is a view)
  damaged[spans[2].payload] ^= 0x40;
  writeFileSync(join(dir, 'damaged.rewind'), damaged);
  writeFileSync(join(dir, 'cut.rewind'), whole.subarray(0, whole.length - 5));
  const recording = decodeRecording(whole);
  const altered = copyRecording(recording);
  altered.program = recording.program.slice();
  altered.program[altered.program.length - 1] ^= 1;
  writeFileSync(join(dir, 'altered.rewind'), encodeRecording(altered));
  const cases: Array<[string, RegExp]> = [
    ['damaged.rewind', /damaged\.rewind is damaged: recovered 2 of \d+ chunks up to step [\d,]+: chunk 3 has a bad checksum\. Only that prefix can be replayed\./],
    ['cut.rewind', /cut\.rewind is incomplete: recovered \d+ of \d+ chunks up to step [\d,]+: the last chunk is torn/],
    ['altered.rewind', /altered\.rewind: the program stored in the recording is not the one recorded: its sha256 is [0-9a-f]{64}, the header says [0-9a-f]{64}/],
  ];
  for (const [name, expected] of cases) {
    const { console, important } = await openAndRun({ recording: join(dir, name), stopOnEntry: true });
    assert.match(console, expected, name);
    assert.ok(important.some((text) => expected.test(text)), `${name}: no notification: ${JSON.stringify(important)}`);
  }
});

test('a recording whose program was swapped for one that ends sooner reports the divergence, not the end', async () => {
  const dir = scratch();
  const recording = decodeRecording(readFileSync(join(EXAMPLES, 'bug/bug.rewind')));
  const swapped = copyRecording(recording);
  swapped.program = readFileSync(example('hello'));
  swapped.programHash = sha256Hex(swapped.program);
  const file = join(dir, 'swapped.rewind');
  writeFileSync(file, encodeRecording(swapped));
  const { stop, console } = await openAndRun({ recording: file });
  assert.match(console, /the replay diverged from the recording at the checkpoint at step 34,102 \(the replay stopped at step [\d,]+ before reaching it\)/);
  assert.notEqual(stop.body.reason, 'exit');
  assert.doesNotMatch(stop.body.description ?? '', /end of recording/);
});

test('an ELF of a thousand PT_LOAD segments that each cover RAM launches live and as a recording', async () => {
  const dir = scratch();
  const program = join(dir, 'segments.elf');
  writeFileSync(program, manySegments(1000));
  const recordingPath = join(dir, 'segments.rewind');
  const live = await openAndRun({ program, recordingPath });
  assert.match(live.stop.body.description ?? '', /exited with status 0|end of recording/);
  const replay = await openAndRun({ recording: recordingPath });
  assert.match(replay.stop.body.description ?? '', /exited with status 0|end of recording/);
});

test('a live launch refused after its recordingPath was checked (a program too large to record) leaves that file as it was', async () => {
  const dir = scratch();
  const program = join(dir, 'too-large.elf');
  copyFileSync(example('hello'), program);
  truncateSync(program, 70 << 20);
  const kept = join(dir, 'kept.rewind');
  copyFileSync(join(EXAMPLES, 'bug/bug.rewind'), kept);
  const before = readFileSync(kept);
  assert.match(await launchError({ program, recordingPath: kept }), /^the program is 73,\d{3},\d{3} bytes; a recording holds programs of up to 67,\d{3},\d{3} bytes$/);
  assert.deepEqual(readFileSync(kept), before, 'the recording there was emptied');
  assert.match(await launchError({ program, recordingPath: join(dir, 'never.rewind') }), /a recording holds programs of up to/);
  assert.equal(existsSync(join(dir, 'never.rewind')), false, 'an empty recording was left behind');
});
