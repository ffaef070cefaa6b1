# Machine-mode exceptions, as riscv-tests' rv32mi tests check them (our own program): for each, the
# handler notes mcause, mepc and mtval and resumes at the label the test set in s5; the test then checks
# what was noted and mstatus' MIE/MPIE/MPP around the trap and its mret.
# Illegal instructions (all-zero, all-ones, an unknown CSR, writes to read-only CSRs: mtval holds the
# instruction's bits, as on QEMU 7.2), ecall, ebreak and c.ebreak, loads, stores and AMOs at unmapped
# addresses (access faults, mtval the address), a jump to an unmapped address (instruction access
# fault, mepc = mtval = the address), misaligned AMO, LR and SC, misaligned plain loads and stores
# (QEMU's virt board does them, no trap), mstatus around a trap and its mret, mscratch.
# Where QEMU 7.2 and Rewind part (both pass): ebreak's mtval (QEMU 0, Rewind the pc, as spike; the
# spec allows both), the misaligned AMO's and SC's cause (see test 22).
#include "env.h"

START
  li s2, -1

  # 1-2: the all-zero halfword is illegal; mtval holds its bits (0), mepc its address.
  li s2, -1
  la s5, 1f
  la s6, bad0
bad0:
  .word 0x00000000
1:
  CHECK(1, s2, 2)
  bne s3, s6, fail
  CHECK(2, s4, 0)

  # 3: all ones, a 32-bit illegal instruction: mtval = 0xffffffff.
  li s2, -1
  la s5, 1f
bad1:
  .word 0xffffffff
1:
  CHECK(3, s2, 2)
  CHECK(4, s4, 0xffffffff)

  # 5: an unimplemented CSR (0x7ff, a custom M-mode read/write number).
  li s2, -1
  la s5, 1f
  csrr a0, 0x7ff
1:
  CHECK(5, s2, 2)
  CHECK(6, s4, 0x7ff02573)

  # 7: writing mhartid (read-only) is illegal; reading it is not, and gives 0.
  li s2, -1
  csrr a0, mhartid
  CHECK(7, s2, -1)
  CHECK(8, a0, 0)
  li s2, -1
  la s5, 1f
  csrw mhartid, a0
1:
  CHECK(9, s2, 2)
  CHECK(10, s4, 0xf1451073)

  # 11: csrs with x0 reads a read-only CSR without writing it: no trap. csrsi with a nonzero mask writes.
  li s2, -1
  csrrs a0, mvendorid, x0
  CHECK(11, s2, -1)
  li s2, -1
  la s5, 1f
  csrsi cycle, 1
1:
  CHECK(12, s2, 2)
  CHECK(13, s4, 0xc000e073)

  # 14: ecall from M-mode: cause 11, mtval 0, mepc the ecall.
  li s2, -1
  la s5, 1f
  la s6, 2f
2:
  ecall
1:
  CHECK(14, s2, 11)
  bne s3, s6, fail
  CHECK(15, s4, 0)

  # 16: ebreak (cause 3) and c.ebreak; mepc the instruction.
  li s2, -1
  la s5, 1f
  la s6, 2f
2:
  ebreak
1:
  CHECK(16, s2, 3)
  bne s3, s6, fail
  li s2, -1
  la s5, 1f
  la s6, 2f
2:
  c.ebreak
1:
  CHECK(17, s2, 3)
  bne s3, s6, fail

  # 18: a load from an unmapped address: load access fault, mtval the address.
  li s6, 0x00300000
  li s2, -1
  la s5, 1f
  lw a0, 4(s6)
1:
  li t4, 0x00300004
  CHECK(18, s2, 5)
  bne s4, t4, fail
  # 19: a store there: store access fault.
  li s2, -1
  la s5, 1f
  sh a0, 2(s6)
1:
  li t4, 0x00300002
  CHECK(19, s2, 7)
  bne s4, t4, fail
  # 20: an AMO there: a load access fault, as on QEMU 7.2 (whose AMOs load first; the spec says
  # store/AMO access fault, 7).
  li s2, -1
  la s5, 1f
  amoadd.w a0, a1, (s6)
1:
  CHECK(20, s2, 5)
  bne s4, s6, fail

  # 21: a jump to an unmapped address: instruction access fault, mepc = mtval = the address.
  li s6, 0x00300010
  li s2, -1
  la s5, 1f
  jalr ra, 0(s6)
1:
  CHECK(21, s2, 1)
  bne s3, s6, fail
  bne s4, s6, fail

  # 22: misaligned AMO, LR and SC. An AMO is a store/AMO misaligned exception (6), as the spec says;
  # QEMU 7.2 says load misaligned (4). An SC holding no reservation may fail before it looks at its
  # address, as QEMU's does (a0 = 1, no trap); Rewind traps (6).
  la s6, data
  addi s6, s6, 2
  li s2, -1
  la s5, 1f
  amoswap.w a0, a1, (s6)
1:
  li TESTNUM, 22
  bne s4, s6, fail
  li t0, 4
  beq s2, t0, 2f
  CHECK(22, s2, 6)
2:
  li s2, -1
  la s5, 1f
  lr.w a0, (s6)
1:
  CHECK(23, s2, 4)
  bne s4, s6, fail
  li s2, -1
  li s4, 0
  la s5, 1f
  sc.w a0, a1, (s6)
1:
  li t0, -1
  bne s2, t0, 2f
  CHECK(24, a0, 1)
  j 3f
2:
  CHECK(25, s2, 6)
  bne s4, s6, fail
3:

  # 26: misaligned plain loads and stores work (no trap), across a word.
  li s2, -1
  la s6, data
  li t0, 0x44332211
  sw t0, 0(s6)
  li t0, 0x88776655
  sw t0, 4(s6)
  lw a0, 3(s6)
  lhu a1, 1(s6)
  lh a2, 7(s6)
  li t0, 0xa5a5
  sh t0, 5(s6)
  lw a3, 4(s6)
  CHECK(39, s2, -1)
  CHECK(26, a0, 0x77665544)
  CHECK(27, a1, 0x3322)
  CHECK(28, a2, 0x88)
  CHECK(29, a3, 0x88a5a555)

  # 30: mstatus around a trap: MIE 1 before -> MPIE 1, MIE 0, MPP 3 in the handler (noted in s7);
  # after mret MIE 1, MPIE 1, MPP 0 (the least privileged mode). mie stays 0: no interrupt comes.
  csrw mie, zero
  csrsi mstatus, 8
  li s2, -1
  la s5, 1f
  ecall
1:
  li t0, 0x1888
  and t1, s7, t0
  CHECK(30, t1, 0x1880)
  csrr t1, mstatus
  and t1, t1, t0
  CHECK(31, t1, 0x88)
  csrci mstatus, 8
  # 32: and with MIE 0 before: MPIE 0 in the handler, MIE 0 after.
  li s2, -1
  la s5, 1f
  ecall
1:
  and t1, s7, t0
  CHECK(32, t1, 0x1800)
  csrr t1, mstatus
  and t1, t1, t0
  CHECK(33, t1, 0x80)

  # 34: mscratch holds what is written; csrrw returns the old value.
  li t0, 0x12345678
  csrw mscratch, t0
  li t1, 0x0badf00d
  csrrw a0, mscratch, t1
  csrr a1, mscratch
  CHECK(34, a0, 0x12345678)
  CHECK(35, a1, 0x0badf00d)
  # 36: csrrc and csrrs return the old value and clear or set bits.
  li t0, 0xf
  csrrc a0, mscratch, t0
  csrrs a1, mscratch, t0
  csrr a2, mscratch
  CHECK(36, a0, 0x0badf00d)
  CHECK(37, a1, 0x0badf000)
  CHECK(38, a2, 0x0badf00f)
  PASS

fail:
  mv a7, s2                   # the last mcause, for whoever debugs a failure
  FAIL

  .align 2
mtrap:
  csrr s2, mcause
  csrr s3, mepc
  csrr s4, mtval
  csrr s7, mstatus
  csrw mepc, s5
  mret

  .data
  .align 4
data:
  .space 16
