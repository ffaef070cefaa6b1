/**
 * Step breakpoints, the three documented answers: adding one that exists is a no-op that says so, one
 * in the past is allowed (we travel back to it), removing one that does not exist is a clear error.
 * And any number of them, in both directions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineError, ReplayEngine } from '../../emulator/replay/engine';
import { Debugger } from '../../debugger/debugger';
import { example } from './programs';
import { record } from './record';
import { Prng } from './prng';

const hello = example('hello');

/** The core over a fresh engine: the step breakpoints are the core's, every run takes them as a value. */
function open(...args: ConstructorParameters<typeof ReplayEngine>): { engine: ReplayEngine; core: Debugger; cont: (direction: 'forward' | 'backward') => Promise<unknown> } {
  const engine = new ReplayEngine(...args);
  const core = new Debugger(engine);
  return { engine, core, cont: async (direction) => (await core.continue(direction)).cause };
}

test('adding a step breakpoint that exists changes nothing and says so', () => {
  const { core } = open(record(hello).recording);
  assert.equal(core.stepBreakpoints.add(500), true);
  assert.equal(core.stepBreakpoints.add(500), false);
  assert.deepEqual(core.stepBreakpoints.list(), [500]);
});

test('a step breakpoint in the past is allowed, and reverse continue stops there', async () => {
  const { engine, core, cont } = open(record(hello).recording, { snapshotInterval: 1_000 });
  await engine.seek(9_000);
  assert.equal(core.stepBreakpoints.add(1_234), true);
  assert.deepEqual(await cont('backward'), { reason: 'stepBreakpoint', step: 1_234 });
  assert.equal(engine.step, 1_234);
  assert.deepEqual(await cont('backward'), { reason: 'start' });
  assert.equal(engine.step, 0);
  assert.deepEqual(await cont('forward'), { reason: 'stepBreakpoint', step: 1_234 });
  assert.equal(engine.step, 1_234);
});

test('removing a step breakpoint that does not exist is an error that names the step', () => {
  const { core } = open(record(hello).recording);
  core.stepBreakpoints.add(10_000);
  assert.throws(() => core.stepBreakpoints.remove(10_001), (e: unknown) => e instanceof EngineError && /there is no step breakpoint at step 10,001/.test(e.message));
  core.stepBreakpoints.remove(10_000);
  assert.throws(() => core.stepBreakpoints.remove(10_000), EngineError);
  assert.deepEqual(core.stepBreakpoints.list(), []);
});

test('a step breakpoint past the end of the recording is refused with a sentence', () => {
  const { recording } = record(hello);
  const { core } = open(recording);
  assert.throws(() => core.stepBreakpoints.add(recording.lastStep + 1), /cannot go to step .*: the recording ends at step/);
  assert.throws(() => core.stepBreakpoints.add(-3), /a step is a whole number from 0/);
  assert.deepEqual(core.stepBreakpoints.list(), []);
});

test('any number of step breakpoints: continue visits each in order, reverse continue in reverse', async () => {
  const { recording } = record(hello);
  const { engine, core } = open(recording, { snapshotInterval: 700 });
  const prng = new Prng(3);
  const steps = new Set<number>();
  while (steps.size < 60) steps.add(prng.between(1, recording.lastStep - 1));
  for (const s of steps) assert.equal(core.stepBreakpoints.add(s), true);
  const sorted = [...steps].sort((a, b) => a - b);
  assert.deepEqual(core.stepBreakpoints.list(), sorted);
  const forward: number[] = [];
  for (let stop = await core.continue('forward'); stop.reason === 'stepBreakpoint'; stop = await core.continue('forward')) forward.push(engine.step);
  assert.deepEqual(forward, sorted);
  assert.equal(engine.step, recording.lastStep);
  const backward: number[] = [];
  for (let stop = await core.continue('backward'); stop.reason === 'stepBreakpoint'; stop = await core.continue('backward')) backward.push(engine.step);
  assert.deepEqual(backward, [...sorted].reverse());
  assert.equal(engine.step, 0);
});

test('a step breakpoint on the last step stops as a step breakpoint, then continue says end of recording', async () => {
  const { engine, core, cont } = open(record(hello).recording);
  const last = engine.lastStep;
  core.stepBreakpoints.add(last);
  assert.deepEqual(await cont('forward'), { reason: 'stepBreakpoint', step: last });
  assert.equal(engine.step, last);
  assert.equal((await core.continue('forward')).reason, 'end');
});

test('reverse continue with nothing but step breakpoints to stop at goes straight there, replaying nothing on the way', async () => {
  const recording = record(hello).recording;
  const last = recording.lastStep;
  // No snapshot but step 0's: a search backwards would have to replay everything before the position.
  const { engine, cont, core } = open(recording, { snapshotInterval: 1e12 });
  await engine.seek(last);
  let ran = engine.stepsRun;
  assert.deepEqual(await cont('backward'), { reason: 'start' });
  assert.equal(engine.step, 0);
  assert.equal(engine.stepsRun, ran, 'steps were replayed to find that nothing stops a reverse continue');
  const middle = Math.floor(last / 2);
  core.stepBreakpoints.add(0);
  core.stepBreakpoints.add(middle);
  core.stepBreakpoints.add(last - 1);
  await engine.seek(last - 1);
  ran = engine.stepsRun;
  assert.deepEqual(await cont('backward'), { reason: 'stepBreakpoint', step: middle });
  assert.equal(engine.step, middle);
  assert.ok(engine.stepsRun - ran <= middle, `reverse continue replayed ${engine.stepsRun - ran} steps to reach step ${middle}`);
  assert.deepEqual(await cont('backward'), { reason: 'stepBreakpoint', step: 0 });
  assert.equal(engine.step, 0);
});
