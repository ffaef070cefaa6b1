# The supervisor CSRs: misa has S and U; sstatus, sie and sip are views of mstatus, mie and mip limited
# to the supervisor's bits and to what mideleg delegates; medeleg and mideleg keep only what can be
# delegated; stvec ignores reserved modes; satp and the S scratch registers hold what is written.
#include "env.h"
START
  csrr a0, misa
  li t0, (1 << 18) | (1 << 20)
  and a0, a0, t0
  CHECK(1, a0, (1 << 18) | (1 << 20))

  li t0, -1
  csrw sstatus, t0
  csrr a0, sstatus
  li t1, 0x000c0122           # SIE SPIE SPP SUM MXR
  and a0, a0, t1
  CHECK(2, a0, 0x000c0122)
  csrr a1, mstatus
  andi a1, a1, 0x8            # MIE is not reachable through sstatus
  CHECK(3, a1, 0)
  csrw sstatus, zero

  li t0, -1
  csrw medeleg, t0
  csrr a0, medeleg
  li t1, 0xffff
  and a0, a0, t1
  CHECK(4, a0, 0xbfff)        # not the reserved causes 14 and 16..19, 24 and up
  csrw mideleg, t0
  csrr a0, mideleg
  andi a0, a0, 0x2aa          # the S and M interrupts (QEMU also keeps its hypervisor and counter bits)
  CHECK(5, a0, 0x222)         # only the supervisor interrupts

  csrw mie, zero
  li t0, 0x222
  csrw sie, t0
  csrr a0, mie
  CHECK(6, a0, 0x222)
  csrw mideleg, zero
  csrr a0, sie                # nothing delegated: sie reads zero
  CHECK(7, a0, 0)
  csrw mie, zero

  li t0, 2                    # SSIP through mip
  csrw mip, t0
  csrr a0, mip
  andi a0, a0, 2
  CHECK(8, a0, 2)
  csrr a1, sip                # not delegated: not visible in sip
  CHECK(9, a1, 0)
  csrw mip, zero

  la t0, fail
  csrw stvec, t0
  li t1, 0x80000003           # mode 3 is reserved: the write is ignored
  csrw stvec, t1
  csrr a0, stvec
  bne a0, t0, fail
  li t0, 0x12345678
  csrw sscratch, t0
  csrr a0, sscratch
  CHECK(10, a0, 0x12345678)
  li t0, 0x80000000 | 0x12345
  csrw satp, t0
  csrr a0, satp
  CHECK(11, a0, 0x80012345)
  csrw satp, zero
  PASS
END_WITHOUT_TRAPS
