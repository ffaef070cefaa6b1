# The A extension as riscv-tests' rv32ua tests and a kernel's locks use it (our own program): every AMO
# returns the old word and stores the new one (signed and unsigned min/max included), rd = x0 and
# rs2 = rd forms; LR/SC succeeds on its reservation and fails without one, after another SC and for
# an SC to another address; a spin lock and a counter built from them.
#include "env.h"

#define AMO(n, op, start, operand, old, new) \
  li t0, start;                              \
  sw t0, 0(s0);                              \
  li t1, operand;                            \
  op a0, t1, (s0);                           \
  lw a1, 0(s0);                              \
  CHECK(n, a0, old);                         \
  CHECK(n + 1, a1, new);

START
  la s0, word
  AMO(2, amoswap.w, 0x11111111, 0x22222222, 0x11111111, 0x22222222)
  AMO(4, amoadd.w, 0x7fffffff, 1, 0x7fffffff, 0x80000000)
  AMO(6, amoxor.w, 0xff00ff00, 0x0ff00ff0, 0xff00ff00, 0xf0f0f0f0)
  AMO(8, amoand.w, 0xff00ff00, 0x0ff00ff0, 0xff00ff00, 0x0f000f00)
  AMO(10, amoor.w, 0xff00ff00, 0x0ff00ff0, 0xff00ff00, 0xfff0fff0)
  AMO(12, amomin.w, 0xfffffffe, 1, 0xfffffffe, 0xfffffffe)
  AMO(14, amomax.w, 0xfffffffe, 1, 0xfffffffe, 1)
  AMO(16, amominu.w, 0xfffffffe, 1, 0xfffffffe, 1)
  AMO(18, amomaxu.w, 0xfffffffe, 1, 0xfffffffe, 0xfffffffe)
  AMO(20, amomin.w, 0x80000000, 0x7fffffff, 0x80000000, 0x80000000)
  AMO(22, amomaxu.w, 0x80000000, 0x7fffffff, 0x80000000, 0x80000000)
  AMO(24, amoadd.w.aqrl, 5, -7, 5, -2)

  # 26: rd = x0 still stores; rd = rs2 gets the old value.
  li t0, 40
  sw t0, 0(s0)
  li t1, 2
  amoadd.w x0, t1, (s0)
  lw a1, 0(s0)
  CHECK(26, a1, 42)
  li t1, 8
  amoswap.w t1, t1, (s0)
  lw a1, 0(s0)
  CHECK(27, t1, 42)
  CHECK(28, a1, 8)

  # 29: LR/SC on its reservation: SC writes and gives 0.
  li t0, 100
  sw t0, 0(s0)
  lr.w a0, (s0)
  addi a0, a0, 1
  sc.w a1, a0, (s0)
  lw a2, 0(s0)
  CHECK(29, a1, 0)
  CHECK(30, a2, 101)
  # 31: a second SC has no reservation left: it fails (nonzero) and does not write.
  li t0, 555
  sc.w a1, t0, (s0)
  lw a2, 0(s0)
  li TESTNUM, 31
  beqz a1, fail
  CHECK(32, a2, 101)
  # 33: an SC to another address than the LR's fails, and does not write there.
  li t0, 7
  sw t0, 4(s0)
  lr.w a0, (s0)
  addi t1, s0, 4
  li t0, 9
  sc.w a1, t0, (t1)
  lw a2, 4(s0)
  li TESTNUM, 33
  beqz a1, fail
  CHECK(34, a2, 7)
  # 35: an LR after an SC that failed reserves again.
  lr.w a0, (s0)
  sc.w a1, a0, (s0)
  CHECK(35, a1, 0)

  # 36: a spin lock from amoswap.w.aq / amoswap.w.rl and a counter from LR/SC, 50 rounds.
  la s1, lock
  li s2, 50
  li s3, 0
1:
  li t0, 1
2:
  amoswap.w.aq t1, t0, (s1)
  bnez t1, 2b
3:
  lr.w t2, (s0)
  addi t2, t2, 3
  sc.w t3, t2, (s0)
  bnez t3, 3b
  amoswap.w.rl x0, x0, (s1)
  addi s3, s3, 1
  blt s3, s2, 1b
  lw a0, 0(s0)
  CHECK(36, a0, 101 + 150)
  lw a0, 0(s1)
  CHECK(37, a0, 0)
  PASS

END_WITHOUT_TRAPS

  .data
  .align 4
word:
  .word 0, 0
lock:
  .word 0
