# Sv32 paging in S-mode: a 4 MiB superpage maps the program where it is; a second-level table maps
# data pages at 0x40000000. The walk sets A and D (a store through a clean page), reports page faults
# with the virtual address in mtval (loads 13, stores 15, fetches 12; for a misaligned access across
# pages, the part that faults), honours U with SUM, X with MXR, and fetches code through a mapping that
# is not the identity.
#include "env.h"
#define V 1
#define R 2
#define W 4
#define X 8
#define U 16
#define A 64
#define D 128

/* pte = (address >> 12) << 10 | flags, into register rd (uses t6). */
#define PTE(rd, label, flags) \
  la rd, label;               \
  srli rd, rd, 12;            \
  slli rd, rd, 10;            \
  ori rd, rd, flags;

START
  # Root: entry 0x200 is the superpage 0x80000000 (the program), entry 0x100 points to pt_l0.
  la s2, pt_root
  li t0, (0x80000 << 10) | V | R | W | X | A | D
  li t1, 0x200 * 4
  add t1, s2, t1
  sw t0, 0(t1)
  PTE(t0, pt_l0, V)
  sw t0, 0x100 * 4(s2)
  # pt_l0: 0x40000000 data (clean), 0x40001000 user data, 0x40002000 execute only, 0x40003000 unmapped.
  la s3, pt_l0
  PTE(t0, page_a, V | R | W)
  sw t0, 0(s3)
  PTE(t0, page_u, V | R | W | U | A | D)
  sw t0, 4(s3)
  PTE(t0, page_x, V | X | A)
  sw t0, 8(s3)
  # The execute-only page holds one instruction: ret.
  la t0, page_x
  li t1, 0x00008067
  sw t1, 0(t0)
  fence.i
  la t0, pt_root
  srli t0, t0, 12
  li t1, 0x80000000
  or t0, t0, t1
  csrw satp, t0
  li s0, 0                    # page faults taken
  ENTER(1, supervisor)

supervisor:
  sfence.vma
  li TESTNUM, 1
  li a0, 0x40000000
  li t0, 0x1234
  sw t0, 0(a0)                # sets A and D
  lw t1, 0(s3)
  andi t1, t1, A | D
  CHECK(1, t1, A | D)
  la t2, page_a
  lw t2, 0(t2)                # the physical page holds the value
  CHECK(2, t2, 0x1234)

  li TESTNUM, 3
  li s1, 0x40003000
  lw t0, 0(s1)                # load page fault
  CHECK(3, s0, 1)
  li s1, 0x40001000
  lw t0, 0(s1)                # U page from S without SUM: fault
  CHECK(4, s0, 2)
  li t0, 1 << 18
  csrs sstatus, t0            # SUM
  lw t0, 0(s1)
  CHECK(5, s0, 2)
  li s1, 0x40002000
  lw t0, 0(s1)                # execute-only: fault
  CHECK(6, s0, 3)
  li t0, 1 << 19
  csrs sstatus, t0            # MXR
  lw t0, 0(s1)
  CHECK(7, t0, 0x00008067)
  sw t0, 0(s1)                # store to execute-only: store page fault
  CHECK(8, s0, 4)
  li t0, 0x40002000
  jalr ra, 0(t0)              # runs the ret at 0x40002000
  CHECK(9, s0, 4)
  li s1, 0x40000000
  jalr ra, 0(s1)              # not executable: instruction page fault, back through ra
  CHECK(10, s0, 5)
  # 11-13: a misaligned access across two pages faults with the address of the part that faults (the
  # privileged spec, and QEMU): the first byte of the second page, or the access's own address when its
  # first page faults.
  li TESTNUM, 11
  li a1, 0x40002ffe           # the execute-only page (readable with MXR), then the unmapped 0x40003000
  li s1, 0x40003000
  lw t0, 0(a1)
  CHECK(11, s0, 6)
  li TESTNUM, 12
  li a1, 0x40001ffe           # the user page (SUM), then the execute-only page: not writable
  li s1, 0x40002000
  sw t0, 0(a1)
  CHECK(12, s0, 7)
  li TESTNUM, 13
  li a1, 0x40003ffe           # two unmapped pages
  mv s1, a1
  lw t0, 0(a1)
  CHECK(13, s0, 8)
  li TESTNUM, 14
  ecall                       # done: M-mode checks and passes

  .align 2
mtrap:
  csrr t4, mcause
  li t5, 9
  beq t4, t5, done
  li t5, 12
  beq t4, t5, fetch_fault
  li t5, 13
  beq t4, t5, data_fault
  li t5, 15
  beq t4, t5, data_fault
  li TESTNUM, 97
  j fail
data_fault:
  csrr t4, mtval
  bne t4, s1, fail
  addi s0, s0, 1
  csrr t4, mepc
  addi t4, t4, 4
  csrw mepc, t4
  mret
fetch_fault:
  csrr t4, mtval
  bne t4, s1, fail
  csrr t4, mepc
  bne t4, s1, fail
  addi s0, s0, 1
  csrw mepc, ra
  mret
done:
  PASS
fail:
  FAIL

  .data
  .align 12
pt_root: .space 4096
pt_l0:   .space 4096
page_a:  .space 4096
page_u:  .space 4096
page_x:  .space 4096
