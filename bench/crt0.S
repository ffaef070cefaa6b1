/*
 * crt0.S: the start-up code of the benchmark programs, as small as it can be so that nearly every
 * instruction a benchmark executes is the benchmark's own. It sets up gp, sp and a cleared .bss, runs
 * main, and hands main's result to the SiFive test finisher, which makes QEMU (and Rewind) exit with
 * it: 0 is pass, anything else is reported as a failure with that code.
 *
 * An unexpected trap ends the run at once with status 0x100 + mcause, instead of jumping to address 0
 * and hanging, so that an emulator bug shows up as a clear failure and not as a timeout.
 *
 * Assembled twice by the Makefile: once for rv32im and once for rv32imac, so that the rv32im programs
 * contain no compressed instruction at all.
 */

    .equ TEST_FINISHER, 0x00100000
    .equ FINISH_PASS,   0x5555
    .equ FINISH_FAIL,   0x3333
    .equ TRAP_STATUS,   0x100

    .section .text.init
    .globl _start
_start:
    .option push
    .option norelax                /* relaxing `la gp` would make it relative to gp itself */
    la gp, __global_pointer$
    .option pop
    la sp, __stack_top
    la t0, trap
    csrw mtvec, t0

    la t0, __bss_start             /* virt.ld aligns both ends to 4 bytes */
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    sw zero, 0(t0)
    addi t0, t0, 4
    j 1b
2:
    call main

    /* status 0 -> 0x5555; status s -> (s << 16) | 0x3333 */
finish:
    li t0, TEST_FINISHER
    li t1, FINISH_PASS
    beqz a0, 3f
    slli t1, a0, 16
    li t2, FINISH_FAIL
    or t1, t1, t2
3:  sw t1, 0(t0)
4:  j 4b                           /* not reached when the finisher exists */

    .align 2                       /* mtvec (direct mode) needs a 4-byte aligned address */
trap:
    csrr a0, mcause
    addi a0, a0, TRAP_STATUS
    j finish
