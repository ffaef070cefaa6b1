/*
 * exit: ends the run with status 0 at the first instruction. bench/run.ts runs it on QEMU to measure
 * QEMU's own start-up and shut-down time, which it subtracts from the benchmark timings.
 */
    .section .text.init
    .globl _start
_start:
    li t0, 0x00100000              /* SiFive test finisher */
    li t1, 0x5555                  /* "pass": exit status 0 */
    sw t1, 0(t0)
1:  j 1b
