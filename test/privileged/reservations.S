# LR/SC reservations across traps, as QEMU keeps them (our own program, riscv-tests' rv32ua shape with a
# FreeRTOS-like timer interrupt): taking a trap or an interrupt drops the hart's reservation, so an SC
# after one fails (the privileged spec 1.10's advice to trap handlers, and QEMU's behaviour), and an
# interrupt handler's update of a word between a task's LR and SC of it is never lost.
#include "env.h"
#define MTIMECMP 0x2004000
#define MTIME 0x200bff8

START
  la s0, word
  # 1: lr, ecall (the handler returns after it), sc: the sc fails and does not write.
  li t0, 5
  sw t0, 0(s0)
  lr.w a0, (s0)
  ecall
  li t1, 6
  sc.w a1, t1, (s0)
  li TESTNUM, 1
  beqz a1, fail
  lw a0, 0(s0)
  CHECK(2, a0, 5)
  # 3: lr, an illegal instruction (the handler skips it), sc: fails too.
  lr.w a0, (s0)
  .word 0xffffffff
  sc.w a1, t1, (s0)
  li TESTNUM, 3
  beqz a1, fail
  # 4: an lr/sc pair with no trap between still succeeds.
  lr.w a0, (s0)
  sc.w a1, t1, (s0)
  CHECK(4, a1, 0)
  lw a0, 0(s0)
  CHECK(5, a0, 6)

  # 6: 3,000 rounds of lr, ecall, sc (hot: the ecall and its handler run compiled): every sc fails.
  li s1, 3000
  li s2, 0
1:
  lr.w a0, (s0)
  ecall
  sc.w a1, t1, (s0)
  add s2, s2, a1
  addi s1, s1, -1
  bnez s1, 1b
  CHECK(6, s2, 3000)

  # 7: a timer interrupt between lr and sc: the handler adds 100 to the word; the sc fails.
  sw zero, 0(s0)
  li t0, 0x80
  csrs mie, t0
  li t2, MTIME
  lw t3, 0(t2)
  addi t3, t3, 3
  li t2, MTIMECMP
  sw zero, 4(t2)
  sw t3, 0(t2)
  csrsi mstatus, 8
  lr.w a0, (s0)
  li t0, 2000
2:
  addi t0, t0, -1
  bnez t0, 2b
  li t1, 1
  sc.w a1, t1, (s0)
  csrci mstatus, 8
  li TESTNUM, 7
  beqz a1, fail
  lw a0, 0(s0)
  CHECK(8, a0, 100)

  # 9: a counter incremented 20,000 times with lr/sc by the task and once a tick with amoadd by the timer
  # handler (every ~110 steps, relative deadlines as FreeRTOS sets them): no increment is lost.
  sw zero, 0(s0)
  la s3, ticks
  sw zero, 0(s3)
  li t2, MTIME
  lw t3, 0(t2)
  addi t3, t3, 1
  li t2, MTIMECMP
  sw zero, 4(t2)
  sw t3, 0(t2)
  li s4, 1
  li s5, 0
  csrsi mstatus, 8
  li s1, 20000
3:
  lr.w a0, (s0)
  addi a0, a0, 1
  sc.w a1, a0, (s0)
  add s5, s5, a1              # the failed SCs: ticks that fell between an LR and its SC
  bnez a1, 3b
  andi t0, s1, 7              # and a varying pause, so that ticks fall everywhere in the loop
4:
  addi t0, t0, -1
  bgez t0, 4b
  addi s1, s1, -1
  bnez s1, 3b
  csrci mstatus, 8
  li s4, 0
  lw a0, 0(s0)
  lw a1, 0(s3)
  li TESTNUM, 9
  li t0, 500
  blt a1, t0, fail            # the handler ran often
  sub a0, a0, a1
  CHECK(10, a0, 20000)
  li TESTNUM, 11
  li t0, 100
  blt s5, t0, fail            # and often between an LR and its SC
  PASS

fail:
  FAIL

  .align 2
mtrap:
  csrr t5, mcause
  bltz t5, timer
  csrr t5, mepc
  addi t5, t5, 4
  csrw mepc, t5
  mret
timer:
  li t5, 1
  beqz s4, once
  # tick: one more, the next deadline one tick from now
  la t6, ticks
  amoadd.w zero, t5, (t6)
  amoadd.w zero, t5, (s0)
  li t6, MTIME
  lw t5, 0(t6)
  addi t5, t5, 1
  li t6, MTIMECMP
  sw t5, 0(t6)
  mret
once:
  li t5, 100
  amoadd.w zero, t5, (s0)
  li t6, MTIMECMP
  li t5, -1
  sw t5, 4(t6)
  sw t5, 0(t6)
  mret

  .data
  .align 4
word: .word 0
ticks: .word 0
