/**
 * The seek and reverse-continue properties on random programs (random-programs.ts): every seek gives
 * the state of a straight run, and reverse continue and continue on a breakpoint and on watchpoints of
 * every kind over the program's buffer stop exactly where a forward scan says.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseElf } from '../../emulator/elf';
import { ReplayEngine } from '../../emulator/replay/engine';
import { Watchpoint } from '../../emulator/machine';
import { record, stateHash, straightHashes } from './record';
import { untilOf, Conditions, forwardScan } from './forward-scan';
import { expectedBackward, expectedForward } from './expected-stops';
import { BUFFER_BYTES, randomProgram } from './random-programs';
import { Prng } from './prng';

const SEEDS = [11, 22, 33, 44, 55, 66, 77, 88, 99, 110];

for (const seed of SEEDS) {
  test(`random program ${seed}: seek, reverse continue and continue agree with a straight run`, async () => {
    const program = randomProgram(seed);
    const { recording } = record(program);
    assert.deepEqual(recording.end?.reason, { kind: 'exit', code: 0, via: 'test-finisher' }, `seed ${seed} did not run to its end`);
    const last = recording.lastStep;
    const prng = new Prng(seed * 31);
    const interval = prng.between(500, 3_000);

    // Seek: random targets, in random order.
    const targets = Array.from({ length: 16 }, () => prng.between(0, last));
    const expected = straightHashes(program, targets);
    const engine = new ReplayEngine(recording, { snapshotInterval: interval });
    for (const n of prng.shuffle([...targets, ...targets.slice(0, 4)])) {
      const from = engine.step;
      await engine.seek(n);
      assert.equal(stateHash(engine.machine), expected.get(n), `seed ${seed}: seek(${n}) from ${from}`);
    }

    // Stop conditions over the buffer and the loop body.
    const image = parseElf(program.elf);
    const buffer = image.symbol('buffer')!.value;
    const word = buffer + 4 * prng.below(BUFFER_BYTES / 4);
    const access: Watchpoint['access'] = (['read', 'write', 'readWrite'] as const)[prng.below(3)];
    const conditionSets: Array<[string, Conditions]> = [
      ['a breakpoint in the loop', { breakpoints: [image.symbol('marked')!.value] }],
      [`a ${access} watchpoint on a word of the buffer`, { watchpoints: [{ address: word, length: 4, access }] }],
      ['write watchpoints on two bytes of the buffer', { watchpoints: [{ address: buffer + 1, length: 1, access: 'write' }, { address: buffer + 130, length: 2, access: 'write' }] }],
    ];
    for (const [what, conditions] of conditionSets) {
      const hits = forwardScan(program, conditions, last);
      if (conditions.breakpoints) assert.ok(hits.length > 1_000, `seed ${seed}: the marked instruction ran ${hits.length} times`);
      const until = untilOf(conditions);
      for (let i = 0; i < 8; i++) {
        const from = prng.between(0, last);
        await engine.seek(from);
        await engine.run('backward', until);
        assert.equal(engine.step, expectedBackward(from, hits, []).position, `seed ${seed}, ${what}: reverse continue from ${from}`);
        await engine.seek(from);
        await engine.run('forward', until);
        assert.equal(engine.step, expectedForward(from, hits, [], last).position, `seed ${seed}, ${what}: continue from ${from}`);
      }
    }
  });
}
