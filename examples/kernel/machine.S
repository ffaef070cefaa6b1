/*
 * The machine-mode part of the kernel example: boot, and a tiny firmware in the way OpenSBI serves a
 * kernel on QEMU's virt board. It opens memory to S- and U-mode (one PMP entry), delegates to S-mode the
 * exceptions a kernel handles (ecall from U-mode, page faults) and the supervisor interrupts, lets S- and
 * U-mode read `time`, and enters kernel_main in S-mode.
 *
 * The supervisor timer, the OpenSBI way: S-mode asks for its next tick with an SBI call (ecall from
 * S-mode, a7 = 0, set_timer: a0/a1 the absolute time), which programs the CLINT's mtimecmp, clears
 * mip.STIP and enables the machine timer interrupt. When that interrupt comes, M-mode masks it and sets
 * mip.STIP: the kernel takes a supervisor timer interrupt as soon as it runs U-mode code.
 */
    .equ MIP_STIP, 0x20
    .equ MIE_MTIE, 0x80
    .equ MTIMECMP, 0x02004000
    .equ FINISHER, 0x00100000

    .extern kernel_main          /* kernel.c: the S-mode kernel */

    .section .text.init
    .globl _start
_start:
    la sp, __stack_top
    la t0, machine_stack_top
    csrw mscratch, t0
    la t0, machine_trap
    csrw mtvec, t0
    li t0, -1
    csrw pmpaddr0, t0
    li t0, 0x1f                  /* NAPOT, read, write, execute: all of memory */
    csrw pmpcfg0, t0
    li t0, (1 << 8) | (1 << 12) | (1 << 13) | (1 << 15)
    csrw medeleg, t0             /* ecall from U, instruction/load/store page faults */
    li t0, (1 << 1) | (1 << 5) | (1 << 9)
    csrw mideleg, t0             /* supervisor software, timer, external interrupts */
    li t0, 2
    csrw mcounteren, t0          /* time */
    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    sw zero, 0(t0)
    addi t0, t0, 4
    j 1b
2:  li t0, 3 << 11
    csrc mstatus, t0
    li t0, 1 << 11               /* MPP = S */
    csrs mstatus, t0
    la t0, kernel_main
    csrw mepc, t0
    mret

    .align 2
machine_trap:
    csrrw sp, mscratch, sp
    addi sp, sp, -16
    sw t0, 0(sp)
    sw t1, 4(sp)
    csrr t0, mcause
    bgez t0, machine_exception
    /* The machine timer: masked until the next set_timer, and passed on to S-mode. */
    li t0, MIE_MTIE
    csrc mie, t0
    li t0, MIP_STIP
    csrs mip, t0
    j machine_return
machine_exception:
    li t1, 9                     /* ecall from S-mode: the one SBI call, set_timer */
    bne t0, t1, machine_failure
    li t0, MTIMECMP
    li t1, -1
    sw t1, 4(t0)                 /* no interrupt while the halves are written */
    sw a0, 0(t0)
    sw a1, 4(t0)
    li t0, MIP_STIP
    csrc mip, t0
    li t0, MIE_MTIE
    csrs mie, t0
    csrr t0, mepc
    addi t0, t0, 4
    csrw mepc, t0
machine_return:
    lw t0, 0(sp)
    lw t1, 4(sp)
    addi sp, sp, 16
    csrrw sp, mscratch, sp
    mret
machine_failure:
    /* Anything else is a bug of the kernel: end the run with the cause as the exit status. */
    li t1, FINISHER
    slli t0, t0, 16
    li t2, 0x3333
    or t0, t0, t2
    sw t0, 0(t1)
3:  j 3b

    .bss
    .align 4
    .space 256
machine_stack_top:
