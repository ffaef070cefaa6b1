/**
 * The run loop's warm-up (emulator/run/run-loop-warm-up.ts) really goes down the paths it is for, on its
 * own scratch machine: a mis-encoded training program would leave V8's optimized loop to bail out again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, Machine } from '../../emulator/machine';
import { ScriptedOutside } from '../../emulator/outside';
import { warmUpInterpreterAndRunLoop } from '../../emulator/run/run-loop-warm-up';
import { HOT_BLOCK_RUNS, HOT_BLOCK_WINDOW, HOT_REGION_RUNS } from '../../emulator/cpu/block';

test('the warm-up runs scratch machines into a hot block, a long-warm one and one that goes on to two blocks in turn, compiles nothing, and runs once', () => {
  const made: Machine[] = [];
  const seen: Array<{ start: number; hot: boolean; runs: number }> = [];
  warmUpInterpreterAndRunLoop(() => {
    const m = new Machine({ ...DEFAULT_CONFIG, ramSize: 4 << 12 }, new ScriptedOutside(), { write: () => undefined });
    made.push(m);
    return m;
  });
  assert.equal(made.length, 3, 'one scratch machine for the interpreter, two in turn for the run loop');
  for (const m of made.slice(1)) {
    assert.ok(m.step > HOT_REGION_RUNS * HOT_BLOCK_WINDOW / HOT_BLOCK_RUNS, `steps ${m.step}`);
    for (const at of [0, 8]) {
      // The machine's code cache is its own: read through a cast, as nothing outside the engine needs it.
      const block = (m as unknown as { code: { blockAt(pc: number): { hot: boolean; runs: number } } }).code.blockAt(m.ram.base + at);
      seen.push({ start: at, hot: block.hot, runs: block.runs });
    }
    assert.equal(m.regionsCompiled, 0);
    assert.equal(m.x[6], HOT_BLOCK_RUNS + 5, 't1: four addis alone, then 2 * HOT_BLOCK_RUNS + 1 steps of addi; bne');
    // The two-way loop's first block (word 4) went on to both of its others (words 7 and 8), in turn.
    type Linked = { start: number; successor: Linked | null; otherSuccessor: Linked | null };
    const twoWay = (m as unknown as { code: { blockAt(pc: number): Linked } }).code.blockAt(m.ram.base + 16);
    const links = [twoWay.successor?.start, twoWay.otherSuccessor?.start].map((pc) => pc === undefined ? -1 : pc - m.ram.base);
    assert.deepEqual(links.sort((a, b) => a - b), [28, 32], JSON.stringify(links));
  }
  // The warm loop was warm at every question until it had run more than a region needs, then hot: its
  // count started again, under a region's.
  assert.deepEqual(seen.map((s) => s.hot), [true, true, true, true], JSON.stringify(seen));
  assert.ok(seen.every((s) => s.runs >= HOT_BLOCK_RUNS && s.runs < HOT_REGION_RUNS), JSON.stringify(seen));
  warmUpInterpreterAndRunLoop(() => assert.fail('a second warm-up in the same process'));
});
