/**
 * A preemptive kernel's hot path inside compiled code (wasm/wasm-csr.ts): nested critical sections
 * (`csrci/csrsi mstatus, 8`, which wasm regions run without a call while no interrupt can come before
 * the slice ends), system calls (`ecall`), a trap handler's CSRs (`csrr mcause`, `csrr/csrw mepc`) and
 * `mret`. A timer tick every 300 steps falls inside critical sections again and again, and must be taken
 * right after the `csrsi` that ends one; the program mixes the tick count into its sums, so an interrupt
 * taken a step late changes them. The compiling machine must stop where the interpreting one does, with
 * the same state: runs of odd sizes (slices that start inside a critical section), stops at every tick
 * and every system call.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from '../support/toolchain';
import { EXIT } from '../support/run-asm';
import { COMPILERS, MachinePair, random } from './machine-pair';

const TIMER_INTERRUPT = 0x80000007;
const ECALL_FROM_M = 11;

const PROGRAM = assemble(`
    la t0, handler
    csrw mtvec, t0
    li t1, 0x02004000       # mtimecmp (its high word stays 0)
    li t2, 0x0200bff8       # mtime
    lw t3, 0(t2)
    addi t3, t3, 3
    sw t3, 0(t1)
    li t3, 0x80
    csrs mie, t3
    csrsi mstatus, 8
    li s0, 0
    li s1, 100000
loop:
    csrci mstatus, 8        # enter a critical section
    addi a0, a0, 3
    xor a1, a1, a0
    csrci mstatus, 8        # and a nested one (interrupts are off already)
    slli a2, a0, 1
    add a1, a1, a2
    csrsi mstatus, 8        # leave both: a tick that came meanwhile is taken now
    mul a3, a1, s11
    add a0, a0, a3
    andi a5, s0, 15
    bnez a5, 1f
    ecall                   # yield, every 16 rounds
1:  addi s0, s0, 1
    blt s0, s1, loop
    ${EXIT}

handler:
    csrr a6, mcause
    bltz a6, tick
    csrr a7, mepc           # a system call: go on after the ecall
    addi a7, a7, 4
    csrw mepc, a7
    addi s10, s10, 1
    mret
tick:
    addi s11, s11, 1
    lw a4, 0(t2)            # the next tick 300 steps from now
    addi a4, a4, 3
    sw a4, 0(t1)
    mret
`);

for (const compiler of COMPILERS) {
  test(`critical sections, system calls and ticks in compiled code (${compiler} regions) stop where the interpreter does`, () => {
    const pair = new MachinePair('critical sections', PROGRAM, '', compiler);
    const next = random(5);
    while (!pair.halted && pair.step < 600_000) pair.run(1 + Math.floor(next() * 3_000));
    pair.setTrapStops([TIMER_INTERRUPT, ECALL_FROM_M]);
    const stops = pair.stops.get('trap') ?? 0;
    for (let i = 0; i < 200 && !pair.halted; i++) pair.run(100_000);
    assert.equal((pair.stops.get('trap') ?? 0) - stops, 200, 'every run should stop at the next tick or system call');
    pair.setTrapStops([]);
    while (!pair.halted) pair.run(1 + Math.floor(next() * 20_000));
    assert.deepEqual(pair.interpreted.machine.halted, { kind: 'exit', code: 0, via: 'test-finisher' });
    const x = pair.compiled.machine.x;
    assert.ok(x[27] > 3_000 && x[26] === 6_250, `ticks ${x[27]}, system calls ${x[26]}`);
    assert.ok(pair.compiled.machine.regionsCompiled > 0, 'no region ran');
  });
}
