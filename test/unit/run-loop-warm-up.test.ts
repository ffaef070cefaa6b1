/**
 * The run loop's warm-up (emulator/run/run-loop-warm-up.ts) really goes down the paths it is for, on its
 * own scratch machine (one page a turn): a mis-encoded training program would leave V8's optimized loop to bail out again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, Machine } from '../../emulator/machine';
import { ScriptedOutside } from '../../emulator/outside';
import { SCRATCH_PAGES, warmUpInterpreterAndRunLoop } from '../../emulator/run/run-loop-warm-up';
import { HOT_BLOCK_RUNS, HOT_BLOCK_WINDOW, HOT_REGION_RUNS } from '../../emulator/cpu/block';

test('the warm-up runs a scratch machine into a hot block, a long-warm one and one that goes on to two blocks in turn, on a page a turn, compiles nothing, ends with the guest\'s exit, and runs once', () => {
  const made: Machine[] = [];
  const seen: Array<{ start: number; hot: boolean; runs: number }> = [];
  warmUpInterpreterAndRunLoop(() => {
    const m = new Machine({ ...DEFAULT_CONFIG, ramSize: SCRATCH_PAGES << 12 }, new ScriptedOutside(), { write: () => undefined });
    made.push(m);
    return m;
  });
  assert.equal(made.length, 1, 'one scratch machine for the interpreter and both turns of the run loop');
  const [m] = made;
  assert.ok(m.step > 2 * HOT_REGION_RUNS * HOT_BLOCK_WINDOW / HOT_BLOCK_RUNS, `steps ${m.step}`);
  assert.equal(m.regionsCompiled, 0);
  // The last turn's registers: each turn starts from zeros.
  assert.equal(m.x[6], HOT_BLOCK_RUNS + 5, 't1: four addis alone, then 2 * HOT_BLOCK_RUNS + 1 steps of addi; bne');
  for (const page of [3, 4]) {
    const offset = page << 12;
    for (const at of [0, 8]) {
      // The machine's code cache is its own: read through a cast, as nothing outside the engine needs it.
      const block = (m as unknown as { code: { blockAt(pc: number): { hot: boolean; runs: number } } }).code.blockAt(m.ram.base + offset + at);
      seen.push({ start: offset + at, hot: block.hot, runs: block.runs });
    }
    // The two-way loop's first block (word 4) went on to both of its others (words 7 and 8), in turn.
    type Linked = { start: number; successor: Linked | null; otherSuccessor: Linked | null };
    const twoWay = (m as unknown as { code: { blockAt(pc: number): Linked } }).code.blockAt(m.ram.base + offset + 16);
    const links = [twoWay.successor?.start, twoWay.otherSuccessor?.start].map((pc) => pc === undefined ? -1 : pc - m.ram.base - offset);
    assert.deepEqual(links.sort((a, b) => a - b), [28, 32], JSON.stringify(links));
  }
  // The warm loop was warm at every question until it had run more than a region needs, then hot: its
  // count started again, under a region's.
  assert.deepEqual(seen.map((s) => s.hot), [true, true, true, true], JSON.stringify(seen));
  assert.ok(seen.every((s) => s.runs >= HOT_BLOCK_RUNS && s.runs < HOT_REGION_RUNS), JSON.stringify(seen));
  // Last, the guest's exit as every bench program makes it (a store to the test finisher inside a block).
  assert.deepEqual(m.halted, { kind: 'exit', code: 0, via: 'test-finisher' });
  warmUpInterpreterAndRunLoop(() => assert.fail('a second warm-up in the same process'));
});
