/**
 * A kernel's context switches inside compiled code (wasm/wasm-csr-inline.ts): a trap handler that reads
 * mcause, mepc and mstatus, swaps a register with mscratch, saves the running task's pc and mstatus and
 * restores another's (`csrw mstatus` with MIE clear, and MPP written as the reserved 2, which keeps the
 * old MPP), and returns with `mret` to a machine-mode task (interrupts on or, after a yield inside a
 * critical section, off) or to a user-mode task, whose `csrr mstatus` traps as an illegal instruction.
 * The machine-mode task turns MPRV on and off now and then. A timer tick every 500 steps switches tasks
 * every fourth time; the program mixes the tick count into its sums, so an interrupt taken a step late
 * changes them. The compiling machine must stop where the interpreting one does, with the same state.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from '../support/toolchain';
import { EXIT } from '../support/run-asm';
import { COMPILERS, MachinePair, random } from './machine-pair';

const TIMER_INTERRUPT = 0x80000007;
const ILLEGAL_INSTRUCTION = 2;
const ECALL_FROM_U = 8;

const PROGRAM = assemble(`
    la t0, handler
    csrw mtvec, t0
    li gp, 0x80100000       # 0(gp): the running task (0 A, 1 B); 4/8: A's pc and mstatus; 12/16: B's
    la t0, task_b
    sw t0, 12(gp)
    li t0, 0x80             # B runs in user mode (MPP 0) with interrupts on (MPIE)
    sw t0, 16(gp)
    li t1, 0x02004000       # mtimecmp (its high word stays 0)
    li t2, 0x0200bff8       # mtime
    lw t3, 0(t2)
    addi t3, t3, 5
    sw t3, 0(t1)
    li t3, 0x80
    csrs mie, t3
    li t5, 0x12345678
    csrsi mstatus, 8
    li s0, 0
    li s1, 40000
a_loop:                     # task A, machine mode
    csrci mstatus, 8
    addi s2, s2, 3
    xor s3, s3, s2
    andi a5, s0, 31
    bnez a5, 1f
    ecall                   # yield inside a critical section: A comes back with interrupts off
1:  csrsi mstatus, 8
    mul a3, s3, s11
    add s2, s2, a3
    andi a5, s0, 7
    bnez a5, 2f
    ecall                   # yield with interrupts on
2:  andi a5, s0, 511
    bnez a5, 3f
    li a2, 0x20000          # MPRV on and off (MPP is M then: nothing is translated)
    csrs mstatus, a2
    addi s2, s2, 1
    csrc mstatus, a2
3:  addi s0, s0, 1
    blt s0, s1, a_loop
    ${EXIT}

task_b:                     # task B, user mode
    addi s6, s6, 5
    xor s7, s7, s6
    mul s8, s7, s11
    add s6, s6, s8
    andi a0, s6, 48
    bnez a0, 1f
    csrr s9, mstatus        # illegal in user mode: the handler skips it
1:  andi a0, s6, 15
    bnez a0, task_b
    ecall                   # yield
    j task_b

handler:
    csrrw t5, mscratch, t5
    csrr a6, mcause
    bltz a6, tick
    li t4, ${ILLEGAL_INSTRUCTION}
    beq a6, t4, illegal
    csrr a7, mepc           # a system call: yield
    addi a7, a7, 4
    j switch
illegal:
    csrr a7, mepc
    addi a7, a7, 4
    csrw mepc, a7
    addi s10, s10, 1
    j out
tick:
    addi s11, s11, 1
    lw a4, 0(t2)            # the next tick 500 steps from now
    addi a4, a4, 5
    sw a4, 0(t1)
    csrr a7, mepc
    andi t4, s11, 3
    bnez t4, out            # every fourth tick switches tasks
switch:
    lw t4, 0(gp)
    slli t3, t4, 3
    add t3, t3, gp
    sw a7, 4(t3)
    csrr t0, mstatus
    sw t0, 8(t3)
    xori t4, t4, 1
    sw t4, 0(gp)
    slli t3, t4, 3
    add t3, t3, gp
    lw a7, 4(t3)
    lw t0, 8(t3)
    csrw mstatus, t0
    li t4, 0x1000           # MPP 2 is reserved: the write keeps the old MPP
    csrs mstatus, t4
    csrw mepc, a7
out:
    csrrw t5, mscratch, t5
    mret
`);

for (const compiler of COMPILERS) {
  test(`context switches between machine- and user-mode tasks in compiled code (${compiler} regions) stop where the interpreter does`, () => {
    const pair = new MachinePair('context switches', PROGRAM, '', compiler);
    const next = random(7);
    while (!pair.halted && pair.step < 400_000) pair.run(1 + Math.floor(next() * 3_000));
    pair.setTrapStops([TIMER_INTERRUPT, ILLEGAL_INSTRUCTION, ECALL_FROM_U]);
    const stops = pair.stops.get('trap') ?? 0;
    for (let i = 0; i < 200 && !pair.halted; i++) pair.run(100_000);
    assert.equal((pair.stops.get('trap') ?? 0) - stops, 200, 'every run should stop at the next tick, system call or illegal instruction');
    pair.setTrapStops([]);
    while (!pair.halted) pair.run(1 + Math.floor(next() * 20_000));
    assert.deepEqual(pair.interpreted.machine.halted, { kind: 'exit', code: 0, via: 'test-finisher' });
    const x = pair.compiled.machine.x;
    assert.ok(x[27] > 1_000 && x[26] > 100, `ticks ${x[27]}, illegal instructions ${x[26]}`);
    assert.ok(pair.compiled.machine.regionsCompiled > 0, 'no region ran');
  });
}
