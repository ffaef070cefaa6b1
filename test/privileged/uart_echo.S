# An interrupt-driven console: the UART's received-data interrupt (IER bit 0), through the PLIC (source
# 10, context 0) to mip.MEIP, wakes the idle loop's wfi; the handler claims the interrupt, reads every
# byte the UART has, echoes it in capitals and completes the claim. A 'q' ends the run with a count of
# the bytes received. Needs console input (rewind run --stdin FILE; on QEMU, -serial stdio).
#include "env.h"
#include "uart.h"
START
  la sp, __stack_top
  li s3, UART
  li s4, 0                    # set by the handler after a 'q'
  li s5, 0                    # bytes received
  UART_RX_INTERRUPT
  li t0, 0x800
  csrs mie, t0                # MEIE
  csrsi mstatus, 8            # MIE
idle:
  bnez s4, finish
  wfi
  j idle

finish:
  csrci mstatus, 8
  li a0, '\n'
  call putc
  mv a0, s5
  call put_decimal
  la a1, bytes_message
1:
  lbu a0, 0(a1)
  beqz a0, 2f
  call putc
  addi a1, a1, 1
  j 1b
2:
  PASS

#include "uart-print.inc"

  .align 2
mtrap:
  addi sp, sp, -16
  sw ra, 12(sp)
  csrr t0, mcause
  li t1, 0x8000000b
  li TESTNUM, 1
  bne t0, t1, fail            # only the external interrupt comes here
  li t2, CLAIM0
  lw s6, 0(t2)
  CHECK(2, s6, 10)            # it is the UART's
read_all:
  lbu t0, 5(s3)               # LSR: data ready?
  andi t0, t0, 1
  beqz t0, read_done
  lbu a0, 0(s3)               # RBR
  addi s5, s5, 1
  li t0, 'q'
  bne a0, t0, 5f
  li s4, 1
5:
  li t0, 'a'
  bltu a0, t0, 6f
  li t0, 'z' + 1
  bgeu a0, t0, 6f
  addi a0, a0, 'A' - 'a'
6:
  call putc
  j read_all
read_done:
  li t2, CLAIM0
  sw s6, 0(t2)                # complete
  lw ra, 12(sp)
  addi sp, sp, 16
  mret
fail:
  FAIL

  .section .rodata
bytes_message:
  .string " bytes\n"
