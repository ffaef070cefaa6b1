# The mstatus traps for S-mode: TSR makes sret illegal, TVM makes satp and sfence.vma illegal, TW makes
# wfi illegal; in U-mode wfi, sret, sfence.vma and supervisor CSRs are always illegal. Each illegal
# instruction traps to M-mode with mcause 2; the handler steps over it and counts.
#include "env.h"
START
  li s0, 0                    # illegal instructions seen
  li t0, (1 << 20) | (1 << 21) | (1 << 22)  # TVM TW TSR
  csrs mstatus, t0
  ENTER(1, supervisor)

supervisor:
  csrr a0, satp               # 1
  sfence.vma                  # 2
  wfi                         # 3
  la t0, after_sret
  csrw sepc, t0
  sret                        # 4
after_sret:
  csrr a0, sscratch           # allowed in S-mode
  CHECK(1, s0, 4)
  li TESTNUM, 2
  ecall                       # to M-mode: clear the traps and go to U-mode

user:
  wfi                         # 5
  sret                        # 6
  sfence.vma                  # 7
  csrr a0, sstatus            # 8
  csrr a0, cycle              # 9: mcounteren is 0
  CHECK(3, s0, 9)
  PASS
fail:
  FAIL

  .align 2
mtrap:
  csrr t0, mcause
  li t1, 9
  beq t0, t1, to_user
  li t1, 2
  bne t0, t1, fail_in_m
  addi s0, s0, 1
  csrr t0, mepc
  addi t0, t0, 4
  csrw mepc, t0
  mret
to_user:
  li t0, (1 << 20) | (1 << 21) | (1 << 22)
  csrc mstatus, t0
  ENTER(0, user)
fail_in_m:
  li TESTNUM, 98
  FAIL
