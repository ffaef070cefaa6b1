/**
 * The self-modifying guest program of hot-loops.test.ts and block-interpreter.test.ts: two loops of
 * `iterations` rounds, each rewriting "addi a0, a0, 1" into "addi a0, a0, 2" at round `rewriteAt`.
 * Loop 1's store is in another block than the instruction it rewrites; loop 2's store rewrites the
 * instruction right after it, in the block that is running, so it must see the new one at once.
 * At the exit: s0 = loop 1's sum, s1 = a0 = loop 2's sum, both (rewriteAt - 1) + 2 * (iterations - rewriteAt + 1).
 */
import { assemble } from '../support/toolchain';
import { EXIT } from '../support/run-asm';

export function selfModifyingProgram(iterations: number, rewriteAt: number): Uint8Array {
  return assemble(`
    .option norvc
    la t0, replacement
    lw t1, 0(t0)            # the word of "addi a0, a0, 2"
    li a2, ${iterations}    # iterations of each loop
    li a3, ${rewriteAt}     # the iteration that rewrites code

    # 1. The store is in another block than the instruction it rewrites.
    la t0, patch1
    li a0, 0
    li a1, 0
loop1:
    addi a1, a1, 1
    beq a1, a3, rewrite1
patch1:
    addi a0, a0, 1          # becomes "addi a0, a0, 2" at iteration a3
    blt a1, a2, loop1
    j second
rewrite1:
    sw t1, 0(t0)
    j patch1

    # 2. The store rewrites the instruction right after it, in the block that is running: it must see
    #    the new instruction at once. Its address is a scratch word except at iteration a3.
second:
    mv s0, a0               # loop 1's sum
    la t4, patch2
    li t5, 0x80100000       # scratch word, far from the code
    sub t5, t4, t5          # distance from scratch to patch2
    li t4, 0x80100000
    li a0, 0
    li a1, 0
loop2:
    addi a1, a1, 1
    sub t2, a1, a3
    seqz t2, t2
    mul t2, t2, t5
    add t2, t2, t4          # &scratch, or &patch2 at iteration a3
    sw t1, 0(t2)
patch2:
    addi a0, a0, 1          # "addi a0, a0, 2" from iteration a3 on, that one included
    blt a1, a2, loop2
    mv s1, a0
    ${EXIT}
replacement:
    addi a0, a0, 2
`);
}
