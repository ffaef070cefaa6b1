/**
 * The snapshot index (NAME.rewind.index): a fresh engine with it reaches the end of a recording, and
 * far steps, without replaying from step 0; results (state hash, console output) are the same as
 * without it; a tampered or stale index is found out, said once and ignored.
 *
 * The program prints a line, then computes for about 17 million steps writing 16 pages, five times over
 * (74 million steps: four checkpoints besides the end). 16 pages are few enough for an entry at every
 * checkpoint (snapshot-index.ts: FEW_PAGES).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from '../support/toolchain';
import { ReplayEngine } from '../../emulator/replay/engine';
import { Recorder, CHECKPOINT_INTERVAL } from '../../emulator/replay/recorder';
import { decodeRecording, Recording } from '../../emulator/replay/recording-format';
import { IndexWriter, IndexIdentity, SnapshotIndex } from '../../emulator/replay/snapshot-index';
import { FormatError } from '../../emulator/replay/bytes';
import { OutputLog } from '../../emulator/replay/output-log';
import { ScriptedOutside } from '../../emulator/outside';
import { PASS_AND_WAIT, SEMIHOST, SMALL_CONFIG } from '../engine/programs';
import { concat, stateHash } from '../engine/record';
import { compileProfiled, profileOf, RegionProfile } from '../../emulator/cpu/region-profile';
import type { Block } from '../../emulator/cpu/block';

const SOURCE = `
  li s0, 5
outer:
  li a0, 4              # SYS_WRITE0
  la a1, line
  ${SEMIHOST}
  li t0, 2400000
  la t1, buffer
  li t3, 0x3ffc
1:
  and t2, t0, t3
  slli t2, t2, 2
  add t2, t2, t1
  sw t0, 0(t2)
  addi t0, t0, -1
  bnez t0, 1b
  addi s0, s0, -1
  bnez s0, outer
  li a0, 4
  la a1, bye
  ${SEMIHOST}
  ${PASS_AND_WAIT}
  .data
line: .asciz "another round\\n"
bye: .asciz "done\\n"
  .align 12
buffer: .space 65536
`;

interface Made {
  recording: Recording;
  index: Uint8Array;
  console: string;
}

/** Records the program with the real recorder, keeping its index in memory. */
function make(maxSteps = Infinity): Made {
  const file: Uint8Array[] = [];
  const index: Uint8Array[] = [];
  let output = '';
  const elf = elfOnce();
  const recorder = new Recorder(elf, 'index-test.elf', new ScriptedOutside(), { write: (_s, b) => { output += new TextDecoder().decode(b); } },
    (bytes) => file.push(bytes.slice()), SMALL_CONFIG);
  let finished = false;
  const writer = new IndexWriter((bytes) => index.push(bytes.slice()));
  recorder.keepIndex({ writer, finish: (identity: IndexIdentity, regions?: RegionProfile) => { writer.finish(identity, regions); finished = true; }, abandon: () => undefined });
  recorder.finish(recorder.run(maxSteps));
  assert.ok(finished, 'the index was completed');
  return { recording: decodeRecording(concat(file)), index: concat(index), console: output };
}

let elf: Uint8Array | undefined;
const elfOnce = (): Uint8Array => (elf ??= assemble(SOURCE));

function openIndex(bytes: Uint8Array): SnapshotIndex {
  // As the file's source does: into the caller's array when it gives one.
  const read = (offset: number, length: number, into?: Uint8Array): Uint8Array => {
    if (!into) return bytes.slice(offset, offset + length);
    into.set(bytes.subarray(offset, offset + length));
    return into;
  };
  return SnapshotIndex.open({ size: bytes.length, read });
}

function engine(made: Made, index?: Uint8Array, snapshotInterval?: number): { engine: ReplayEngine; output: () => string; said: string[] } {
  let output = '';
  const said: string[] = [];
  const e = new ReplayEngine(made.recording, {
    console: { write: (_s, b) => { output += new TextDecoder().decode(b); } },
    snapshotIndex: index && openIndex(index), say: (text) => said.push(text), snapshotInterval,
  });
  return { engine: e, output: () => output, said };
}

let cached: Made | undefined;
const made = (): Made => (cached ??= make());

test('the recorder writes an index with a state at every checkpoint and at the end', () => {
  const { recording, index } = made();
  assert.equal(recording.checkpoints.length, 4);
  const read = openIndex(index);
  assert.deepEqual(read.entries.map((e) => e.step), [...recording.checkpoints.map((c) => c.step), recording.end!.step]);
  assert.deepEqual(read.entries.map((e) => e.hash), [...recording.checkpoints.map((c) => c.hash), recording.end!.hash]);
  assert.deepEqual(read.outputs.map((o) => new TextDecoder().decode(o.bytes)), [...Array(5).fill('another round\n'), 'done\n'], 'what was printed before the last state');
});

test('the index keeps the recorded run\'s regions of hot code; a replay that compiles them before its first step ends in the same state', async () => {
  const m = made();
  const regions = openIndex(m.index).regions;
  assert.ok(regions.length > 0 && regions.every((r) => r.length > 0), 'the loop got a region');
  const plain = engine(m);
  const profiled = engine(m);
  compileProfiled(regions, profiled.engine.machine.code, profiled.engine.machine.ram);
  assert.ok(profiled.engine.machine.wasmRegionsCompiled > 0, 'compiled at step 0');
  assert.equal((await plain.engine.run('forward')).reason, 'end');
  assert.equal((await profiled.engine.run('forward')).reason, 'end');
  assert.equal(stateHash(profiled.engine.machine), stateHash(plain.engine.machine));
  assert.equal(profiled.output(), plain.output());
});

test('an index without regions (as written before there were any) reads with none; regions read back as written', () => {
  const identity: IndexIdentity = { programHash: 'p', endStep: 1, endHash: 'h' };
  const write = (regions?: RegionProfile): Uint8Array => {
    const bytes: Uint8Array[] = [];
    new IndexWriter((b) => bytes.push(b.slice())).finish(identity, regions);
    return concat(bytes);
  };
  assert.deepEqual(openIndex(write()).regions, []);
  assert.equal(write().length, write([]).length, 'no regions: the bytes of before');
  const regions = [[0x80000000, 0x8000001e], [0xfffffffe]];
  assert.deepEqual(openIndex(write(regions)).regions, regions);
});

test('a profile lists each region of hot code\'s block starts, in the order its last block got hot; none where warm cases outnumber them', () => {
  const early = { warm: false }, late = { warm: false }, warm = { warm: true };
  const block = (start: number, region: object | null, hotSince: number, valid = true): Block => ({ start, region, hotSince, valid }) as unknown as Block;
  const blocks = [block(0x80000000, late, 10), block(0x80000010, late, 900), block(0x80000020, early, 500), block(0x80000030, null, 0), block(0x80000040, late, 9999, false)];
  assert.deepEqual(profileOf(blocks), [[0x80000020], [0x80000000, 0x80000010]]);
  assert.deepEqual(profileOf([...blocks, block(0x80000100, warm, 0), block(0x80000110, warm, 0), block(0x80000120, warm, 0)]), [[0x80000020], [0x80000000, 0x80000010]], 'as many warm cases as hot blocks');
  assert.deepEqual(profileOf([...blocks, ...[0, 1, 2, 3].map((i) => block(0x80000100 + 16 * i, warm, 0))]), [], 'more warm cases than hot blocks');
});

test('an entry of many pages is taken at every second checkpoint, one of few at every one, the end entry always', () => {
  const writer = new IndexWriter(() => undefined);
  const at = (n: number): number => n * CHECKPOINT_INTERVAL;
  assert.deepEqual([1, 2, 3, 4].map((n) => writer.accepts(64, false, at(n))), [false, true, false, true], '64 pages');
  assert.deepEqual([5, 6, 7].map((n) => writer.accepts(4, false, at(n))), [true, true, true], '4 pages');
  assert.equal(writer.accepts(64, false, at(8)), false);
  assert.equal(writer.accepts(64, true, at(8)), true, 'the end');
  // Checkpoints two intervals apart (rewind record's, for a program that writes many pages): an entry at each.
  assert.deepEqual([10, 12].map((n) => writer.accepts(64, false, at(n))), [true, true], '64 pages, two intervals apart');
});

test('with the index, a fresh engine runs to the end without replaying, and ends in the same state with the same output', async () => {
  const m = made();
  const plain = engine(m);
  assert.equal((await plain.engine.run('forward')).reason, 'end');
  assert.equal(plain.engine.stepsRun, m.recording.lastStep, 'without an index the whole recording is replayed');
  const fast = engine(m, m.index);
  assert.equal((await fast.engine.run('forward')).reason, 'end');
  assert.equal(fast.engine.step, m.recording.lastStep);
  assert.equal(fast.engine.stepsRun, 0, 'the end state came from the index');
  assert.equal(fast.engine.index!.adopted, 1);
  assert.equal(stateHash(fast.engine.machine), stateHash(plain.engine.machine));
  assert.equal(fast.output(), plain.output());
  assert.equal(fast.output(), m.console, 'the output the recorder saw');
  assert.deepEqual(fast.said, []);
});

test('with the index, a far seek replays from the nearest state, and travel back from the end works', async () => {
  const m = made();
  const target = 2 * CHECKPOINT_INTERVAL + 1_234_567;
  const plain = engine(m);
  await plain.engine.seek(target);
  const fast = engine(m, m.index);
  await fast.engine.seek(target);
  assert.ok(fast.engine.stepsRun <= 1_234_567, `replayed ${fast.engine.stepsRun} steps, from the index state at step ${2 * CHECKPOINT_INTERVAL}`);
  assert.equal(stateHash(fast.engine.machine), stateHash(plain.engine.machine));
  assert.equal(fast.output(), plain.output(), 'the output up to the target, once');
  await fast.engine.run('forward');
  assert.equal(fast.output(), m.console);
  assert.equal((await fast.engine.run('backward')).reason, 'start');
  assert.equal(fast.engine.step, 0);
  await fast.engine.seek(m.recording.lastStep - 1);
  await plain.engine.seek(m.recording.lastStep - 1);
  assert.equal(stateHash(fast.engine.machine), stateHash(plain.engine.machine));
  assert.equal(fast.output(), m.console, 'nothing printed twice');
});

test('a tampered index is found out by the state hash, said once and ignored: the results are those of a replay', async () => {
  const m = made();
  const tampered = m.index.slice();
  const entry = openIndex(m.index).entries.at(-1)!;
  tampered[entry.offset + 100] ^= 0xff; // a byte of a page of the end state
  const e = engine(m, tampered);
  assert.equal((await e.engine.run('forward')).reason, 'end');
  assert.equal(e.said.length, 1);
  assert.match(e.said[0], /the snapshot index is not used: its state at step [\d,]+ does not match the recording's state hash there/);
  assert.equal(e.engine.stepsRun, m.recording.lastStep, 'replayed from step 0');
  const plain = engine(m);
  await plain.engine.run('forward');
  assert.equal(stateHash(e.engine.machine), stateHash(plain.engine.machine));
  assert.equal(e.output(), m.console);
  await e.engine.seek(3 * CHECKPOINT_INTERVAL + 5);
  assert.equal(e.said.length, 1, 'said once');
});

test('an index of another recording (stale) is ignored with one sentence; a torn one does not open', async () => {
  const m = made();
  const shorter = make(3 * CHECKPOINT_INTERVAL + 10);
  const e = engine(m, shorter.index);
  assert.equal(e.said.length, 1);
  assert.match(e.said[0], /made for another recording/);
  await e.engine.run('forward');
  assert.equal(e.engine.stepsRun, m.recording.lastStep);
  assert.equal(e.output(), m.console);
  assert.throws(() => openIndex(m.index.subarray(0, m.index.length - 3)), FormatError);
  assert.throws(() => openIndex(new TextEncoder().encode('REWIND1\n not an index at all')), /bad magic/);
});

test('the output an index keeps: lines with the step of their first byte, cut where a checkpoint falls inside a line', () => {
  const log = new OutputLog();
  const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
  for (const [i, c] of [...'ab\ncd'].entries()) log.add(10 + i, 'stdout', bytes(c));
  log.add(CHECKPOINT_INTERVAL + 3, 'stdout', bytes('e\nf'));
  const text = (list: ReturnType<OutputLog['before']>): string[] => list.map((o) => `${o.step} ${new TextDecoder().decode(o.bytes)}`);
  assert.deepEqual(text(log.before(CHECKPOINT_INTERVAL)), ['10 ab\n', '13 cd']);
  assert.deepEqual(text(log.before(Infinity)), ['10 ab\n', '13 cd', `${CHECKPOINT_INTERVAL + 3} e\n`, `${CHECKPOINT_INTERVAL + 3} f`]);
});

test('an index whose state is of the wrong shape (the right hash, a damaged core) is set aside, and the replay is exact', async () => {
  const m = made();
  const parts: Uint8Array[] = [];
  const writer = new IndexWriter((b) => parts.push(b.slice()));
  writer.entry(m.recording.end!.step, m.recording.end!.hash, JSON.stringify({ step: m.recording.end!.step, x: 'not registers' }), []);
  writer.finish({ programHash: m.recording.programHash, endStep: m.recording.end!.step, endHash: m.recording.end!.hash });
  const e = engine(m, concat(parts));
  assert.equal((await e.engine.run('forward')).reason, 'end');
  assert.equal(e.said.length, 1);
  assert.match(e.said[0], /does not match the recording's state hash there/);
  assert.equal(e.engine.stepsRun, m.recording.lastStep);
  assert.equal(e.output(), m.console);
});

test('a reverse search lets the index states far from its start leave the store, and a later seek reads them again: every state exact', async () => {
  const m = made();
  const plain = engine(m);
  // Snapshots every 100K steps: every checkpoint's state lies beyond the dense stretch before the end.
  const fast = engine(m, m.index, 100_000);
  assert.equal((await fast.engine.run('forward')).reason, 'end');
  assert.equal((await fast.engine.run('backward', { breakpoints: [0x80700000] })).reason, 'start');
  const checkpoints = m.recording.checkpoints.map((c) => c.step);
  assert.ok(fast.engine.index!.adopted >= checkpoints.length, `${fast.engine.index!.adopted} states read`);
  assert.deepEqual(fast.engine.snapshots.steps().filter((s) => checkpoints.includes(s)), [], 'the states read from the index were let go');
  const adopted = fast.engine.index!.adopted;
  for (const target of [2 * CHECKPOINT_INTERVAL + 5, CHECKPOINT_INTERVAL + 1_000, 3 * CHECKPOINT_INTERVAL]) {
    await fast.engine.seek(target);
    await plain.engine.seek(target);
    assert.equal(stateHash(fast.engine.machine), stateHash(plain.engine.machine), `the state at step ${target}`);
  }
  assert.ok(fast.engine.index!.adopted > adopted, 'a seek read a released state again');
  assert.equal(fast.output(), m.console, 'nothing printed twice');
  assert.deepEqual(fast.said, []);
});
