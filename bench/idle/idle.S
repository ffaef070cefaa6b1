/*
 * idle: a program that does nothing, forever: a counter in a register, no memory written, no output,
 * no input. The debug adapter's live-session figure (bench section "dap": its memory after a minute of
 * running live) and the live recording's growth test (test/live/idle-growth.test.ts). In a subfolder:
 * not an emulation benchmark.
 */
    .section .text.init
    .globl _start
_start:
    li a0, 0
1:  addi a0, a0, 1
    j 1b
