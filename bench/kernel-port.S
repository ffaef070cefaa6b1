/*
 * kernel-port.S: the trap entry of the preemptive kernel in kernel.c, shaped like a FreeRTOS RISC-V
 * port: save every register of the running task, its mepc and its mstatus on its own stack, let the
 * kernel (C) handle the trap (timer tick, the PLIC's external interrupt, `ecall` yield) and pick the
 * next task, restore that task's registers, mepc and mstatus, and `mret` into it.
 *
 * mstatus is part of a task's context: a task that yields inside a critical section (it blocks on a
 * queue or a semaphore with interrupts off) trapped with MIE clear, so its saved MPIE is clear and `mret`
 * resumes it with interrupts still off, while a task preempted by the tick resumes with them on.
 */
    .equ FRAME, 128                /* x1, mepc in x2's slot, x3..x31, mstatus: 32 words */

    .section .text
    .globl kernel_trap_entry
    .align 2                       /* mtvec (direct mode) needs a 4-byte aligned address */
kernel_trap_entry:
    addi sp, sp, -FRAME
    sw x1, 0(sp)
    sw x3, 8(sp)
    sw x4, 12(sp)
    sw x5, 16(sp)
    sw x6, 20(sp)
    sw x7, 24(sp)
    sw x8, 28(sp)
    sw x9, 32(sp)
    sw x10, 36(sp)
    sw x11, 40(sp)
    sw x12, 44(sp)
    sw x13, 48(sp)
    sw x14, 52(sp)
    sw x15, 56(sp)
    sw x16, 60(sp)
    sw x17, 64(sp)
    sw x18, 68(sp)
    sw x19, 72(sp)
    sw x20, 76(sp)
    sw x21, 80(sp)
    sw x22, 84(sp)
    sw x23, 88(sp)
    sw x24, 92(sp)
    sw x25, 96(sp)
    sw x26, 100(sp)
    sw x27, 104(sp)
    sw x28, 108(sp)
    sw x29, 112(sp)
    sw x30, 116(sp)
    sw x31, 120(sp)
    csrr t0, mepc
    sw t0, 4(sp)
    csrr t0, mstatus
    sw t0, 124(sp)
    csrr a0, mcause
    mv a1, sp
    call kernel_trap               /* returns the stack pointer of the task to run */
    mv sp, a0
    lw t0, 4(sp)
    csrw mepc, t0
    lw t0, 124(sp)
    csrw mstatus, t0
    lw x1, 0(sp)
    lw x3, 8(sp)
    lw x4, 12(sp)
    lw x5, 16(sp)
    lw x6, 20(sp)
    lw x7, 24(sp)
    lw x8, 28(sp)
    lw x9, 32(sp)
    lw x10, 36(sp)
    lw x11, 40(sp)
    lw x12, 44(sp)
    lw x13, 48(sp)
    lw x14, 52(sp)
    lw x15, 56(sp)
    lw x16, 60(sp)
    lw x17, 64(sp)
    lw x18, 68(sp)
    lw x19, 72(sp)
    lw x20, 76(sp)
    lw x21, 80(sp)
    lw x22, 84(sp)
    lw x23, 88(sp)
    lw x24, 92(sp)
    lw x25, 96(sp)
    lw x26, 100(sp)
    lw x27, 104(sp)
    lw x28, 108(sp)
    lw x29, 112(sp)
    lw x30, 116(sp)
    lw x31, 120(sp)
    addi sp, sp, FRAME
    mret

    /* The idle task: nothing to do until an interrupt. */
    .globl kernel_idle
    .align 2
kernel_idle:
1:  wfi
    j 1b
