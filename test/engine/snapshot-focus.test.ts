/**
 * A run that knows where the user will be (the end, for a run forward with nothing to stop at; the
 * target of a seek; the start of a reverse search) keeps its snapshots dense near there and sparse far
 * from it (SnapshotSpacing's focus), and every state reached through the sparse part is still exact.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplayEngine } from '../../emulator/replay/engine';
import { example } from './programs';
import { record, stateHash, straightHashes } from './record';

const INTERVAL = 1_000;

test('a run forward to the end spaces snapshots by their distance from the end, and seeks through the sparse part are exact', async () => {
  const program = example('timer');
  const { recording } = record(program);
  const last = recording.lastStep;
  assert.ok(last > 200 * INTERVAL, `timer.elf ran only ${last} steps`);
  const engine = new ReplayEngine(recording, { snapshotInterval: INTERVAL });
  assert.deepEqual(await engine.run('forward'), { reason: 'end', exit: engine.machine.halted ?? undefined });
  const steps = engine.snapshots.steps();
  // Far fewer than one every INTERVAL steps, and the gaps shrink towards the end.
  assert.ok(steps.length < last / INTERVAL / 3, `${steps.length} snapshots over ${last} steps`);
  const gaps = steps.slice(1).map((s, i) => s - steps[i]);
  assert.ok(gaps[0] > 8 * INTERVAL, `the first gap is ${gaps[0]} steps`);
  assert.ok(gaps[gaps.length - 1] <= 4 * INTERVAL, `the last gap is ${gaps[gaps.length - 1]} steps`);

  const wanted = [1, steps[1] - 1, steps[1] + 1, Math.floor(last / 3), Math.floor(last / 2), last - 1];
  const expected = straightHashes(program, wanted);
  for (const n of [...wanted].reverse()) {
    await engine.seek(n);
    assert.equal(stateHash(engine.machine), expected.get(n), `the state after seek(${n}) differs from a straight run`);
  }
  // A reverse search from the end finds nothing and stops at 0, replaying the sparse part exactly.
  await engine.seek(last);
  assert.deepEqual(await engine.run('backward', { breakpoints: [0x80700000] }), { reason: 'start' });
  assert.equal(engine.step, 0);
});
