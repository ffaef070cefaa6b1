/**
 * Idle loops (emulator/cpu/idle-loop.ts): the compiling machine adds the turns of an RTOS's idle task
 * (`wfi; j`) to the step count at once instead of running them; the interpreting machine runs every
 * turn. On examples/rtos (a tick every 100,000 steps, idle most of the time, console input awaited
 * through the UART's receive interrupt) both must stop for the same reasons at the same steps with
 * the same state hash: runs of odd sizes that end inside the idle loop, a breakpoint on the idle task,
 * stops after timer interrupts, with and without typed input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseElf } from '../../emulator/elf';
import { EXAMPLES_DIR } from '../diff/examples';
import { COMPILERS, MachinePair, random } from './machine-pair';

const RTOS = join(EXAMPLES_DIR, 'rtos', 'rtos.elf');
const INPUT = readFileSync(join(EXAMPLES_DIR, 'rtos', 'input.txt'), 'utf8');
const TIMER_INTERRUPT = 0x80000007;
const IDLE_TASK = parseElf(readFileSync(RTOS)).symbols.find((s) => s.name === 'idle')!.value;

/** Runs of odd sizes, most of them ending in the middle of an idle stretch, until `limit` or the end. */
function runInSteps(pair: MachinePair, limit: number, seed: number): void {
  const next = random(seed);
  while (!pair.halted && pair.step < limit) pair.run(Math.min(1 + Math.floor(next() * 250_000), limit - pair.step));
}

for (const compiler of COMPILERS) for (const input of ['', INPUT]) {
  test(`rtos ${input ? 'with typed input' : 'idle between ticks'}: skipping idle turns (${compiler} regions) ends as running them`, () => {
    const pair = new MachinePair('rtos', RTOS, input, compiler);
    runInSteps(pair, 2_000_000, 19);
    pair.setBreakpoints([IDLE_TASK]);
    let hits = 0;
    for (let i = 0; i < 6 && !pair.halted; i++) if (pair.run(1_000_000).kind === 'breakpoint') hits++;
    assert.equal(hits, 6, 'the idle task should be entered again and again');
    pair.setBreakpoints([]);
    pair.setTrapStops([TIMER_INTERRUPT]);
    let ticks = 0;
    for (let i = 0; i < 5 && !pair.halted; i++) if (pair.run(1_000_000).kind === 'trap') ticks++;
    assert.equal(ticks, 5, 'every run should stop at the next tick');
    pair.setTrapStops([]);
    runInSteps(pair, Infinity, 20);
    assert.deepEqual(pair.interpreted.machine.halted, { kind: 'exit', code: input ? 0 : 1, via: 'test-finisher' });
    const skipped = pair.compiled.machine.idleStepsSkipped;
    assert.ok(skipped > pair.step / 2, `only ${skipped} of ${pair.step} steps were idle turns skipped`);
    assert.equal(pair.interpreted.machine.idleStepsSkipped, 0, 'the reference runs every turn');
  });
}
