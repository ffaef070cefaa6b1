/**
 * A memory-heavy program (bench/replay/churn.elf: 100 MiB of RAM rewritten every two million steps, 100
 * million steps in all) keeps within its snapshot budget, whatever the budget: the snapshots' memory as
 * the budget counts it and the page memory the store holds from the process (kept and free pages) stay
 * bounded through a replay to the end, seeks both ways, a reverse step and a reverse continue to the
 * start, and every state reached is still exact (the recorder's hashes are checked on the way, and two
 * seeks against a straight run). Issue 20: `snapshotMemoryMB: 1` kept 200 MB.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import test from 'node:test';
import { DEFAULT_CONFIG } from '../../emulator/machine';
import { ReplayEngine } from '../../emulator/replay/engine';
import { Program } from './programs';
import { record, stateHash, straightHashes } from './record';

const CHURN: Program = {
  name: 'churn.elf',
  elf: readFileSync(resolve(__dirname, '../../../bench/replay/churn.elf')),
  input: new Uint8Array(0),
};
const MiB = 1 << 20;
/** What one snapshot of this program holds: the pages it rewrites between two. */
const ONE_SNAPSHOT = 101 * MiB;
const TARGETS = [75_000_123, 20_000_456, 60_000_789];

const recorded = record(CHURN, DEFAULT_CONFIG);
const straight = straightHashes(CHURN, TARGETS.slice(0, 2), DEFAULT_CONFIG);

for (const budgetMiB of [1, 150]) {
  test(`a program rewriting 100 MiB per 2M steps keeps a ${budgetMiB} MiB snapshot budget, and stays exact`, async () => {
    const { recording } = recorded;
    assert.equal(recorded.reason.kind, 'exit');
    assert.ok(recording.lastStep > 100_000_000, `churn ran only ${recording.lastStep} steps`);
    const budget = budgetMiB * MiB;
    const engine = new ReplayEngine(recording, { snapshotMemoryBytes: budget });
    // A snapshot larger than the whole budget is never taken; otherwise one may be held while the
    // store drops another to make room.
    const held = budget < ONE_SNAPSHOT ? budget + MiB : budget + ONE_SNAPSHOT;
    const bounded = (what: string): void => {
      assert.ok(engine.snapshots.memoryBytes <= budget, `${what}: the snapshots count ${engine.snapshots.memoryBytes} bytes, over the budget of ${budget}`);
      assert.ok(engine.snapshots.heldBytes <= held, `${what}: the snapshot store holds ${engine.snapshots.heldBytes} bytes, more than ${held}`);
    };
    assert.equal((await engine.run('forward')).reason, 'end');
    assert.equal(engine.step, recording.lastStep);
    bounded('after a replay to the end');
    for (const target of TARGETS) {
      await engine.seek(target);
      assert.equal(engine.step, target);
      bounded(`after seek(${target})`);
      const expected = straight.get(target);
      if (expected) assert.equal(stateHash(engine.machine), expected, `the state after seek(${target}) differs from a straight run`);
    }
    await engine.stepInstruction('backward');
    assert.equal(engine.step, TARGETS.at(-1)! - 1);
    assert.equal((await engine.run('backward')).reason, 'start');
    assert.equal(engine.step, 0);
    bounded('after a reverse continue to the start');
  });
}
