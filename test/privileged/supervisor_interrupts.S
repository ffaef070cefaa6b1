# Interrupts delegated to S-mode: a supervisor software interrupt (SSIP, set through sip) is held while
# SIE is off in S-mode, taken as soon as SIE is set, and taken in U-mode whatever SIE says. scause has
# the interrupt bit, sepc the interrupted instruction.
#include "env.h"
START
  li t0, 2
  csrw mideleg, t0            # SSIP to S-mode
  la t0, strap
  csrw stvec, t0
  li s0, 0                    # interrupts taken
  ENTER(1, supervisor)

supervisor:
  li t0, 2
  csrs sie, t0                # SSIE
  csrs sip, t0                # pending now, but SIE is 0
  nop
  CHECK(1, s0, 0)
  la s1, taken_here
  csrsi sstatus, 2            # SIE: taken at the next instruction
taken_here:
  CHECK(2, s0, 1)
  # Again, then sret to U-mode with SIE = SPIE = 0: U-mode takes it anyway.
  csrci sstatus, 2
  li t0, 2
  csrs sip, t0
  li t0, 0x120                # SPIE and SPP: U-mode with SIE off
  csrc sstatus, t0
  la s1, user
  csrw sepc, s1
  sret
user:
  nop
  li TESTNUM, 5
  ecall                       # not delegated: to M-mode, which checks and passes

  .align 2
strap:
  csrr t0, scause
  li t1, 0x80000001
  bne t0, t1, fail
  csrr t0, sepc
  bne t0, s1, fail
  li t0, 2
  csrc sip, t0
  addi s0, s0, 1
  sret

  .align 2
mtrap:
  csrr t0, mcause
  CHECK(3, t0, 8)             # ecall from U
  CHECK(4, s0, 2)
  PASS
fail:
  FAIL
