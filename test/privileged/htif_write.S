# A program for the spike environment: it prints through the HTIF system-call proxy (tohost = pointer
# to {SYS_write, fd, buf, len}, then waits for fromhost) and exits by writing (0 << 1) | 1 to tohost.
# QEMU's virt board has no HTIF, so only Rewind runs this one.
#include "env.h"
START
  la a0, message
  li a1, 19
  call write_stdout
  CHECK(1, a0, 19)                      # SYS_write answers the byte count
  la t0, fromhost
  lw t1, 0(t0)
  CHECK(2, t1, 0)                       # write_stdout cleared it
  la t0, tohost
  li t1, 1                              # exit 0
  sw t1, 0(t0)
1: j 1b

write_stdout:                           # a0 = buffer, a1 = length; returns SYS_write's result
  la t0, magic
  li t1, 64
  sw t1, 0(t0)                          # SYS_write
  sw zero, 4(t0)
  li t1, 1
  sw t1, 8(t0)                          # fd 1
  sw zero, 12(t0)
  sw a0, 16(t0)                         # buf
  sw zero, 20(t0)
  sw a1, 24(t0)                         # len
  sw zero, 28(t0)
  la t2, tohost
  sw zero, 4(t2)
  sw t0, 0(t2)                          # the request
  la t2, fromhost
2: lw t1, 0(t2)
  beqz t1, 2b
  sw zero, 0(t2)
  lw a0, 0(t0)
  ret

END_WITHOUT_TRAPS

  .section .rodata
message: .ascii "hello through HTIF\n"
message_end:

  .data
  .align 6
  .globl tohost
tohost: .dword 0
  .globl fromhost
fromhost: .dword 0
  .align 3
magic: .space 64
