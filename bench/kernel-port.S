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
#include "task-frame.inc"
    .equ FRAME, 128                /* x1, mepc in x2's slot, x3..x31, mstatus: 32 words */

    .section .text
    .globl kernel_trap_entry
    .align 2                       /* mtvec (direct mode) needs a 4-byte aligned address */
kernel_trap_entry:
    addi sp, sp, -FRAME
    SAVE_TASK_REGISTERS
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
    RESTORE_TASK_REGISTERS
    addi sp, sp, FRAME
    mret

    /* The idle task: nothing to do until an interrupt. */
    .globl kernel_idle
    .align 2
kernel_idle:
1:  wfi
    j 1b
