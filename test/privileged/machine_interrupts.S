# Machine-mode CSRs and interrupts, as riscv-tests' rv32mi tests and an RTOS port use them (our own
# program): mtvec in vectored mode (interrupts at base + 4 * cause, exceptions at base), the CLINT's
# software interrupt (msip) and timer (mtimecmp) as mip.MSIP/MTIP, mie gating them, mstatus.MIE and
# the interrupt taken at the csrs that sets it, wfi with an interrupt pending, mip.MSIP and MTIP
# read-only to csrw, mhartid 0, misa's base and extensions, and the counters: cycle/instret/time
# (rdcycle, rdinstret, rdtime) read what mcycle/minstret/mtime hold, and time advances once per 100
# instructions (the 10 MHz mtime under -icount shift=0).
#include "env.h"
#define CLINT 0x2000000

START
  li s2, 0                    # interrupts taken (the vector entries count them)
  la t0, vectors
  ori t0, t0, 1               # vectored mode
  csrw mtvec, t0
  csrr a0, mtvec
  la t1, vectors
  ori t1, t1, 1
  li TESTNUM, 1
  bne a0, t1, fail

  # 2: mhartid is 0; misa says RV32 (MXL 1) with I, M, A, C, S and U.
  csrr a0, mhartid
  CHECK(2, a0, 0)
  csrr a0, misa
  srli a1, a0, 30
  CHECK(3, a1, 1)
  li t0, (1 << 8) | (1 << 12) | (1 << 0) | (1 << 2) | (1 << 18) | (1 << 20)
  and a1, a0, t0
  li TESTNUM, 4
  bne a1, t0, fail

  # 5: an exception goes to the base even in vectored mode.
  la s5, 1f
  ecall
1:
  CHECK(5, s3, 11)

  # 6: msip pends MSIP in mip; with mie.MSIE and mstatus.MIE off nothing is taken.
  li s4, CLINT
  li s11, CLINT + 0x4000       # mtimecmp
  li a5, CLINT + 0xbff8        # mtime
  li t0, 1
  sw t0, 0(s4)
  csrr a0, mip
  andi a0, a0, 8
  CHECK(6, a0, 8)
  CHECK(7, s2, 0)
  # 8: csrw mip cannot clear MSIP (the CLINT owns it).
  csrw mip, zero
  csrr a0, mip
  andi a0, a0, 8
  CHECK(8, a0, 8)
  # 9: mie.MSIE on, MIE still off: not taken. Then csrsi mstatus, 8 takes it at once, at the vector
  # for cause 3, with mepc the instruction after the csrsi.
  li t0, 8
  csrw mie, t0
  CHECK(9, s2, 0)
  la s6, 2f
  csrsi mstatus, 8
2:
  nop
  CHECK(10, s2, 1)
  CHECK(11, s3, 0x80000003)
  bne s7, s6, fail
  # 12: the handler cleared msip: no second interrupt.
  nop
  CHECK(12, s2, 1)
  csrci mstatus, 8

  # 13: the timer. mtimecmp in the past: MTIP pending.
  sw zero, 4(s11)
  sw zero, 0(s11)
  csrr a0, mip
  andi a0, a0, 0x80
  CHECK(13, a0, 0x80)
  # 14: mtimecmp far away: not pending.
  li t0, -1
  sw t0, 4(s11)
  csrr a0, mip
  andi a0, a0, 0x80
  CHECK(14, a0, 0)

  # 15: time reads mtime: rdtime against the CLINT's mtime word, and they advance together.
  rdtime a0
  lw a1, 0(a5)
  sub a2, a1, a0
  li TESTNUM, 15
  bltu a2, zero, fail
  li t0, 2
  bgeu a2, t0, fail
  # 16: rdcycle/rdinstret equal mcycle/minstret (read back to back: one apart).
  rdcycle a0
  csrr a1, mcycle
  sub a2, a1, a0
  CHECK(16, a2, 1)
  rdinstret a0
  csrr a1, minstret
  sub a2, a1, a0
  CHECK(17, a2, 1)
  rdcycleh a0
  csrr a1, mcycleh
  CHECK(18, a0, 0)
  CHECK(19, a1, 0)
  # 20: 1,000 instructions of a loop advance time by 10 (mtime counts every 100th instruction).
  rdtime s8
  li t0, 333
1:
  addi t0, t0, -1
  bnez t0, 1b                 # 2 * 333 + the rdtime's and li's: ~ 1,000
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  rdtime s9
  sub a0, s9, s8
  li TESTNUM, 20
  li t0, 6
  bltu a0, t0, fail
  li t0, 8
  bgeu a0, t0, fail

  # 21: the timer interrupt: mtimecmp 20 ticks ahead, MTIE on, wait in wfi; it comes at vector 7.
  csrw mie, zero
  lw a0, 0(a5)
  addi a0, a0, 20
  li t0, -1
  sw t0, 4(s11)
  sw a0, 0(s11)
  sw zero, 4(s11)
  li t0, 0x80
  csrw mie, t0
  csrsi mstatus, 8
1:
  wfi
  beqz s2, 1b
  li t0, 1
  bne s2, t0, 2f
  j 1b
2:
  CHECK(21, s2, 2)
  CHECK(22, s3, 0x80000007)
  # 23: mstatus in the handler had MPIE 1, MIE 0, MPP 3 (noted in s10); back here MIE is 1 again.
  li t0, 0x1888
  and a0, s10, t0
  CHECK(23, a0, 0x1880)
  csrr a0, mstatus
  andi a0, a0, 8
  CHECK(24, a0, 8)
  csrci mstatus, 8
  csrw mie, zero

  # 25: mcause, mepc and mtval read back what was written (an mepc with bit 1 set: IALIGN is 16 with C).
  li t0, 0x13579bde
  csrw mepc, t0
  csrr a0, mepc
  CHECK(25, a0, 0x13579bde)
  li t0, 0x8000000b
  csrw mcause, t0
  csrr a0, mcause
  CHECK(26, a0, 0x8000000b)
  li t0, 0xdeadbeef
  csrw mtval, t0
  csrr a0, mtval
  CHECK(27, a0, 0xdeadbeef)
  PASS

fail:
  FAIL

  # Vectored mode: exceptions at the base (entry 0), interrupts at base + 4 * cause.
  .align 6
  .option push
  .option norvc               # four bytes an entry
vectors:
  j exception
  j fail
  j fail
  j software
  j fail
  j fail
  j fail
  j timer
  j fail
  j fail
  j fail
  j fail
  .option pop

exception:
  csrr s3, mcause
  csrw mepc, s5
  mret
software:
  addi s2, s2, 1
  csrr s3, mcause
  csrr s7, mepc
  li t0, CLINT
  sw zero, 0(t0)
  mret
timer:
  addi s2, s2, 1
  csrr s3, mcause
  csrr s10, mstatus
  li t0, CLINT + 0x4000
  li t1, -1
  sw t1, 4(t0)
  mret

mtrap:
  li TESTNUM, 99
  FAIL
