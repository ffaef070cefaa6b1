/*
 * The kernel's trap entry and its way back to U-mode. While a task runs, sscratch holds the address of
 * its saved registers (struct frame in kernel.c: x1..x31 at 4·n, then pc): the entry swaps it into t6,
 * saves every register of the task there, and calls trap(frame) on the kernel's own stack. trap()
 * returns the frame of the task to run next (the same one after a system call, the other one after a
 * timer interrupt): return_to_user loads it and `sret`s into it.
 */
    .extern trap                 /* kernel.c */

    .section .text
    .align 2
    .globl supervisor_trap
supervisor_trap:
    csrrw t6, sscratch, t6       /* t6 = the task's frame, sscratch = the task's t6 */
    sw x1, 4(t6)
    sw x2, 8(t6)
    sw x3, 12(t6)
    sw x4, 16(t6)
    sw x5, 20(t6)
    sw x6, 24(t6)
    sw x7, 28(t6)
    sw x8, 32(t6)
    sw x9, 36(t6)
    sw x10, 40(t6)
    sw x11, 44(t6)
    sw x12, 48(t6)
    sw x13, 52(t6)
    sw x14, 56(t6)
    sw x15, 60(t6)
    sw x16, 64(t6)
    sw x17, 68(t6)
    sw x18, 72(t6)
    sw x19, 76(t6)
    sw x20, 80(t6)
    sw x21, 84(t6)
    sw x22, 88(t6)
    sw x23, 92(t6)
    sw x24, 96(t6)
    sw x25, 100(t6)
    sw x26, 104(t6)
    sw x27, 108(t6)
    sw x28, 112(t6)
    sw x29, 116(t6)
    sw x30, 120(t6)
    csrr t5, sscratch
    sw t5, 124(t6)               /* the task's t6 */
    csrr t5, sepc
    sw t5, 128(t6)               /* where the task was: it goes on there */
    la sp, kernel_stack_top
    mv a0, t6
    call trap                    /* struct frame *trap(struct frame *interrupted) */

    .globl return_to_user
return_to_user:                  /* a0: the frame of the task to run */
    mv t6, a0
    lw t5, 128(t6)
    csrw sepc, t5
    csrw sscratch, t6
    lw x1, 4(t6)
    lw x2, 8(t6)
    lw x3, 12(t6)
    lw x4, 16(t6)
    lw x5, 20(t6)
    lw x6, 24(t6)
    lw x7, 28(t6)
    lw x8, 32(t6)
    lw x9, 36(t6)
    lw x10, 40(t6)
    lw x11, 44(t6)
    lw x12, 48(t6)
    lw x13, 52(t6)
    lw x14, 56(t6)
    lw x15, 60(t6)
    lw x16, 64(t6)
    lw x17, 68(t6)
    lw x18, 72(t6)
    lw x19, 76(t6)
    lw x20, 80(t6)
    lw x21, 84(t6)
    lw x22, 88(t6)
    lw x23, 92(t6)
    lw x24, 96(t6)
    lw x25, 100(t6)
    lw x26, 104(t6)
    lw x27, 108(t6)
    lw x28, 112(t6)
    lw x29, 116(t6)
    lw x30, 120(t6)
    lw x31, 124(t6)
    sret

    .bss
    .align 4
    .space 4096
kernel_stack_top:
