/**
 * The two hard cases of compiled code, on purpose-built programs (assembled by the real GNU assembler):
 * a hot loop that rewrites its own instructions after it has been compiled, and a timer interrupt that
 * comes while a compiled loop runs. Each runs on an interpreting and a compiling machine (machine-pair.ts),
 * which must agree at every stop, and the results must be the ones the program's logic dictates.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from '../support/toolchain';
import { EXIT } from '../support/run-asm';
import { COMPILERS, MachinePair, random } from './machine-pair';
import { selfModifyingProgram } from './self-modifying';
import { CodeCache } from '../../emulator/cpu/code-cache';

const A0 = 10, A1 = 11;

for (const compiler of COMPILERS) test(`self-modifying code inside a hot compiled loop takes effect on the next instruction (${compiler} regions)`, () => {
  const pair = new MachinePair('self-modifying', selfModifyingProgram(5000, 3000), '', compiler);
  let reason = pair.run(30_000);
  for (let i = 0; i < 20 && reason.kind === 'limit'; i++) reason = pair.run(1_237);
  while (reason.kind === 'limit') reason = pair.run(100_000);
  assert.equal(reason.kind, 'exit', JSON.stringify(reason));
  assert.ok(pair.compiled.machine.regionsCompiled > 0, 'the loops should have been compiled');
  const m = pair.compiled.machine;
  // Loop 1: 2999 iterations add 1 (the rewrite happens before the add of iteration 3000), 2001 add 2.
  assert.equal(m.x[8], 2999 + 2 * 2001);
  // Loop 2: the add right after the store already is the new one at iteration 3000.
  assert.equal(m.x[9], 2999 + 2 * 2001);
  assert.equal(m.x[A0], 2999 + 2 * 2001);
});

for (const compiler of COMPILERS) test(`a timer interrupt lands inside a hot compiled loop on the same step as when interpreted (${compiler} regions)`, () => {
  const pair = new MachinePair('timer in a hot loop', assemble(`
    la t0, handler
    csrw mtvec, t0
    li t0, 0x2004000        # mtimecmp
    li t1, 3001             # ticks of 100 steps: the interrupt comes after 300,100 steps
    sw t1, 0(t0)
    sw zero, 4(t0)
    li t0, 0x80             # mie.MTIE
    csrw mie, t0
    csrsi mstatus, 8        # mstatus.MIE
    li a0, 0
    li a2, 500000
loop:
    addi a0, a0, 1
    addi a3, a3, 3
    xor a4, a4, a3
    blt a0, a2, loop
    ${EXIT}
    .align 2                # mtvec needs a 4-byte aligned handler
handler:
    csrr a1, mepc
    mv a5, a0               # where the loop was
    li t0, 0x2004000
    li t1, -1
    sw t1, 4(t0)            # mtimecmp far away: no more interrupts
    mret
`), '', compiler);
  pair.setTrapStops([0x80000007]);
  let reason = pair.run(200_000);
  assert.equal(reason.kind, 'limit');
  assert.ok(pair.compiled.machine.regionsCompiled > 0, 'the loop should have been compiled before the interrupt');
  reason = pair.run(1_000_000);
  assert.equal(reason.kind, 'trap', 'the run should stop after taking the timer interrupt');
  assert.equal(pair.step, 300_101, 'the interrupt is taken at step 300,100 (mtime = step / 100), counted as a step');
  reason = pair.run(3_000_000);
  assert.equal(reason.kind, 'exit', JSON.stringify(reason));
  const m = pair.compiled.machine;
  assert.equal(m.x[A0], 500000);
  // The prologue is 14 instructions (la, li of 32-bit values are 2 each), then 300,100 - 14 = 300,086
  // loop instructions ran before the interrupt: 75,021 iterations of 4 and the first 2 of the next,
  // whose first instruction incremented a0.
  assert.equal(m.x[15], 75_022, 'a5: the loop counter when the interrupt came');
  assert.ok((m.x[A1] >>> 0) > 0x80000000, 'mepc is in the program');
});

for (const compiler of COMPILERS) test(`setting breakpoints recompiles only the pages they are on, and a breakpoint inside a compiled loop stops it exactly (${compiler} regions)`, () => {
  const pair = new MachinePair('breakpoints and compiled pages', assemble(`
    .option norvc
    li a0, 0
    li a2, 400000
loop:
    addi a0, a0, 1
    addi a3, a3, 3
    xor a4, a4, a3
    blt a0, a2, loop
    ${EXIT}
    .balign 4096
far:                        # another page: never runs
    addi a0, a0, 7
    ret
`), '', compiler);
  const base = 0x80000000;
  const loop = base + 8, far = base + 4096;
  let reason = pair.run(100_000);
  assert.equal(reason.kind, 'limit');
  const compiled = pair.compiled.machine;
  const regions = compiled.regionsCompiled;
  assert.ok(regions > 0, 'the loop should have been compiled');
  // A breakpoint on another page, set and removed: the loop's region stays as it is.
  for (let i = 0; i < 3; i++) {
    pair.setBreakpoints([far]);
    reason = pair.run(10_000);
    assert.equal(reason.kind, 'limit');
    pair.setBreakpoints([]);
    reason = pair.run(10_000);
  }
  assert.equal(compiled.regionsCompiled, regions, 'breakpoints on another page should not recompile the loop');
  // A breakpoint in the loop's page: it stops at the loop's head, on the same step as the interpreter.
  pair.setBreakpoints([loop + 4]);
  reason = pair.run(1_000_000);
  assert.deepEqual(reason, { kind: 'breakpoint', address: loop + 4 });
  pair.setBreakpoints([]);
  reason = pair.run(10_000_000);
  assert.equal(reason.kind, 'exit', JSON.stringify(reason));
  assert.equal(compiled.x[A0], 400000);
});

for (const compiler of COMPILERS) test(`a hot loop that calls across pages stops exactly at odd steps and at a breakpoint in the callee, and sees a rewritten callee (${compiler} regions)`, () => {
  // With wasm regions, control passes from the loop's region to the callee's and back without the run
  // loop (wasm-chain.ts): slice ends, breakpoints and invalidation must still land on the same steps.
  const pair = new MachinePair('calls across pages', assemble(`
    .option norvc
    li a0, 0
    li a2, 300000
    la s1, patch
loop:
    call far
    addi a0, a0, 1
    blt a0, a2, loop
    ${EXIT}
    .balign 4096
far:                        # another page
    addi a1, a1, 3
    xor a3, a3, a1
patch:
    addi a4, a4, 1          # rewritten to add 2 from the 200,000th call on
    li t0, 200000
    bne a0, t0, done
    lw t1, 0(s2)
    sw t1, 0(s1)
done:
    ret
replacement:
    addi a4, a4, 2
`), '', compiler);
  const base = 0x80000000;
  // s2 = the replacement instruction's address (not known to the loop's page): set it through a run.
  pair.run(3);
  for (const side of [pair.interpreted, pair.compiled]) side.machine.x[18] = base + 4096 + 36;
  const next = random(42);
  while (pair.step < 150_000) pair.run(1 + Math.floor(next() * 3000));
  const compiled = pair.compiled.machine;
  assert.ok(compiled.regionsCompiled >= 2, 'the loop and the callee should both have been compiled');
  if (compiler === 'wasm') assert.equal(compiled.wasmRegionsCompiled, compiled.regionsCompiled, 'every region should be wasm');
  if (compiler === 'wasm') {
    // One region across both pages (region-formation.ts regionsAcross): the breakpoint and the rewrite
    // below land in it.
    const code = (compiled as unknown as { code: CodeCache }).code;
    const [loop, far] = [base + 20, base + 4096].map((pc) => code.blockAt(pc));
    assert.ok(loop.region !== null && loop.region === far.region, 'the loop\'s region should take in the callee\'s');
  }
  pair.setBreakpoints([base + 4096 + 4]);
  for (let i = 0; i < 5; i++) assert.deepEqual(pair.run(1_000_000), { kind: 'breakpoint', address: base + 4096 + 4 });
  pair.setBreakpoints([]);
  while (!pair.halted) pair.run(1 + Math.floor(next() * 50_000));
  assert.equal(compiled.halted?.kind, 'exit');
  assert.equal(compiled.x[14], 200000 + 2 * 100000 - 1, 'calls after the rewrite add 2');
});

for (const compiler of COMPILERS) test(`a hot loop that dispatches through a jump table to cases on other pages stops exactly at odd steps and at a breakpoint in a case (${compiler} regions)`, () => {
  // The shape of a switch-based state machine: an indirect call to one of four cases, on three other
  // pages, each returning or jumping to the next case. With wasm regions, each indirect jump and return
  // tail-calls the region at its target (wasm-chain.ts), counting steps on across regions.
  const pair = new MachinePair('jump table across pages', assemble(`
    .option norvc
    li a0, 0
    li a2, 200000
    la s1, table
loop:
    srli t0, a0, 1
    xor t0, t0, a0
    andi t0, t0, 3
    slli t0, t0, 2
    add t0, t0, s1
    lw t0, 0(t0)
    jalr t0
    addi a0, a0, 1
    blt a0, a2, loop
    ${EXIT}
    .balign 4
table:
    .word case0, case1, case2, case3
    .balign 4096
case0:
    addi a1, a1, 1
    ret
case1:
    xor a3, a3, a0
    j case2
    .balign 4096
case2:
    add a4, a4, a3
    andi t1, a4, 8
    beqz t1, 1f
    addi a5, a5, 1
1:  ret
    .balign 4096
case3:
    sub a6, a6, a0
    ret
`), '', compiler);
  const base = 0x80000000;
  const case2 = base + 2 * 4096;
  const next = random(19);
  while (pair.step < 300_000) pair.run(1 + Math.floor(next() * 5000));
  const compiled = pair.compiled.machine;
  assert.ok(compiled.regionsCompiled >= 4, 'the loop and the cases should all have been compiled');
  pair.setBreakpoints([case2 + 4]);
  for (let i = 0; i < 5; i++) assert.deepEqual(pair.run(1_000_000), { kind: 'breakpoint', address: case2 + 4 });
  pair.setBreakpoints([]);
  while (!pair.halted) pair.run(1 + Math.floor(next() * 50_000));
  assert.equal(compiled.halted?.kind, 'exit');
  assert.equal(compiled.x[A0], 200000);
  assert.equal(compiled.x[A1], 50000, 'case 0 runs for one value in four of the Gray code');
});
