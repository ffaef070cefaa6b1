# ticker: a FreeRTOS demo's shape that never ends (our own program): a 1 kHz timer tick (mtimecmp, one
# tick every 1,000,000 steps under -icount shift=0), an idle loop around wfi, and a line on the polled UART
# at every tick ("tick 1" ...). A harness stops it from outside (a signal, --max-steps, `| head`):
# test/cli/stopped-from-outside.test.ts checks that run, record and replay stop alike. privileged.test.ts
# leaves it out (it does not pass or fail).
#include "env.h"
#include "uart.h"
#define MTIMECMP 0x2004000
#define MTIME 0x200bff8
#define TICK 10000                 # mtime counts once per 100 steps

  .option norelax             # gp is TESTNUM here, not the global pointer
START
  la sp, __stack_top
  li s3, UART
  li s4, 0                         # ticks taken (the handler counts them)
  li s5, 0                         # ticks printed
  li s6, MTIMECMP
  li s8, TICK
  li t0, MTIME
  lw t1, 0(t0)
  add t1, t1, s8
  sw zero, 4(s6)
  sw t1, 0(s6)
  li t0, 0x80                      # mie.MTIE
  csrs mie, t0
  csrsi mstatus, 8                 # mstatus.MIE
loop:
  beq s4, s5, idle
  addi s5, s5, 1
  la a0, tick_text
  call puts
  mv a0, s5
  call put_decimal
  li a0, '\n'
  call putc
  j loop
idle:
  wfi
  j loop

# puts(a0): a string without its newline.
puts:
  addi sp, sp, -16
  sw ra, 12(sp)
  sw s9, 8(sp)
  mv s9, a0
1:
  lbu a0, 0(s9)
  beqz a0, 2f
  call putc
  addi s9, s9, 1
  j 1b
2:
  lw s9, 8(sp)
  lw ra, 12(sp)
  addi sp, sp, 16
  ret

#include "uart-print.inc"

fail:
  FAIL

# The timer tick: the next deadline one tick on, and one more tick taken. Any other trap fails as 99.
  .align 2
mtrap:
  csrr s7, mcause
  li s10, 0x80000007
  li TESTNUM, 99
  bne s7, s10, fail
  lw s7, 0(s6)
  add s7, s7, s8
  sw s7, 0(s6)
  addi s4, s4, 1
  mret

  .section .rodata
tick_text: .asciz "tick "
