# The PLIC of QEMU's virt board with the UART as its source 10, using the UART's transmitter-empty
# interrupt (IER bit 1; the transmitter is always empty, so enabling it raises the line at once):
# pending bits, enables, priority against threshold, MEIP for context 0 (M-mode) and SEIP for context 1
# (S-mode), claim and complete, and the interrupts taken in M-mode and, delegated, in S-mode.
#include "env.h"
#define UART 0x10000000
#define PLIC 0x0c000000
#define PENDING 0x0c001000
#define ENABLE0 0x0c002000
#define ENABLE1 0x0c002080
#define THRESHOLD0 0x0c200000
#define CLAIM0 0x0c200004
#define CLAIM1 0x0c201004
START
  li s0, 0                    # interrupts taken
  li s2, PLIC
  li t0, 1
  sw t0, 40(s2)               # priority of source 10
  lw t1, 40(s2)
  CHECK(1, t1, 1)
  li s3, UART
  li t0, 2
  sb t0, 1(s3)                # IER: transmitter-empty interrupt: the line goes high
  li t2, PENDING
  lw t1, 0(t2)
  CHECK(2, t1, 0x400)         # pending, though no context enables it
  csrr t1, mip
  li t0, 0x800
  and t1, t1, t0
  CHECK(3, t1, 0)             # no MEIP yet
  li t2, ENABLE0
  li t0, 0x400
  sw t0, 0(t2)
  # QEMU 7.2 re-evaluates its outputs on threshold, claim, complete and level changes but not on an
  # enable write: set the threshold after the enables, as drivers do.
  li t2, THRESHOLD0
  sw zero, 0(t2)
  csrr t1, mip
  li t0, 0xa00
  and t1, t1, t0
  CHECK(4, t1, 0x800)         # MEIP (context 0), not SEIP
  li t2, THRESHOLD0
  li t0, 1
  sw t0, 0(t2)                # priority 1 does not pass threshold 1
  csrr t1, mip
  li t0, 0x800
  and t1, t1, t0
  CHECK(5, t1, 0)
  sw zero, 0(t2)
  # Take it in M-mode.
  li t0, 0x800
  csrs mie, t0
  li TESTNUM, 6
  csrsi mstatus, 8            # taken at once
  CHECK(7, s0, 1)
  csrci mstatus, 8
  # Route source 10 to context 1 (S-mode) instead, and raise the line again.
  li t2, ENABLE0
  sw zero, 0(t2)
  li t2, ENABLE1
  li t0, 0x400
  sw t0, 0(t2)
  sb zero, 1(s3)
  li t0, 2
  sb t0, 1(s3)
  csrr t1, mip
  li t0, 0xa00
  and t1, t1, t0
  CHECK(8, t1, 0x200)         # SEIP
  li t0, 0x200
  csrw mideleg, t0
  csrs mie, t0
  la t0, strap
  csrw stvec, t0
  ENTER(1, supervisor)

supervisor:
  li TESTNUM, 9
  csrsi sstatus, 2            # SIE: taken at once
  CHECK(10, s0, 2)
  li TESTNUM, 11
  ecall                       # to M-mode: pass

  .align 2
strap:
  csrr t0, scause
  li t1, 0x80000009
  li TESTNUM, 12
  bne t0, t1, fail
  li t2, CLAIM1
  lw t1, 0(t2)
  CHECK(13, t1, 10)
  lbu t1, 2(s3)               # IIR: transmitter empty; reading it lowers the line
  CHECK(14, t1, 2)
  li t0, 10
  sw t0, 0(t2)                # complete
  addi s0, s0, 1
  sret

  .align 2
mtrap:
  csrr t0, mcause
  li t1, 0x8000000b
  bne t0, t1, ecall_from_s
  li t2, CLAIM0
  lw t1, 0(t2)
  CHECK(20, t1, 10)           # the claim returns the UART
  lw t1, 0(t2)
  CHECK(21, t1, 0)            # and nothing is left to claim
  li t2, PENDING
  lw t1, 0(t2)
  CHECK(22, t1, 0)            # claiming cleared its pending bit
  lbu t1, 2(s3)
  CHECK(23, t1, 2)            # IIR: transmitter empty
  lbu t1, 2(s3)
  CHECK(24, t1, 1)            # reading IIR cleared it: no interrupt
  li t2, CLAIM0
  li t0, 10
  sw t0, 0(t2)                # complete
  csrr t1, mip
  li t0, 0x800
  and t1, t1, t0
  CHECK(25, t1, 0)            # the line is low: no MEIP after completion
  addi s0, s0, 1
  mret
ecall_from_s:
  CHECK(26, t0, 9)
  CHECK(27, s0, 2)
  PASS
fail:
  FAIL
