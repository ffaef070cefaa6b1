/*
 * crt0.S: start-up code for a bare-metal C program on QEMU's `virt` board, in the style of the
 * riscv-tests environment (env/p): put every register in a known state, install a trap vector, give
 * hart 0 a stack and a clean .bss, run main, and report main's result to the test finisher so that
 * QEMU (or Rewind) exits with it.
 *
 * Traps go to trap_vector, which saves all registers in a frame on the stack and calls the C function
 *     uint32_t handle_trap(uint32_t mcause, uint32_t mepc, uint32_t regs[32])
 * regs[i] is register xi as it was when the trap was taken (regs[0] is 0); the handler may change
 * them (a0 = regs[10] is how a system call returns a value), and returns the address to resume at.
 *
 * Symbols from the linker script (examples/common/virt.ld): __global_pointer$, __bss_start, __bss_end,
 * __stack_top.
 */

    .equ TEST_FINISHER, 0x00100000
    .equ FINISH_PASS,   0x5555
    .equ FINISH_FAIL,   0x3333
    .equ REGBYTES,      4
    .equ FRAME_SIZE,    32 * REGBYTES   /* regs[32]; 128 bytes keeps sp 16-byte aligned */

    .section .text.init
    .globl _start
_start:
    /* Registers are not defined at reset. A program that reads one before writing it would behave
       differently on different machines (or emulators), so give all of them the same value, 0. */
    li x1, 0
    li x2, 0
    li x3, 0
    li x4, 0
    li x5, 0
    li x6, 0
    li x7, 0
    li x8, 0
    li x9, 0
    li x10, 0
    li x11, 0
    li x12, 0
    li x13, 0
    li x14, 0
    li x15, 0
    li x16, 0
    li x17, 0
    li x18, 0
    li x19, 0
    li x20, 0
    li x21, 0
    li x22, 0
    li x23, 0
    li x24, 0
    li x25, 0
    li x26, 0
    li x27, 0
    li x28, 0
    li x29, 0
    li x30, 0
    li x31, 0

    /* Traps before main (a bad store while clearing .bss, say) should be reported, not loop at 0. */
    la t0, trap_vector
    csrw mtvec, t0

    /* The global pointer must be loaded without linker relaxation: relaxing `la gp` would turn it into
       an access relative to gp, which is what we are about to set. */
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop

    /* Only hart 0 runs the program; QEMU's virt has one hart unless told otherwise, but with -smp the
       others would race through .bss and main too. */
    csrr t0, mhartid
    bnez t0, park

    la sp, __stack_top

    /* C expects zero-initialised statics; clear .bss a word at a time (virt.ld aligns both ends). */
    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    sw zero, 0(t0)
    addi t0, t0, 4
    j 1b
2:
    li a0, 0                       /* argc */
    li a1, 0                       /* argv */
    call main
    tail finish                    /* main's return value is already in a0 */

park:
    wfi
    j park

/* void finish(int status): ends the run. Status 0 is "pass"; any other is "fail" with that code in
   the upper half (QEMU exits with it). Never returns. */
    .section .text
    .globl finish
    .type finish, @function
finish:
    li t0, TEST_FINISHER
    bnez a0, 1f
    li t1, FINISH_PASS
    j 2f
1:  slli t1, a0, 16
    li t2, FINISH_FAIL
    or t1, t1, t2
2:  sw t1, 0(t0)
3:  wfi                            /* not reached when a finisher is present */
    j 3b
    .size finish, . - finish

/* The trap vector. Direct mode (mtvec's low bits 00), so it must be 4-byte aligned. */
    .align 2
    .globl trap_vector
    .type trap_vector, @function
trap_vector:
    addi sp, sp, -FRAME_SIZE
    /* regs[0] stays unwritten (x0 is always 0); regs[2], the old sp, is computed below. */
    sw x1,   1 * REGBYTES(sp)
    sw x3,   3 * REGBYTES(sp)
    sw x4,   4 * REGBYTES(sp)
    sw x5,   5 * REGBYTES(sp)
    sw x6,   6 * REGBYTES(sp)
    sw x7,   7 * REGBYTES(sp)
    sw x8,   8 * REGBYTES(sp)
    sw x9,   9 * REGBYTES(sp)
    sw x10, 10 * REGBYTES(sp)
    sw x11, 11 * REGBYTES(sp)
    sw x12, 12 * REGBYTES(sp)
    sw x13, 13 * REGBYTES(sp)
    sw x14, 14 * REGBYTES(sp)
    sw x15, 15 * REGBYTES(sp)
    sw x16, 16 * REGBYTES(sp)
    sw x17, 17 * REGBYTES(sp)
    sw x18, 18 * REGBYTES(sp)
    sw x19, 19 * REGBYTES(sp)
    sw x20, 20 * REGBYTES(sp)
    sw x21, 21 * REGBYTES(sp)
    sw x22, 22 * REGBYTES(sp)
    sw x23, 23 * REGBYTES(sp)
    sw x24, 24 * REGBYTES(sp)
    sw x25, 25 * REGBYTES(sp)
    sw x26, 26 * REGBYTES(sp)
    sw x27, 27 * REGBYTES(sp)
    sw x28, 28 * REGBYTES(sp)
    sw x29, 29 * REGBYTES(sp)
    sw x30, 30 * REGBYTES(sp)
    sw x31, 31 * REGBYTES(sp)
    sw zero, 0(sp)
    addi t0, sp, FRAME_SIZE
    sw t0,   2 * REGBYTES(sp)      /* the interrupted code's sp, for a handler that wants to look */

    csrr a0, mcause
    csrr a1, mepc
    mv a2, sp                      /* regs */
    call handle_trap
    csrw mepc, a0                  /* where to resume: mepc + 4 after an ecall, for example */

    /* Restore everything but sp from the frame (the handler may have changed a0 and friends). */
    lw x1,   1 * REGBYTES(sp)
    lw x3,   3 * REGBYTES(sp)
    lw x4,   4 * REGBYTES(sp)
    lw x5,   5 * REGBYTES(sp)
    lw x6,   6 * REGBYTES(sp)
    lw x7,   7 * REGBYTES(sp)
    lw x8,   8 * REGBYTES(sp)
    lw x9,   9 * REGBYTES(sp)
    lw x10, 10 * REGBYTES(sp)
    lw x11, 11 * REGBYTES(sp)
    lw x12, 12 * REGBYTES(sp)
    lw x13, 13 * REGBYTES(sp)
    lw x14, 14 * REGBYTES(sp)
    lw x15, 15 * REGBYTES(sp)
    lw x16, 16 * REGBYTES(sp)
    lw x17, 17 * REGBYTES(sp)
    lw x18, 18 * REGBYTES(sp)
    lw x19, 19 * REGBYTES(sp)
    lw x20, 20 * REGBYTES(sp)
    lw x21, 21 * REGBYTES(sp)
    lw x22, 22 * REGBYTES(sp)
    lw x23, 23 * REGBYTES(sp)
    lw x24, 24 * REGBYTES(sp)
    lw x25, 25 * REGBYTES(sp)
    lw x26, 26 * REGBYTES(sp)
    lw x27, 27 * REGBYTES(sp)
    lw x28, 28 * REGBYTES(sp)
    lw x29, 29 * REGBYTES(sp)
    lw x30, 30 * REGBYTES(sp)
    lw x31, 31 * REGBYTES(sp)
    addi sp, sp, FRAME_SIZE
    mret
    .size trap_vector, . - trap_vector
