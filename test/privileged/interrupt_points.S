# Where an interrupt made pending or enabled by the program lands, in hot loops (our own program, an
# RTOS port's shape: yields through msip, critical sections, mret to a task): right after the
# instruction that makes it takeable, in every tier (these loops run compiled), as on QEMU. Each phase
# sets s5 to the label after that instruction; the handler counts the interrupts and the ones whose
# mepc is not s5.
#include "env.h"
#define MSIP 0x2000000

START
  li s6, 0                    # interrupts taken
  li s7, 0                    # of them, elsewhere than s5
  li t0, 8                    # mie.MSIE
  csrs mie, t0
  csrsi mstatus, 8
  li s2, MSIP
  li t1, 1
  li t2, 8

  # 1: a yield: the store to msip (3,000 turns).
  li s1, 3000
  la s5, 1f
2:
  sw t1, 0(s2)
1:
  addi s4, s4, 1
  addi s1, s1, -1
  bnez s1, 2b
  CHECK(1, s6, 3000)

  # 2: msip set in a critical section; the csrsi that ends it.
  li s1, 2000
  la s5, 1f
2:
  csrci mstatus, 8
  sw t1, 0(s2)
  addi s4, s4, 1
  csrsi mstatus, 8
1:
  addi s4, s4, 2
  addi s1, s1, -1
  bnez s1, 2b
  CHECK(2, s6, 5000)

  # 3: msip set with mie.MSIE off; the csrs that enables it.
  li s1, 2000
  la s5, 1f
2:
  csrc mie, t2
  sw t1, 0(s2)
  addi s4, s4, 1
  csrs mie, t2
1:
  addi s4, s4, 2
  addi s1, s1, -1
  bnez s1, 2b
  CHECK(3, s6, 7000)

  # 4: msip set in a critical section left by mret (MPIE set, MPP M): before the first instruction at mepc.
  li s1, 2000
  la s5, 1f
2:
  csrci mstatus, 8
  sw t1, 0(s2)
  li t0, 0x1880
  csrs mstatus, t0
  csrw mepc, s5
  mret
1:
  addi s4, s4, 2
  addi s1, s1, -1
  bnez s1, 2b
  csrci mstatus, 8
  CHECK(4, s6, 9000)
  CHECK(5, s7, 0)
  PASS

fail:
  FAIL

  .align 2
mtrap:
  csrr t5, mcause
  li t6, 0x80000003
  li TESTNUM, 98
  bne t5, t6, fail
  addi s6, s6, 1
  csrr t5, mepc
  beq t5, s5, 1f
  addi s7, s7, 1
1:
  sw zero, 0(s2)
  mret
