/**
 * The run loop's warm-up (emulator/run/run-loop-warm-up.ts) really goes down the paths it is for, on its
 * own scratch machine: a mis-encoded training program would leave V8's optimized loop to bail out again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, Machine } from '../../emulator/machine';
import { ScriptedOutside } from '../../emulator/outside';
import { warmUpInterpreterAndRunLoop } from '../../emulator/run/run-loop-warm-up';
import { HOT_BLOCK_RUNS, HOT_BLOCK_WINDOW } from '../../emulator/cpu/block';

test('the warm-up runs a scratch machine into a hot block and a warm one, compiles nothing, and runs once', () => {
  const made: Machine[] = [];
  const seen: Array<{ start: number; hot: boolean; runs: number }> = [];
  warmUpInterpreterAndRunLoop(() => {
    const m = new Machine({ ...DEFAULT_CONFIG, ramSize: 4 << 12 }, new ScriptedOutside(), { write: () => undefined });
    made.push(m);
    return m;
  });
  assert.equal(made.length, 2, 'one scratch machine for the interpreter, one for the run loop');
  const m = made[1];
  assert.ok(m.step > HOT_BLOCK_WINDOW, `steps ${m.step}`);
  for (const at of [0, 8]) {
    // The machine's code cache is its own: read through a cast, as nothing outside the engine needs it.
    const block = (m as unknown as { code: { blockAt(pc: number): { hot: boolean; runs: number } } }).code.blockAt(m.ram.base + at);
    seen.push({ start: at, hot: block.hot, runs: block.runs });
  }
  assert.deepEqual(seen.map((s) => s.hot), [true, false], JSON.stringify(seen));
  assert.ok(seen[1].runs >= HOT_BLOCK_RUNS, JSON.stringify(seen));
  assert.equal(m.regionsCompiled, 0);
  assert.equal(m.x[6], HOT_BLOCK_RUNS + 2, 't1: one addi alone, then 2 * HOT_BLOCK_RUNS + 1 steps of addi; bne');
  warmUpInterpreterAndRunLoop(() => assert.fail('a second warm-up in the same process'));
});
