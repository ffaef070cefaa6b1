/**
 * A backward history scan for no address at all (reverse step into where no line of the program has
 * source on this machine: no line table, or sources elsewhere) can find nothing: it answers at once, as
 * a scan back to step 0 would, without replaying history. It replayed all of it in growing windows
 * before: the adapter does such a step when F5 ends in library code, 147M steps after test/adapter's
 * 16 MiB output flood, seconds of CPU before the stop.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplayEngine } from '../../emulator/replay/engine';
import { Hit, searchBackward } from '../../debugger/history-scan';
import { example } from './programs';
import { record } from './record';

test('a backward scan for no address decides on no hits, complete, without replaying', async () => {
  const { recording } = record(example('hello'));
  const engine = new ReplayEngine(recording, { snapshotInterval: 5_000 });
  await engine.seek(recording.lastStep);
  const before = engine.stepsRun;
  const asked: Array<[Array<Hit<undefined>>, boolean]> = [];
  const answer = await searchBackward(engine, engine.step, [], () => undefined, (hits, complete) => {
    asked.push([hits, complete]);
    return complete ? undefined : 'more';
  });
  assert.equal(answer, undefined);
  assert.deepEqual(asked, [[[], true]]);
  assert.equal(engine.stepsRun, before, 'steps replayed');
  assert.equal(engine.step, recording.lastStep);
});
