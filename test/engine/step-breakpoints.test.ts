/**
 * Step breakpoints, the three documented answers: adding one that exists is a no-op that says so, one
 * in the past is allowed (we travel back to it), removing one that does not exist is a clear error.
 * And any number of them, in both directions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineError, ReplayEngine } from '../../emulator/replay/engine';
import { example } from './programs';
import { record } from './record';
import { Prng } from './prng';

const hello = example('hello');

test('adding a step breakpoint that exists changes nothing and says so', () => {
  const engine = new ReplayEngine(record(hello).recording);
  assert.equal(engine.addStepBreakpoint(500), true);
  assert.equal(engine.addStepBreakpoint(500), false);
  assert.deepEqual(engine.stepBreakpoints(), [500]);
});

test('a step breakpoint in the past is allowed, and reverse continue stops there', async () => {
  const engine = new ReplayEngine(record(hello).recording, { snapshotInterval: 1_000 });
  await engine.seek(9_000);
  assert.equal(engine.addStepBreakpoint(1_234), true);
  assert.deepEqual(await engine.continueBackward(), { reason: 'stepBreakpoint', step: 1_234 });
  assert.equal(engine.step, 1_234);
  assert.deepEqual(await engine.continueBackward(), { reason: 'start' });
  assert.equal(engine.step, 0);
  assert.deepEqual(await engine.continueForward(), { reason: 'stepBreakpoint', step: 1_234 });
  assert.equal(engine.step, 1_234);
});

test('removing a step breakpoint that does not exist is an error that names the step', () => {
  const engine = new ReplayEngine(record(hello).recording);
  engine.addStepBreakpoint(10_000);
  assert.throws(() => engine.removeStepBreakpoint(10_001), (e: unknown) => e instanceof EngineError && /there is no step breakpoint at step 10,001/.test(e.message));
  engine.removeStepBreakpoint(10_000);
  assert.throws(() => engine.removeStepBreakpoint(10_000), EngineError);
  assert.deepEqual(engine.stepBreakpoints(), []);
});

test('a step breakpoint past the end of the recording is refused with a sentence', () => {
  const { recording } = record(hello);
  const engine = new ReplayEngine(recording);
  assert.throws(() => engine.addStepBreakpoint(recording.lastStep + 1), /cannot go to step .*: the recording ends at step/);
  assert.throws(() => engine.addStepBreakpoint(-3), /a step is a whole number from 0/);
  assert.deepEqual(engine.stepBreakpoints(), []);
});

test('any number of step breakpoints: continue visits each in order, reverse continue in reverse', async () => {
  const { recording } = record(hello);
  const engine = new ReplayEngine(recording, { snapshotInterval: 700 });
  const prng = new Prng(3);
  const steps = new Set<number>();
  while (steps.size < 60) steps.add(prng.between(1, recording.lastStep - 1));
  for (const s of steps) assert.equal(engine.addStepBreakpoint(s), true);
  const sorted = [...steps].sort((a, b) => a - b);
  assert.deepEqual(engine.stepBreakpoints(), sorted);
  const forward: number[] = [];
  for (let stop = await engine.continueForward(); stop.reason === 'stepBreakpoint'; stop = await engine.continueForward()) forward.push(engine.step);
  assert.deepEqual(forward, sorted);
  assert.equal(engine.step, recording.lastStep);
  const backward: number[] = [];
  for (let stop = await engine.continueBackward(); stop.reason === 'stepBreakpoint'; stop = await engine.continueBackward()) backward.push(engine.step);
  assert.deepEqual(backward, [...sorted].reverse());
  assert.equal(engine.step, 0);
});

test('a step breakpoint on the last step stops as a step breakpoint, then continue says end of recording', async () => {
  const engine = new ReplayEngine(record(hello).recording);
  const last = engine.lastStep;
  engine.addStepBreakpoint(last);
  assert.deepEqual(await engine.continueForward(), { reason: 'stepBreakpoint', step: last });
  assert.equal(engine.step, last);
  assert.equal((await engine.continueForward()).reason, 'end');
});
