/**
 * Every step of every example has a whole call stack: run on the real Machine one instruction at a time,
 * the unwinder must reach the program's first function (the entry, or the code the entry jumps into:
 * picolibc's `_cstart`, startup's `finish`) at every step, through picolibc's assembly without CFI
 * (`memset`, `sys_semihost`), libgcc's `__riscv_save_*`/`__riscv_restore_*` millicode, GCC's CFI for the
 * jump into `__riscv_restore_N` (one frame short), and trap handlers (back into the interrupted code at
 * mepc). While main runs, main is on the stack. timer.elf runs 514,000 steps of the same loop and
 * interrupt handler: after its first 100,000 steps, every 7th is checked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { examplePath, exampleSymbols } from './examples';
import { startMachine, viewOf } from './machine-view';
import { ScriptedOutside } from '../../emulator/outside';
import { commandLineOf, createMachine } from '../../cli/load-program';
import { parseElf } from '../../emulator/elf';

/** The functions a stack may end in: the entry, and code it reaches by a jump rather than a call. */
const FIRST_FUNCTIONS = new Set(['_start', '_cstart', 'finish']);
const CASES: Array<{ elf: string; input?: string }> = [
  { elf: 'bug/bug.elf' }, { elf: 'hello/hello.elf' }, { elf: 'uart/uart.elf' }, { elf: 'startup/startup.elf' },
  { elf: 'interactive/interactive.elf', input: 'interactive/input.txt' }, { elf: 'timer/timer.elf' },
];

for (const { elf, input } of CASES) {
  test(`${elf}: at every step the stack reaches the program's first function, and main while main runs`, () => {
    const symbols = exampleSymbols(elf);
    const machine = input
      ? createMachine(parseElf(readFileSync(examplePath(elf))), new ScriptedOutside(readFileSync(examplePath(input))), { write: () => undefined }, commandLineOf(examplePath(elf)))
      : startMachine(examplePath(elf)).machine;
    const main = symbols.functionNamed('main');
    let mainEntrySp: number | undefined;
    let mainDone = false;
    let steps = 0;
    for (;; steps++) {
      const view = viewOf(machine);
      let mainRuns = false;
      if (main) {
        const sp = view.register(2);
        const inMain = view.pc >= main.low && view.pc < main.high;
        if (mainEntrySp === undefined && view.pc === main.low) mainEntrySp = sp;
        if (mainEntrySp !== undefined && !mainDone && !inMain && sp >= mainEntrySp) mainDone = true;
        mainRuns = mainEntrySp !== undefined && !mainDone;
      }
      if (steps <= 100_000 || steps % 7 === 0) {
        const frames = symbols.unwind(view);
        const names = frames.map((f) => f.function?.name ?? `0x${f.pc.toString(16)}`);
        const where = `step ${steps}, pc 0x${view.pc.toString(16)}: ${names.join(' ← ')}`;
        assert.ok(FIRST_FUNCTIONS.has(names[names.length - 1]), where);
        assert.ok(frames.every((f, i) => i === 0 || f.cfa >= frames[i - 1].cfa), `CFAs grow outwards at ${where}`);
        if (mainRuns) assert.ok(names.includes('main'), `main runs at ${where}`);
      }
      const stop = machine.run(1);
      if (stop.kind !== 'limit') {
        assert.equal(stop.kind, 'exit', `${elf} ends by exiting, not ${JSON.stringify(stop)}`);
        break;
      }
    }
    if (main) assert.ok(mainEntrySp !== undefined && mainDone, `${elf}: main ran and returned (or exited) within ${steps} steps`);
  });
}
