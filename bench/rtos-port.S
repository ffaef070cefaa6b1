/*
 * rtos-port.S: the trap entry of the small preemptive kernel in rtos.c, the way FreeRTOS' RISC-V port
 * does it: save every register of the running task on its own stack, let the kernel (C) pick the next
 * task, restore that task's registers and mepc, and `mret` into it. Tasks run in machine mode with
 * interrupts enabled; the machine timer preempts them, `ecall` yields.
 */
#include "task-frame.inc"
    .equ FRAME, 128                /* x1, x3..x31 and mepc: 31 words, rounded up to 16 bytes */

    .section .text
    .globl rtos_trap_entry
    .align 2                       /* mtvec (direct mode) needs a 4-byte aligned address */
rtos_trap_entry:
    addi sp, sp, -FRAME
    SAVE_TASK_REGISTERS
    csrr t0, mepc
    sw t0, 124(sp)
    csrr a0, mcause
    mv a1, sp
    call rtos_trap             /* returns the stack pointer of the task to run */
    mv sp, a0
    .globl rtos_restore
rtos_restore:                  /* also the first switch into a task: a0 = its prepared stack */
    mv sp, a0
    lw t0, 124(sp)
    csrw mepc, t0
    RESTORE_TASK_REGISTERS
    addi sp, sp, FRAME
    mret
