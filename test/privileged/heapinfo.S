# SYS_HEAPINFO as QEMU's virt board answers it (our own program): the heap from the end of the loaded
# image up to the last 2 MiB of RAM, where QEMU keeps the device tree it loads for firmware; the stack
# from there down to the heap. Start-up code that takes its stack from SYS_HEAPINFO (as newlib's Arm
# crt0 does) then runs with the same stack on both, and prints the same addresses.
#include "env.h"

START
  la a1, block
  la t0, info
  sw t0, 0(a1)
  li a0, 0x16                 # SYS_HEAPINFO: a1 -> { pointer to four words }
  .option push
  .option norvc
  slli x0, x0, 0x1f
  ebreak
  srai x0, x0, 7
  .option pop
  la s0, info
  lw s1, 0(s0)                # heap base
  lw s2, 4(s0)                # heap limit
  lw s3, 8(s0)                # stack base (its top)
  lw s4, 12(s0)               # stack limit
  CHECK(1, s2, 0x87e00000)
  CHECK(2, s3, 0x87e00000)
  li TESTNUM, 3
  bne s4, s1, fail            # the stack may grow down to the heap's base
  li TESTNUM, 4
  la t0, info
  bltu s1, t0, fail           # the heap starts after the program's data
  andi t0, s1, 15
  bnez t0, fail
  PASS

END_WITHOUT_TRAPS

  .data
  .align 4
block: .word 0
info: .word 0, 0, 0, 0
