/**
 * Time travel across code that a program rewrites: test/privileged/fence_i.elf copies code into RAM and
 * runs it, patches it by word and by halfword (in a hot loop), loads two overlays in turn into one buffer
 * and runs each until it is compiled, and stores an instruction it then runs without fence.i. A snapshot
 * restore puts back older code under blocks, regions and warm cases decoded from newer code: every seek
 * (back to before a rewrite, then forward past it again), reverse step and reverse continue must give the
 * state of a straight interpreted run, and a breakpoint in the rewritten buffer must stop where that run
 * reaches it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ReplayEngine } from '../../emulator/replay/engine';
import { parseElf } from '../../emulator/elf';
import { Program } from './programs';
import { record, stateHash, straightHashes, straightMachine } from './record';
import { Prng } from './prng';

const ELF = resolve(__dirname, '../../../test/privileged/fence_i.elf');
const PROGRAM: Program = { name: 'fence_i.elf', elf: readFileSync(ELF), input: new Uint8Array() };

/** The address of a symbol of the ELF. */
function symbol(name: string): number {
  const found = parseElf(PROGRAM.elf).symbols.find((s) => s.name === name);
  assert.ok(found, `fence_i.elf has no symbol ${name}`);
  return found.value;
}

/** Steps at which a straight run is about to run the instruction at `address`, in order. */
function stepsAt(address: number): number[] {
  const machine = straightMachine(PROGRAM);
  machine.setBreakpoints([address]);
  const steps: number[] = [];
  for (;;) {
    // A breakpoint where the run starts is passed over (the one it stopped at last).
    const reason = machine.run(1_000_000);
    if (reason.kind === 'breakpoint') steps.push(machine.step);
    else if (reason.kind !== 'limit') return steps;
  }
}

test('seeks back and forth across code rewrites give the states of a straight run', async () => {
  const { recording } = record(PROGRAM);
  const last = recording.lastStep;
  // Where the buffer's first instruction runs: before and after each rewrite of it.
  const calls = stepsAt(symbol('buffer'));
  assert.ok(calls.length > 4000, `the buffer ran ${calls.length} times`);
  const prng = new Prng(0xfe1c);
  const wanted = new Set<number>([0, last]);
  // Every change of what runs there: the call before and after it, and a step on either side.
  const sampled = [...calls.slice(0, 3), ...calls.slice(4990, 5010), ...calls.slice(-12), ...Array.from({ length: 24 }, () => calls[prng.below(calls.length)])];
  for (const s of sampled) for (const d of [-1, 0, 1, 3]) wanted.add(Math.min(last, s + d));
  const expected = straightHashes(PROGRAM, wanted);
  for (const interval of [50_000, 2_000]) {
    const engine = new ReplayEngine(recording, { snapshotInterval: interval });
    // Forward to the end first, so that the newest code is decoded and compiled, then everywhere at random.
    await engine.seek(last);
    for (const n of prng.shuffle([...wanted, ...wanted])) {
      const from = engine.step;
      assert.deepEqual(await engine.seek(n), { reason: 'step' });
      assert.equal(stateHash(engine.machine), expected.get(n), `interval ${interval}: seek(${n}) from step ${from} differs from a straight run`);
    }
    assert.ok(engine.machine.regionsCompiled > 0, 'the replay ran compiled code');
  }
});

test('reverse steps and reverse continue to a breakpoint in the rewritten buffer stop where a straight run is', async () => {
  const { recording } = record(PROGRAM);
  const buffer = symbol('buffer');
  const calls = stepsAt(buffer);
  const engine = new ReplayEngine(recording, { snapshotInterval: 5_000 });
  // Step back one instruction at a time over the last overlay load and the fence.i before its first call.
  const firstOfLast = calls[calls.length - 1 - 600];
  const expected = straightHashes(PROGRAM, Array.from({ length: 40 }, (_, i) => firstOfLast + 5 - i));
  await engine.seek(recording.lastStep);
  await engine.seek(firstOfLast + 5);
  for (let i = 1; i < 40; i++) {
    assert.deepEqual(await engine.stepInstruction('backward'), { reason: 'step' });
    assert.equal(stateHash(engine.machine), expected.get(firstOfLast + 5 - i), `${i} steps back from ${firstOfLast + 5}`);
  }
  // Reverse continue from the end to the buffer's address: every stop is a straight run's call, latest first.
  await engine.seek(recording.lastStep);
  for (let i = 1; i <= 8; i++) {
    const stop = await engine.run('backward', { breakpoints: [buffer] });
    assert.deepEqual(stop, { reason: 'breakpoint', address: buffer });
    assert.equal(engine.step, calls[calls.length - i], `reverse continue ${i}`);
  }
  // And forward again from there to the next call, through the overlay loads in between.
  await engine.seek(calls[calls.length - 1 - 601]);
  assert.deepEqual(await engine.run('forward', { breakpoints: [buffer] }), { reason: 'breakpoint', address: buffer });
  assert.equal(engine.step, calls[calls.length - 1 - 600]);
});
