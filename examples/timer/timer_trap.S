/*
 * Machine-mode trap entry and CSR helpers for the timer example.
 *
 * Why assembly: the C files must be compiled with -march=rv32imac exactly (picolibc's multilib), and
 * with binutils 2.40 that ISA string does not include Zicsr, so C cannot contain csrr/csrw. This file
 * is assembled with -march=rv32imac_zicsr instead, and C calls the small functions below.
 *
 * The trap entry saves only the caller-saved registers: the C handler it calls preserves the
 * callee-saved ones (s0-s11) itself, as the calling convention promises. That is enough because the
 * interrupted code cannot tell the difference as long as every register it could observe is restored.
 */

    .equ MSTATUS_MIE, 0x8      /* mstatus bit 3: machine interrupts globally enabled */
    .equ MIE_MTIE,    0x80     /* mie bit 7: machine timer interrupt enabled */
    .equ FRAME_SIZE,  64       /* 16 registers of 4 bytes; a multiple of 16 keeps sp aligned (ABI) */

    .section .text
    /* mtvec in direct mode takes the address with its two low bits as the mode, so the entry must be
       4-byte aligned (`.align 2` is 2^2). */
    .align 2
    .globl timer_trap_entry
    .type timer_trap_entry, @function
timer_trap_entry:
    addi sp, sp, -FRAME_SIZE
    sw ra,  0(sp)
    sw t0,  4(sp)
    sw t1,  8(sp)
    sw t2, 12(sp)
    sw a0, 16(sp)
    sw a1, 20(sp)
    sw a2, 24(sp)
    sw a3, 28(sp)
    sw a4, 32(sp)
    sw a5, 36(sp)
    sw a6, 40(sp)
    sw a7, 44(sp)
    sw t3, 48(sp)
    sw t4, 52(sp)
    sw t5, 56(sp)
    sw t6, 60(sp)

    csrr a0, mcause            /* void timer_trap(uint32_t mcause, uint32_t mepc) */
    csrr a1, mepc
    call timer_trap

    lw ra,  0(sp)
    lw t0,  4(sp)
    lw t1,  8(sp)
    lw t2, 12(sp)
    lw a0, 16(sp)
    lw a1, 20(sp)
    lw a2, 24(sp)
    lw a3, 28(sp)
    lw a4, 32(sp)
    lw a5, 36(sp)
    lw a6, 40(sp)
    lw a7, 44(sp)
    lw t3, 48(sp)
    lw t4, 52(sp)
    lw t5, 56(sp)
    lw t6, 60(sp)
    addi sp, sp, FRAME_SIZE
    /* An interrupt left mepc at the interrupted instruction, which has not run yet: return to it. */
    mret
    .size timer_trap_entry, . - timer_trap_entry

/* void interrupts_init(void): route traps to timer_trap_entry and let the timer interrupt through
   (it is still held back until interrupts_enable sets mstatus.MIE). This replaces the fault handler
   that picolibc's start-up code installed. */
    .globl interrupts_init
    .type interrupts_init, @function
interrupts_init:
    la t0, timer_trap_entry
    csrw mtvec, t0
    li t0, MIE_MTIE
    csrs mie, t0
    ret
    .size interrupts_init, . - interrupts_init

/* void interrupts_enable(void) / interrupts_disable(void): set or clear mstatus.MIE. */
    .globl interrupts_enable
    .type interrupts_enable, @function
interrupts_enable:
    csrsi mstatus, MSTATUS_MIE
    ret
    .size interrupts_enable, . - interrupts_enable

    .globl interrupts_disable
    .type interrupts_disable, @function
interrupts_disable:
    csrci mstatus, MSTATUS_MIE
    ret
    .size interrupts_disable, . - interrupts_disable

/* void wait_for_interrupt(void): sleep until an enabled interrupt is pending. The hart wakes up even
   while mstatus.MIE is clear (only mie matters for waking), which is what makes the race-free wait in
   timer.c possible. An emulator may also treat wfi as a no-op; callers loop anyway. */
    .globl wait_for_interrupt
    .type wait_for_interrupt, @function
wait_for_interrupt:
    wfi
    ret
    .size wait_for_interrupt, . - wait_for_interrupt
