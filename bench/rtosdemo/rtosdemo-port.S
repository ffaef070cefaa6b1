/*
 * rtosdemo-port.S: the trap entry of rtosdemo.c, shaped as FreeRTOS' RISC-V port for the virt board does it:
 * the running task's registers, mepc and mstatus go on its own stack, the kernel (C) runs on an
 * interrupt stack of its own and picks the next task, whose frame is restored before `mret`.
 */
#include "../task-frame.inc"
    .equ FRAME, 128                /* x1, x3..x31, mepc at 4(sp), mstatus at 124(sp) */

    .section .text
    .globl rtosdemo_trap_entry
    .align 2
rtosdemo_trap_entry:
    addi sp, sp, -FRAME
    SAVE_TASK_REGISTERS
    csrr t0, mepc
    sw t0, 4(sp)
    csrr t0, mstatus
    sw t0, 124(sp)
    csrr a0, mcause
    mv a1, sp
    la sp, interrupt_stack_top
    call rtosdemo_trap                 /* returns the stack pointer of the task to run */
    .globl rtosdemo_restore
rtosdemo_restore:                      /* also the first switch into a task: a0 = its prepared frame */
    mv sp, a0
    lw t0, 4(sp)
    csrw mepc, t0
    lw t0, 124(sp)
    csrw mstatus, t0
    RESTORE_TASK_REGISTERS
    addi sp, sp, FRAME
    mret

    .section .bss
    .align 4
    .space 2048
interrupt_stack_top:
