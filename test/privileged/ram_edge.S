# Misaligned loads and stores that run past the end of RAM (our own program, riscv-tests' rv32mi
# shape): QEMU's virt board does misaligned accesses in RAM, and one whose last bytes lie beyond RAM
# (0x88000000) is an access fault whose mtval is the address of the part that faults, as the privileged
# spec says: the first byte after RAM, not the access's own address. (Such a store writes its bytes
# before the end of RAM on QEMU 7.2, none on Rewind: the spec allows both, so nothing here reads them.)
#include "env.h"
#define RAM_END 0x88000000

#define FAULTS(n, cause, ...)  \
  li s2, -1;                   \
  la s5, 1f;                   \
  __VA_ARGS__;                 \
1:                             \
  CHECK(n, s2, cause)          \
  CHECK(n + 1, s4, RAM_END)

START
  li s0, RAM_END - 2
  li t0, 0x11223344
  sw t0, -4(s0)
  FAULTS(1, 5, lw a0, 0(s0))
  FAULTS(3, 5, lhu a0, 1(s0))
  FAULTS(5, 5, lw a0, 1(s0))
  FAULTS(7, 7, sw t0, 0(s0))
  FAULTS(9, 7, sh t0, 1(s0))
  # 11: a misaligned word that ends just before the end of RAM is read whole.
  lw a0, -5(s0)
  CHECK(11, a0, 0x22334400)
  PASS

fail:
  FAIL

  .align 2
mtrap:
  csrr s2, mcause
  csrr s4, mtval
  csrw mepc, s5
  mret
