/**
 * An idle task that does something each turn around its `wfi` (FreeRTOS' idle hook: bench/rtosdemo
 * counts its turns) is no idle loop the run loop may skip: a wasm region runs its `wfi` itself
 * (emulator/cpu/wasm/wasm-csr.ts waitAccess), with a call while the call may matter and without one once
 * a call found that it changes nothing. The compiled machine must stop where the interpreter does with
 * the same state: runs of odd sizes that end in the idle task, stops at timer interrupts that come in
 * the middle of a slice, and (uart_echo: `bnez; wfi; j`, the UART's receive interrupt enabled) console
 * input that arrives because the guest waits in `wfi`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseElf } from '../../emulator/elf';
import { COMPILERS, MachinePair, random } from './machine-pair';

const RTOSDEMO = resolve(__dirname, '../../../bench/rtosdemo/rtosdemo.elf');
/** The idle task's loop (`lw; addi; sw; wfi; j`), after the two instructions that make the counter's address. */
const IDLE_LOOP = parseElf(readFileSync(RTOSDEMO)).symbols.find((s) => s.name === 'idle')!.value + 8;
const UART_ECHO = resolve(__dirname, '../../../test/privileged/uart_echo.elf');
const TYPED = readFileSync(join(resolve(__dirname, '../../../test/privileged'), 'uart_echo.txt'), 'latin1');
const TIMER_INTERRUPT = 0x80000007;
const SOFTWARE_INTERRUPT = 0x80000003;

function runInSteps(pair: MachinePair, limit: number, seed: number, most: number): void {
  const next = random(seed);
  while (!pair.halted && pair.step < limit) pair.run(Math.min(1 + Math.floor(next() * most), limit - pair.step));
}

for (const compiler of COMPILERS) {
  test(`rtosdemo's idle task (${compiler} regions): wfi in compiled code stops as the interpreter does`, () => {
    const pair = new MachinePair('rtosdemo', RTOSDEMO, '', compiler);
    runInSteps(pair, 3_000_000, 31, 400_000);
    pair.setTrapStops([TIMER_INTERRUPT, SOFTWARE_INTERRUPT]);
    let interrupts = 0;
    for (let i = 0; i < 6 && !pair.halted; i++) if (pair.run(2_000_000).kind === 'trap') interrupts++;
    assert.equal(interrupts, 6, 'every run should stop at the next interrupt');
    pair.setTrapStops([]);
    pair.setBreakpoints([IDLE_LOOP]);
    for (let i = 0; i < 3; i++) assert.equal(pair.run(2_000_000).kind, 'breakpoint');
    pair.setBreakpoints([]);
    runInSteps(pair, pair.step + 2_500_000, 32, 150_000);
    assert.ok(pair.comparisons > 20);
  });

  test(`uart_echo (${compiler} regions): input that arrives at a wfi in compiled code arrives at the same step`, () => {
    const pair = new MachinePair('uart_echo', UART_ECHO, TYPED, compiler);
    runInSteps(pair, Infinity, 33, 20_000);
    assert.deepEqual(pair.compiled.machine.halted, pair.interpreted.machine.halted);
    assert.match(pair.interpreted.output, /bytes/);
  });
}
