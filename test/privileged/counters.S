# 64-bit counters: minstret and mcycle carry into their high halves and wrap at 2^64, and a write to
# either half is what the next instruction reads (the writing instruction does not count itself).
#include "env.h"
START
  li t0, -1
  csrw minstreth, t0
  li t1, -3
  csrw minstret, t1           # 0xffffffff_fffffffd once this retired
  csrr a0, minstreth
  csrr a1, minstret
  csrr a2, minstret
  csrr a3, minstret           # wrapped
  csrr a4, minstreth
  CHECK(1, a0, 0xffffffff)
  CHECK(2, a1, 0xfffffffe)
  CHECK(3, a2, 0xffffffff)
  CHECK(4, a3, 0)
  CHECK(5, a4, 0)

  li t0, -1
  csrw minstret, t0
  csrw minstreth, zero        # must not carry its own increment into the half it writes
  csrr a0, minstret
  csrr a1, minstreth
  CHECK(6, a0, 0xffffffff)
  CHECK(7, a1, 1)

  li t0, 0x00200000           # 2^53 in the high half: beyond a double's exact integers
  csrw mcycleh, t0
  li t1, -2
  csrw mcycle, t1
  csrr a0, mcycle
  csrr a1, mcycle
  csrr a2, mcycle
  csrr a3, mcycleh
  CHECK(8, a0, 0xfffffffe)
  CHECK(9, a1, 0xffffffff)
  CHECK(10, a2, 0)
  CHECK(11, a3, 0x00200001)

  csrr a0, instret            # the user view reads the same counter
  csrr a1, minstret
  sub a2, a1, a0
  CHECK(12, a2, 1)
  PASS
END_WITHOUT_TRAPS
