/**
 * A program that idles (bench/idle/idle.elf: a counter in a register, no memory written, no input)
 * adds checkpoints ever further apart, live and under `rewind record` alike (issue 20: a live session
 * left open wrote one every 16 million steps, without end), and its recording still replays exactly:
 * every checkpoint's state hash is checked by a replay from step 0 and by seeks. A program that writes
 * memory keeps one at every multiple of the interval (test/recording/divergence: one page written), or
 * under `rewind record` at every second multiple when it writes many pages (recording-writer.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ReplayEngine } from '../../emulator/replay/engine';
import { decodeRecording } from '../../emulator/replay/recording-format';
import { Recorder } from '../../emulator/replay/recorder';
import { CHECKPOINT_INTERVAL } from '../../emulator/replay/recording-writer';
import { ScriptedOutside } from '../../emulator/outside';

const BENCH = resolve(__dirname, '../../../bench');
const idle = readFileSync(resolve(BENCH, 'idle/idle.elf'));
/** 100 checkpoint intervals. */
const STEPS = 100 * CHECKPOINT_INTERVAL;

function concat(parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}

test('a live session of an idle program adds a handful of checkpoints over 1.6 billion steps, and replays exactly', async () => {
  const file: Uint8Array[] = [];
  const engine = ReplayEngine.live({ program: idle, programName: 'idle.elf', append: (b) => file.push(b.slice()), date: 1_700_000_000 });
  const stop = await engine.run('forward', {}, { cancelled: () => engine.step >= STEPS });
  assert.equal(stop.reason, 'cancelled');
  assert.ok(engine.step >= STEPS, `the live run stopped at step ${engine.step}`);
  const steps = engine.recording.checkpoints.map((c) => c.step);
  // Doubling gaps: 16M, 32M, 64M, … reach 1.6 billion in about log2(100) checkpoints.
  assert.ok(steps.length >= 3 && steps.length <= 8, `${steps.length} checkpoints: ${steps.join(', ')}`);
  for (let i = 2; i < steps.length; i++) assert.ok(steps[i] - steps[i - 1] >= 2 * (steps[i - 1] - steps[i - 2]), `gaps do not grow: ${steps.join(', ')}`);
  await engine.finishLive();
  const recording = decodeRecording(concat(file));
  assert.deepEqual(recording.checkpoints.map((c) => c.step), steps);
  assert.ok(recording.sizeBytes < 2048 + idle.length, `the recording of an idle run is ${recording.sizeBytes} bytes`);
  // The replay checks every checkpoint's hash and the end's (a divergence throws).
  const replay = new ReplayEngine(recording);
  assert.equal((await replay.run('forward')).reason, 'end');
  assert.equal(replay.step, recording.lastStep);
  await replay.seek(steps[1] + 12_345);
  assert.equal(replay.step, steps[1] + 12_345);
});

test('rewind record spaces the checkpoints of an idle program the same way', () => {
  const file: Uint8Array[] = [];
  const recorder = new Recorder(idle, 'idle.elf', new ScriptedOutside(), { write: () => undefined }, (b) => file.push(b.slice()));
  recorder.run(STEPS);
  recorder.finish({ kind: 'limit' });
  const steps = decodeRecording(concat(file)).checkpoints.map((c) => c.step);
  assert.ok(steps.length >= 3 && steps.length <= 8, `${steps.length} checkpoints: ${steps.join(', ')}`);
  assert.equal(steps[0], CHECKPOINT_INTERVAL);
});

test('rewind record of a program that writes many pages in every interval keeps a checkpoint at every second multiple', () => {
  const file: Uint8Array[] = [];
  const long = readFileSync(resolve(BENCH, 'replay/long.elf'));
  const recorder = new Recorder(long, 'long.elf', new ScriptedOutside(), { write: () => undefined }, (b) => file.push(b.slice()));
  recorder.run(10 * CHECKPOINT_INTERVAL);
  recorder.finish({ kind: 'limit' });
  const steps = decodeRecording(concat(file)).checkpoints.map((c) => c.step);
  // long.elf writes 64 pages in every interval (more than FEW_PAGES).
  assert.deepEqual(steps, Array.from({ length: 5 }, (_, i) => 2 * (i + 1) * CHECKPOINT_INTERVAL));
});
