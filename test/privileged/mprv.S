# M-mode with mstatus.MPRV under Sv32: loads and stores are translated with MPP's privilege while the
# code itself keeps being fetched from physical addresses (nothing maps it), a trap taken meanwhile
# sets MPP to M so the handler's own accesses are physical, and mret back to M-mode leaves MPRV on with
# MPP set to U. A superpage whose page number is not 4 MiB-aligned is a page fault.
#include "env.h"
#define V 1
#define R 2
#define W 4
#define A 64
#define D 128
#define MPRV (1 << 17)
#define MPP_S (1 << 11)

START
  # Root: entry 0x100 (0x40000000) points to pt_l0; entry 0x101 (0x40400000) is a misaligned superpage.
  la s2, pt_root
  la t0, pt_l0
  srli t0, t0, 12
  slli t0, t0, 10
  ori t0, t0, V
  sw t0, 0x100 * 4(s2)
  li t0, ((0x80000 + 1) << 10) | V | R | W | A | D
  sw t0, 0x101 * 4(s2)
  # pt_l0: 0x40000000 maps page_a, readable and writable from S-mode, accessed but clean.
  la s3, pt_l0
  la t0, page_a
  srli t0, t0, 12
  slli t0, t0, 10
  ori t0, t0, V | R | W | A
  sw t0, 0(s3)
  srli t0, s2, 12
  li t1, 0x80000000
  or t0, t0, t1
  csrw satp, t0
  sfence.vma
  li s0, 0                    # page faults taken

  li t0, MPRV | MPP_S
  csrs mstatus, t0
  li a0, 0x40000000
  li t1, 0x5a5a
  sw t1, 0(a0)                # through the mapping: page_a, and D set
  lw t2, 0(a0)
  CHECK(1, t2, 0x5a5a)
  li s1, 0x40400000
  lw t2, 0(s1)                # misaligned superpage: load page fault
  CHECK(2, s0, 1)
  # The handler's mret to M-mode left MPRV on and MPP at U: page_a is not a U page. (QEMU 7.2 keeps the
  # S-mode permission it cached for page_a until sfence.vma; the spec checks the privilege now in force.)
  sfence.vma
  mv s1, a0
  lw t2, 0(a0)
  CHECK(3, s0, 2)
  csrr t0, mstatus
  li t1, MPRV
  and t0, t0, t1
  CHECK(4, t0, MPRV)
  li t0, MPRV
  csrc mstatus, t0
  la t0, page_a
  lw t1, 0(t0)
  CHECK(5, t1, 0x5a5a)
  lw t1, 0(s3)
  andi t1, t1, A | D
  CHECK(6, t1, A | D)
  la t0, handler_accesses
  lw t1, 0(t0)
  CHECK(7, t1, 2)
  PASS

  .align 2
mtrap:
  csrr t4, mcause
  li t5, 13
  li TESTNUM, 90
  bne t4, t5, fail
  csrr t4, mtval
  li TESTNUM, 91
  bne t4, s1, fail
  # Trap entry made MPP M: with MPRV still on, the handler's loads and stores are physical.
  csrr t4, mstatus
  srli t4, t4, 11
  andi t4, t4, 3
  li t5, 3
  li TESTNUM, 92
  bne t4, t5, fail
  la t4, handler_accesses
  lw t5, 0(t4)
  addi t5, t5, 1
  sw t5, 0(t4)
  addi s0, s0, 1
  csrr t4, mepc
  addi t4, t4, 4
  csrw mepc, t4
  mret
fail:
  FAIL

  .data
handler_accesses: .word 0
  .align 12
pt_root: .space 4096
pt_l0:   .space 4096
page_a:  .space 4096
