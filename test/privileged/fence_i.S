# Self-modifying code as riscv-tests' rv32ui fence_i test and a loader do it (our own program): code
# copied into RAM and run after fence.i, then patched (a 32-bit and a 16-bit instruction) and run again,
# run many times so that it is hot (compiled) before it changes, an instruction patched by a store
# just before it in the same straight line of code, overlays (two routines with loops, 32-bit and
# compressed, loaded in turn into one buffer by a copy loop as a bootloader or overlay manager does, each
# run until hot), and code stored and then run from another block without fence.i (QEMU runs the new
# code there too: it drops translated code a store touches; only the rest of the running translated
# block keeps its old instructions, MANUAL "Where QEMU differs"). test/engine/self-modifying.test.ts
# seeks and steps back and forth across these rewrites.
#include "env.h"

START
  # 1: copy `addi a0, a0, 5; ret` to buffer, fence.i, call it.
  la s0, buffer
  la t0, template
  lw t1, 0(t0)
  sw t1, 0(s0)
  lw t1, 4(t0)
  sw t1, 4(s0)
  fence.i
  li a0, 10
  jalr ra, 0(s0)
  CHECK(1, a0, 15)

  # 2: run it 5,000 times (hot), then patch the immediate to 7 and run it again.
  li s1, 5000
  li a0, 0
1:
  jalr ra, 0(s0)
  addi s1, s1, -1
  bnez s1, 1b
  li t0, 25000
  li TESTNUM, 2
  bne a0, t0, fail
  lw t1, 0(s0)
  li t2, 0xfff00000
  and t1, t1, t2
  not t2, t2
  lw t3, 0(s0)
  and t3, t3, t2
  li t2, 7 << 20
  or t3, t3, t2
  sw t3, 0(s0)
  fence.i
  li a0, 0
  jalr ra, 0(s0)
  CHECK(3, a0, 7)

  # 4: replace the first instruction by two compressed ones: c.addi a0, 3; c.addi a0, 1.
  li t0, 0x0505050d           # c.addi a0, 3 = 0x050d; c.addi a0, 1 = 0x0505
  sw t0, 0(s0)
  fence.i
  li a0, 0
  jalr ra, 0(s0)
  CHECK(4, a0, 4)
  # 5: and patch only the second halfword, 1000 times in a hot loop, each run seeing its own value.
  li s1, 0
  li s2, 1000
  li s3, 0
2:
  andi t0, s1, 31
  slli t0, t0, 2              # c.addi a0, imm: imm[4:0] in bits 6:2
  ori t0, t0, 0x0501
  sh t0, 2(s0)
  fence.i
  li a0, 0
  jalr ra, 0(s0)
  add s3, s3, a0
  addi s1, s1, 1
  blt s1, s2, 2b
  # sum over 1000 rounds of 3 + (i mod 32): 3000 + 31 * 32 / 2 * 31 + (0 + ... + 7) = 3000 + 15376 + 28
  li t0, 3000 + 15376 + 28
  li TESTNUM, 5
  bne s3, t0, fail

  # 6: a store that rewrites the next instruction of the straight line running now (in RAM, not in
  # the buffer): the new instruction runs, after fence.i.
  la t0, patched
  li t1, 0x02a00513           # addi a0, x0, 42
  li a0, 0
  sw t1, 0(t0)
  fence.i
  .option push
  .option norvc
patched:
  addi a0, x0, 1
  .option pop
  CHECK(6, a0, 42)

  # 7: overlays A (+12 a call) and B (+21), copied in turn into buffer halfword by halfword (B's length is
  # not a multiple of 4), fence.i, each run 600 times (hot: compiled), three times each.
  li s4, 0                    # epoch
  li s3, 0                    # sum of every call's a0
3:
  la t0, overlay_a
  la t1, overlay_a_end
  andi t2, s4, 1
  beqz t2, 4f
  la t0, overlay_b
  la t1, overlay_b_end
4:
  mv t2, s0
5:
  lhu t3, 0(t0)
  sh t3, 0(t2)
  addi t0, t0, 2
  addi t2, t2, 2
  bltu t0, t1, 5b
  fence.i
  li s1, 600
6:
  li a0, 0
  jalr ra, 0(s0)
  add s3, s3, a0
  addi s1, s1, -1
  bnez s1, 6b
  addi s4, s4, 1
  li t0, 6
  blt s4, t0, 3b
  li t0, 3 * 600 * 12 + 3 * 600 * 21
  li TESTNUM, 7
  bne s3, t0, fail

  # 8: without fence.i: `li a0, 77` stored over the overlay's first instruction, then called (another
  # block than the store's): the new instruction runs, on QEMU as on Rewind.
  li t0, 0x04d00513           # addi a0, x0, 77
  sw t0, 0(s0)
  li t0, 0x00008067           # ret
  sw t0, 4(s0)
  li a0, 0
  jalr ra, 0(s0)
  CHECK(8, a0, 77)
  PASS

END_WITHOUT_TRAPS

  .align 2
template:
  .option push
  .option norvc
  addi a0, a0, 5
  ret
  .option pop

  # The overlays: position-independent (their branches are relative), so they run where they are copied.
  .align 2
overlay_a:
  .option push
  .option norvc
  li t0, 4
1:
  addi a0, a0, 3
  addi t0, t0, -1
  bnez t0, 1b
  ret
  .option pop
overlay_a_end:
overlay_b:
  .option push
  .option rvc
  li t0, 3
1:
  c.addi a0, 2
  c.addi a0, 5
  addi t0, t0, -1
  bnez t0, 1b
  ret
  .option pop
overlay_b_end:

  .data
  .align 4
buffer:
  .space 64
