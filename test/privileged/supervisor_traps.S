# Delegation and sret: M-mode enters S-mode with mret, S-mode enters U-mode with sret; an ecall from U
# delegated by medeleg traps to S-mode (scause 8, sepc, SPP = U, SPIE from SIE); an ecall from S is not
# delegable upward and traps to M-mode (mcause 9, MPP = S); an illegal instruction in U-mode that is
# not delegated goes to M-mode.
#include "env.h"
START
  li t0, 1 << 8               # delegate ecall from U
  csrw medeleg, t0
  la t0, strap
  csrw stvec, t0
  li TESTNUM, 1
  ENTER(1, supervisor)

supervisor:
  li t0, 0x20                 # SPIE = 1: U-mode runs with SIE = 1, which the trap keeps in SPIE
  csrs sstatus, t0
  li t0, 1 << 8
  csrc sstatus, t0            # SPP = U
  la t0, user
  csrw sepc, t0
  li TESTNUM, 2
  sret

user:
  li TESTNUM, 3
  li a7, 42
ecall_u:
  ecall                       # to strap
  li TESTNUM, 6
  .word 0                     # illegal (c.unimp): not delegated, so to mtrap

  .align 2
strap:
  csrr a0, scause
  CHECK(4, a0, 8)
  csrr a1, sepc
  la t0, ecall_u
  bne a1, t0, fail
  csrr a2, sstatus
  andi a3, a2, 0x100          # SPP = U
  CHECK(5, a3, 0)
  andi a3, a2, 0x20           # SPIE = the SIE of U-mode (1)
  li t0, 0x20
  bne a3, t0, fail
  addi a1, a1, 4
  csrw sepc, a1
  sret

  .align 2
mtrap:
  csrr a0, mcause
  li t0, 2
  beq a0, t0, illegal_from_user
  CHECK(9, a0, 9)             # ecall from S
  csrr a1, mstatus
  srli a1, a1, 11
  andi a1, a1, 3
  CHECK(10, a1, 1)            # MPP = S
  PASS

illegal_from_user:
  li TESTNUM, 7
  csrr a1, mstatus
  srli a1, a1, 11
  andi a1, a1, 3
  CHECK(7, a1, 0)             # MPP = U
  csrr a2, mtval
  CHECK(8, a2, 0)             # the instruction bits
  # Back in S-mode, call M-mode.
  ENTER(1, call_machine)
call_machine:
  ecall
  li TESTNUM, 11
fail:
  FAIL
