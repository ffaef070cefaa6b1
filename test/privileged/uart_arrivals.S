# When console input reaches a guest that waits for it in `wfi` (cli/host-outside.ts says when): after
# ~16 million steps of work, the idle loop `1: wfi; j 1b` waits for the UART's received-data interrupt
# (PLIC source 10); the handler prints each byte it reads with the minstret at which it took the
# interrupt ("97@16010028 "), and a 'q' ends the run. The wait starts just before step 16,000,000, where
# `rewind record` puts a checkpoint and `rewind run` does not: the step at which the input arrives must
# not depend on that. Needs console input (rewind run with a pipe or terminal on stdin).
# Built a second time with TICKING defined, as uart_ticking.elf: an RTOS idling between its ticks. After a
# short stretch of work, the idle loop also wakes for the timer every 3,700 steps (the handler re-arms
# it); input arrives after a count of idle waits (cli/host-outside.ts), ticks or not.
#include "env.h"
#include "uart.h"
#ifdef TICKING
#define WORK_TURNS 1000
#else
#define WORK_TURNS 7995000
#endif
START
  la sp, __stack_top
  li s3, UART
  li s4, 0                    # set by the handler after a 'q'
  li t0, WORK_TURNS
work:
  addi t0, t0, -1
  bnez t0, work
  UART_RX_INTERRUPT
#ifdef TICKING
  li t2, 0x2004000
  li t0, 37
  sw t0, 0(t2)                # mtimecmp: the first tick at 3,700 steps (10 ns a tick)
  sw zero, 4(t2)
  li t0, 0x880
  csrs mie, t0                # MEIE, MTIE
#else
  li t0, 0x800
  csrs mie, t0                # MEIE
#endif
  csrsi mstatus, 8            # MIE
idle:
  wfi
  j idle

finish:
  li a0, '\n'
  call putc
  PASS

#include "uart-print.inc"

  .align 2
mtrap:
  addi sp, sp, -16
  sw ra, 12(sp)
  csrr s7, minstret           # when the interrupt was taken
  csrr t0, mcause
#ifdef TICKING
  li t1, 0x80000007
  bne t0, t1, external
  li t2, 0x2004000
  lw t0, 0(t2)
  addi t0, t0, 37             # next tick: 3,700 steps on
  sw t0, 0(t2)
  addi s9, s9, 1
  lw ra, 12(sp)
  addi sp, sp, 16
  mret
external:
#endif
  li t1, 0x8000000b
  li TESTNUM, 1
  bne t0, t1, fail            # only the external interrupt comes here, and the timer's when ticking
  li t2, CLAIM0
  lw s6, 0(t2)
  CHECK(2, s6, 10)            # it is the UART's
read_all:
  lbu t0, 5(s3)               # LSR: data ready?
  andi t0, t0, 1
  beqz t0, read_done
  lbu s8, 0(s3)               # RBR
  mv a0, s8
  call put_decimal
  li a0, '@'
  call putc
  mv a0, s7
  call put_decimal
  li a0, ' '
  call putc
  li t0, 'q'
  bne s8, t0, read_all
  li s4, 1
  j read_all
read_done:
  li t2, CLAIM0
  sw s6, 0(t2)                # complete
  bnez s4, finish
  lw ra, 12(sp)
  addi sp, sp, 16
  mret
fail:
  FAIL
