/**
 * The block interpreter (emulator/cpu/block-interpreter.ts) runs every block until it is compiled, and
 * warm code for good: it must do exactly what the closures do. Purpose-built programs (assembled by the
 * real GNU assembler) run on an interpreting machine (closures only, the reference) and a compiling one
 * (block interpreter, then compiled tiers), which must agree at every stop (machine-pair.ts), and the
 * results must be the ones the program's logic dictates.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from '../support/toolchain';
import { EXIT, runAsm } from '../support/run-asm';
import { CodeCache } from '../../emulator/cpu/code-cache';
import { expectProgramCode, FUSED_CODE_BYTES } from '../../emulator/cpu/block-encoding';
import { COMPILERS, MachinePair } from './machine-pair';
import { selfModifyingProgram } from './self-modifying';

const A0 = 10, A1 = 11, S0 = 8, S1 = 9;

/** Runs both machines to the program's end in runs of odd sizes, so that stops fall inside blocks. */
function runToExit(pair: MachinePair, sizes: number[]): void {
  let reason = pair.run(1);
  for (let i = 0; reason.kind === 'limit'; i++) reason = pair.run(sizes[i % sizes.length]);
  assert.equal(reason.kind, 'exit', JSON.stringify(reason));
  assert.ok(pair.comparisons > 20, `only ${pair.comparisons} stops compared`);
}

for (const compiler of COMPILERS) test(`every kind of instruction the block interpreter runs agrees with its closure, edge values and slow paths included (${compiler} regions)`, () => {
  // Each round computes with operands that change every round (the edge values come round), writes x0,
  // loads and stores aligned and misaligned (the slow path) and jumps with and without a link; s0 sums
  // everything. 40 rounds: the blocks run interpreted for most of them, compiled after.
  const pair = new MachinePair('kinds', assemble(`
    li s0, 0
    li s1, 40               # rounds
    li a2, 0x80200000       # scratch memory
    li a3, -1
    li a4, 0x80000000
    li a5, 7
round:
    xor a3, a3, s1
    slli a6, s1, 27
    add a4, a4, a6
    add t0, a3, a4
    sub t1, a3, a4
    sll t2, a3, a5
    slt t3, a3, a4
    sltu t4, a3, a4
    srl t5, a4, a5
    sra t6, a4, a5
    or a7, t0, t1
    and s2, t2, t3
    xor s3, t4, t5
    add s0, s0, t0
    add s0, s0, t1
    add s0, s0, t2
    add s0, s0, t3
    add s0, s0, t4
    add s0, s0, t5
    add s0, s0, t6
    add s0, s0, a7
    add s0, s0, s2
    add s0, s0, s3
    addi t0, a3, -2048
    slti t1, a4, -5
    sltiu t2, a3, 2047
    xori t3, a4, -1
    ori t4, a3, 0x555
    andi t5, a4, -256
    slli t6, a3, 31
    srli a7, a4, 1
    srai s2, a4, 31
    lui s3, 0xfffff
    add s0, s0, t0
    add s0, s0, t1
    add s0, s0, t2
    add s0, s0, t3
    add s0, s0, t4
    add s0, s0, t5
    add s0, s0, t6
    add s0, s0, a7
    add s0, s0, s2
    add s0, s0, s3
    mul t0, a3, a4
    mulh t1, a3, a4
    mulhsu t2, a3, a4
    mulhu t3, a3, a4
    div t4, a4, a3
    divu t5, a4, a3
    rem t6, a4, a3
    remu a7, a4, a3
    div s2, a4, zero
    remu s3, a3, zero
    add s0, s0, t0
    add s0, s0, t1
    add s0, s0, t2
    add s0, s0, t3
    add s0, s0, t4
    add s0, s0, t5
    add s0, s0, t6
    add s0, s0, a7
    add s0, s0, s2
    add s0, s0, s3
    add zero, a3, a4        # writes to x0 change nothing
    addi zero, a3, 1
    lui zero, 1
    mul zero, a3, a4
    sw a3, 0(a2)
    sh a4, 4(a2)
    sb s0, 6(a2)
    sw a4, 9(a2)            # misaligned: the slow path
    sh a3, 15(a2)
    lw t0, 0(a2)
    lh t1, 4(a2)
    lhu t2, 4(a2)
    lb t3, 6(a2)
    lbu t4, 6(a2)
    lw t5, 9(a2)            # misaligned
    lhu t6, 15(a2)
    lw zero, 0(a2)          # a load into x0 still loads
    fence
    add s0, s0, t0
    add s0, s0, t1
    add s0, s0, t2
    add s0, s0, t3
    add s0, s0, t4
    add s0, s0, t5
    add s0, s0, t6
    jal ra, leaf            # a jump with a link, a return without
    la t0, after
    jalr zero, 0(t0)        # a jump through a register without a link
    addi s0, s0, 1000       # skipped
after:
    la t0, leaf
    jalr ra, 0(t0)
    beq a3, a4, 1f
    addi s0, s0, 3
1:  bne a3, a3, 1f
    addi s0, s0, 5
1:  blt a4, a3, 1f
    addi s0, s0, 7
1:  bge a3, a4, 1f
    addi s0, s0, 11
1:  bltu a3, a4, 1f
    addi s0, s0, 13
1:  bgeu a4, a3, 1f
    addi s0, s0, 17
1:  addi s1, s1, -1
    bnez s1, round
    ${EXIT}
leaf:
    addi s0, s0, 1
    ret
`), '', compiler);
  runToExit(pair, [7, 13, 101, 3]);
  const m = pair.compiled.machine;
  assert.equal(m.x[S1], 0);
  assert.equal(m.x[S0], pair.interpreted.machine.x[S0]);
});

for (const compiler of COMPILERS) test(`a 4-byte instruction across a page boundary, and a jump into the middle of a 4-byte instruction (${compiler} regions)`, () => {
  // 0x45950513 is "addi a0, a0, 1113"; its upper half, 0x4595, is "c.li a1, 5". The loop runs the word
  // from its start and from its middle, alternately, and once more where it straddles two pages.
  const pair = new MachinePair('overlap', assemble(`
    li a0, 0
    li a1, 0
    li s0, 0
    li s1, 300
    la t1, word
    la t2, straddle
loop:
    andi t0, s1, 1
    add t0, t0, t0          # 0 or 2: the start of the word or its middle
    add t3, t1, t0
    jalr ra, 0(t3)
    add s0, s0, a0
    add s0, s0, a1
    add t3, t2, t0
    jalr ra, 0(t3)
    add s0, s0, a0
    add s0, s0, a1
    addi s1, s1, -1
    bnez s1, loop
    ${EXIT}
word:
    .2byte 0x0513, 0x4595
    addi a1, a1, 1
    ret
    .balign 4096
    .skip 4094
straddle:
    .2byte 0x0513, 0x4595   # crosses into the next page
    addi a1, a1, 2
    ret
`), '', compiler);
  runToExit(pair, [5, 11, 64]);
  const m = pair.compiled.machine;
  // 150 rounds from the start of each word (a0 += 1113 twice, a1 += 1, then += 2), 150 from the middle
  // (a1 = 5, then 6; a1 = 5, then 7).
  assert.equal(m.x[A0], 150 * 2 * 1113);
  assert.equal(m.x[S1], 0);
  assert.equal(m.x[A1], pair.interpreted.machine.x[A1]);
  assert.equal(m.x[S0], pair.interpreted.machine.x[S0]);
});

for (const compiler of COMPILERS) test(`self-modifying code in warm (interpreted) blocks takes effect on the next instruction (${compiler} regions)`, () => {
  // As in hot-loops.test.ts, but the rewrites come at iteration 5, while the blocks are still run by
  // the block interpreter; the first loop's body runs rarely enough never to be compiled.
  const pair = new MachinePair('self-modifying warm', selfModifyingProgram(12, 5), '', compiler);
  runToExit(pair, [1, 2, 3, 5]);
  const m = pair.compiled.machine;
  assert.equal(m.x[S0], 4 + 2 * 8);
  assert.equal(m.x[S1], 4 + 2 * 8);
});

for (const compiler of COMPILERS) test(`branches and jumps out of RAM fault at their target, with the link written, as their closures do (${compiler} regions)`, () => {
  // The block interpreter returns the next pc as an offset into RAM: a branch or jal whose target lies
  // below RAM is left to its closure, and jalr's target wraps around. Each fault's handler adds mepc,
  // mtval and ra to s0 and returns to where s2 points.
  const pair = new MachinePair('out-of-ram', assemble(`
    la t0, handler
    csrw mtvec, t0
    li s0, 0
    li s1, 40
loop:
    la s2, 1f
    beq s1, s1, _start - 64
1:  la s2, 1f
    jal ra, _start - 128
1:  la s2, 1f
    li t0, 0x1000
    jalr ra, 0(t0)
1:  la s2, 1f
    li t0, -2
    jalr ra, 19(t0)         # wraps around to address 0x10
1:  addi s1, s1, -1
    bnez s1, loop
    ${EXIT}
    .balign 4               # mtvec needs a 4-byte aligned handler
handler:
    csrr t0, mepc
    add s0, s0, t0
    csrr t0, mtval
    add s0, s0, t0
    add s0, s0, ra
    csrw mepc, s2
    mret
`), '', compiler);
  runToExit(pair, [5, 9, 64]);
  const m = pair.compiled.machine;
  assert.equal(m.x[S1], 0);
  assert.equal(m.x[S0], pair.interpreted.machine.x[S0]);
  assert.notEqual(m.x[S0], 0);
});

for (const compiler of COMPILERS) test(`lui and addi of one register run as one constant, not when a breakpoint ends the block between them (${compiler} regions)`, () => {
  const pair = new MachinePair('lui-addi', assemble(`
    li s0, 0
    li s1, 40
loop:
    jal ra, body
    addi s1, s1, -1
    bnez s1, loop
    ${EXIT}
    .balign 256
body:                       # at 0x80000100
    lui t3, 0xfedcc
    addi t3, t3, -0x123     # at 0x80000104
    add s0, s0, t3
    li t0, 0x12345678       # lui and addi of one register
    add s0, s0, t0
    lui a5, 0x12345
    addi a5, a5, 5          # compressed
    add s0, s0, a5
    lui t1, 0x80000
    addi t2, t1, -1         # into another register
    add s0, s0, t1
    add s0, s0, t2
    ret
`), '', compiler);
  const split = 0x80000104;
  pair.setBreakpoints([split]);
  for (let i = 0; i < 20; i++) assert.deepEqual(pair.run(1_000_000), { kind: 'breakpoint', address: split });
  pair.setBreakpoints([]);
  runToExit(pair, [1_000_000]);
  const m = pair.compiled.machine;
  const round = (0xfedcc000 - 0x123) + 0x12345678 + 0x12345005 + 0x80000000 + 0x7fffffff;
  assert.equal(m.x[S0], Math.imul(round | 0, 40));
  assert.equal(m.x[S0], pair.interpreted.machine.x[S0]);
});

// A large program's blocks fuse runs, a small one's do not (block-encoding.ts expectProgramCode): both agree.
for (const fused of [true, false]) for (const compiler of COMPILERS) test(`${fused ? 'fused runs' : 'runs left unfused in a small program'} (li then add, mul, xor or and; the commonest pairs, lui then slli, sw then sw) agree with their closures, stops inside them included (${compiler} regions)`, () => {
  expectProgramCode(fused ? FUSED_CODE_BYTES : 0);
  // Each run (block-encoding.ts fuseBlock) reads what the one before it wrote, some write a register
  // they read, and a run ends the block before its branch; s0 sums everything.
  const pair = new MachinePair('fused', assemble(`
    li s0, 0
    li s1, 40
    li a3, -1
    li a4, 0x7fff1234
round:
    xor a3, a3, s1
    li t0, 0x12345678
    add t1, t0, a3
    li t2, -0x789abcd
    mul t3, t2, a4
    li t4, 0x0f0f0f0f
    xor t4, t4, a3
    li t5, 0x7ffff801
    and t6, a4, t5
    addi a5, a3, -7
    add a5, a5, a4
    addi a6, a4, 2047
    mul a6, a6, a3
    addi a7, a3, 1
    and a7, a7, a4
    addi s2, s1, -2048
    xor s2, s2, a3
    add s3, a3, a4
    xor s3, s3, a3
    xor s4, a3, a4
    andi s4, s4, -256
    andi s5, a3, 0x7ff
    addi s5, s5, -1
    srli s6, a3, 3
    xor s6, s6, a4
    slli s7, a4, 31
    xor s7, s7, a3
    add s0, s0, t0
    add s0, s0, t1
    add s0, s0, t3
    add s0, s0, t4
    add s0, s0, t6
    add s0, s0, a5
    add s0, s0, a6
    add s0, s0, a7
    add s0, s0, s2
    add s0, s0, s3
    add s0, s0, s4
    add s0, s0, s5
    add s0, s0, s6
    add s0, s0, s7
    lui s8, 0x12345
    slli s9, a3, 7
    add s0, s0, s8
    add s0, s0, s9
    li s10, 0x80200000
    sw a3, 0(s10)
    sw a4, 4(s10)
    lw s11, 0(s10)
    add s0, s0, s11
    lw s11, 4(s10)
    add s0, s0, s11
    sw a3, 8(s10)
    sw a4, 13(s10)          # misaligned: the second store's slow path
    lw s11, 12(s10)
    add s0, s0, s11
    slli a4, a4, 1
    xor a4, a4, a3
    addi s1, s1, -1
    li t0, 0x1001
    add s0, s0, t0
    bnez s1, round
    ${EXIT}
`), '', compiler);
  runToExit(pair, [7, 13, 101, 3, 2]);
  expectProgramCode(FUSED_CODE_BYTES);
  assert.equal(pair.compiled.machine.x[S1], 0);
  assert.equal(pair.compiled.machine.x[S0], pair.interpreted.machine.x[S0]);
});

// Session 17's fused kinds (block-encoding.ts): rotates, divu+add, addi+divu, add+lw, add+sw, xor+xor, and
// the ones that end a block (xor+ret, addi+ret, andi+beq), with divisors of zero and misaligned accesses.
for (const fused of [true, false]) for (const compiler of COMPILERS) test(`${fused ? 'fused' : 'unfused'} rotates, divu+add, addi+divu, add+lw, add+sw, xor+xor, xor+ret, addi+ret and andi+beq agree with their closures, stops inside them included (${compiler} regions)`, () => {
  expectProgramCode(fused ? FUSED_CODE_BYTES : 0);
  const pair = new MachinePair('fused-17', assemble(`
    li s0, 0
    li s1, 40
    li a3, -1
    li a4, 0x7fff1234
    li s10, 0x80200000
    li sp, 0x80300000
round:
    xor a3, a3, s1
    srli t0, a3, 5
    slli t1, a3, 27
    or t2, t0, t1
    slli t3, a4, 3
    srli t4, a4, 29
    or t5, t3, t4
    andi t6, s1, 3
    divu a5, a4, t6
    add a5, a5, a3
    addi a6, s1, -20
    divu a6, a3, a6
    andi s2, s1, 1
    slli s2, s2, 1
    add t0, s10, s2
    sw a3, 8(t0)
    add t1, s10, s2
    lw t1, 8(t1)
    xor s3, a3, a4
    xor s3, s3, s1
    add s0, s0, t2
    add s0, s0, t5
    add s0, s0, a5
    add s0, s0, a6
    add s0, s0, t1
    add s0, s0, s3
    mv a0, a3
    mv a1, a4
    call fxor
    add s0, s0, a0
    call fstack
    add s0, s0, a0
    andi t0, s1, 4
    beqz t0, skip
    addi s0, s0, 77
skip:
    slli a4, a4, 1
    xor a4, a4, a3
    addi s1, s1, -1
    bnez s1, round
    ${EXIT}
fxor:
    xor a0, a0, a1
    ret
fstack:
    addi sp, sp, -16
    sw a0, 12(sp)
    lw a0, 12(sp)
    addi a0, a0, 3
    addi sp, sp, 16
    ret
`), '', compiler);
  runToExit(pair, [7, 13, 101, 3, 2]);
  expectProgramCode(FUSED_CODE_BYTES);
  assert.equal(pair.compiled.machine.x[S1], 0);
  assert.equal(pair.compiled.machine.x[S0], pair.interpreted.machine.x[S0]);
});

test('code that rewrites itself on every turn keeps the block store bounded: its dropped records are reclaimed, and it still runs right', () => {
  // Each turn stores "addi a0, a0, 2" (odd turns) or "addi a0, a0, 1" (even turns) over the first
  // instruction of the block at `patch`, which is built again at every turn, and of the block at `even`
  // (which runs on into it) every second turn: 450,000 records of 16-17 ints, ~7.3M ints, more than a
  // store keeps of dropped records before it starts again (block-store.ts).
  const turns = 300_000;
  const run = runAsm(`
    .option norvc
    la t0, patch
    la t3, words
    lw t1, 0(t3)
    lw t2, 4(t3)
    li a2, ${turns}
    li a0, 0
    li a1, 0
loop:
    addi a1, a1, 1
    andi t4, a1, 1
    beqz t4, even
    sw t2, 0(t0)
    j patch
even:
    sw t1, 0(t0)
patch:
    addi a0, a0, 1
    addi a3, a3, 1
    addi a3, a3, 1
    addi a3, a3, 1
    blt a1, a2, loop
    ${EXIT}
words:
    addi a0, a0, 1
    addi a0, a0, 2
`, { maxSteps: 20_000_000 });
  assert.equal(run.reason.kind, 'exit', JSON.stringify(run.reason));
  assert.equal(run.reg(A0), (turns / 2) * 3);
  const store = (run.machine as unknown as { code: CodeCache }).code.store;
  assert.ok(store.blocks.length < 300_000, `the store holds ${store.blocks.length} blocks`);
});
