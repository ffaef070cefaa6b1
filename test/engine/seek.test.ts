/**
 * Property: wherever the engine was before, `seek(n)` gives exactly the state of a straight run to n.
 * For every example (the timer one takes interrupts, the interactive one reads input, the uart one
 * prints on the UART) and a program that reads each kind of outside value; for many n (random,
 * snapshot boundaries ±1, 0 and the last step), reached forwards and backwards, with snapshots every
 * few thousand steps and with the default spacing, with a roomy and a tiny snapshot memory budget, and
 * with many snapshots taken but few kept.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplayEngine } from '../../emulator/replay/engine';
import { examples, outsideProgram, Program } from './programs';
import { record, stateHash, straightHashes } from './record';
import { Prng } from './prng';

interface Setting {
  what: string;
  interval: (lastStep: number) => number;
  memory?: number;
  most?: number;
}

const SETTINGS: Setting[] = [
  { what: 'a snapshot every seventh of the run', interval: (last) => Math.max(64, Math.floor(last / 7)) },
  { what: 'the default snapshot spacing', interval: () => 2_000_000 },
  { what: 'a snapshot every 1,000 steps in 64 KiB of snapshot memory', interval: () => 1_000, memory: 64 << 10 },
  { what: 'a snapshot every 200 steps, at most 12 kept', interval: () => 200, most: 12 },
];

function targets(lastStep: number, interval: number, prng: Prng): number[] {
  const steps = new Set<number>([0, 1, lastStep, Math.max(0, lastStep - 1)]);
  for (let k = 1; k * interval <= lastStep && k <= 8; k++) {
    for (const d of [-1, 0, 1]) steps.add(Math.min(lastStep, Math.max(0, k * interval + d)));
  }
  while (steps.size < 24) steps.add(prng.below(lastStep + 1));
  return [...steps];
}

const programs: Program[] = [...examples(), outsideProgram()];

for (const program of programs) {
  test(`seek(n) in ${program.name} gives the state of a straight run to n`, async () => {
    const { recording } = record(program);
    const last = recording.lastStep;
    assert.ok(last > 100, `${program.name} ran only ${last} steps`);
    const prng = new Prng(0x5eec ^ last);
    for (const setting of SETTINGS) {
      const interval = setting.interval(last);
      const wanted = targets(last, interval, prng);
      const expected = straightHashes(program, wanted);
      const engine = new ReplayEngine(recording, { snapshotInterval: interval, snapshotMemoryBytes: setting.memory, maxSnapshots: setting.most });
      assert.equal(engine.lastStep, last);
      // Random order: every seek starts from wherever the one before left the engine.
      for (const n of prng.shuffle([...wanted, ...wanted.slice(0, 6)])) {
        const from = engine.step;
        const stop = await engine.seek(n);
        assert.deepEqual(stop, { reason: 'step' }, `${program.name}, ${setting.what}: seek(${n}) from ${from}`);
        assert.equal(engine.step, n);
        assert.equal(stateHash(engine.machine), expected.get(n),
          `${program.name}, ${setting.what}: the state after seek(${n}) from step ${from} differs from a straight run`);
      }
      if (setting.memory !== undefined) {
        assert.ok(engine.snapshots.memoryBytes <= setting.memory + 64 * 1024,
          `snapshots use ${engine.snapshots.memoryBytes} bytes, over the budget of ${setting.memory}`);
      }
      if (setting.most !== undefined) {
        assert.ok(engine.snapshots.count <= setting.most, `${engine.snapshots.count} snapshots kept, more than ${setting.most}`);
      }
    }
  });
}

test('a step back and a step forward land where seek does', async () => {
  const program = examples().find((p) => p.name === 'timer.elf')!;
  const { recording } = record(program);
  const engine = new ReplayEngine(recording, { snapshotInterval: 20_000 });
  const prng = new Prng(7);
  const starts = Array.from({ length: 6 }, () => prng.between(2, recording.lastStep - 2));
  const expected = straightHashes(program, starts.flatMap((s) => [s - 1, s, s + 1]));
  for (const s of starts) {
    await engine.seek(s);
    assert.deepEqual(await engine.stepInstruction('backward'), { reason: 'step' });
    assert.equal(engine.step, s - 1);
    assert.equal(stateHash(engine.machine), expected.get(s - 1), `step back from ${s}`);
    await engine.stepInstruction('forward');
    await engine.stepInstruction('forward');
    assert.equal(engine.step, s + 1);
    assert.equal(stateHash(engine.machine), expected.get(s + 1), `two steps forward from ${s - 1}`);
  }
  await engine.seek(0);
  assert.deepEqual(await engine.stepInstruction('backward'), { reason: 'start' });
  await engine.seek(recording.lastStep);
  assert.equal((await engine.stepInstruction('forward')).reason, 'end');
  assert.equal(engine.step, recording.lastStep);
});

test('seek refuses a step outside the recording with a sentence that says where it ends', async () => {
  const { recording } = record(examples()[0]);
  const engine = new ReplayEngine(recording);
  await assert.rejects(engine.seek(recording.lastStep + 1), new RegExp(`cannot go to step ${(recording.lastStep + 1).toLocaleString('en-US')}: the recording ends at step ${recording.lastStep.toLocaleString('en-US')}`));
  await assert.rejects(engine.seek(-1), /a step is a whole number from 0, not -1/);
  await assert.rejects(engine.seek(2.5), /a step is a whole number from 0, not 2.5/);
  assert.equal(engine.step, 0);
});
