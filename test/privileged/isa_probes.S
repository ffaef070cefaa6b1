# ISA corner cases as riscv-tests (rv32ui/um/mi) probe them, printed one "name value" line each
# through semihosting so that a test can compare Rewind's lines with QEMU 7.2's: CSR WARL fields
# (misa, mstatus MPP/FS/XS, mtvec's mode, mcounteren, mcountinhibit, tselect/tdata1, pmpcfg/pmpaddr,
# mepc, mcause, mie/mip, medeleg/mideleg, satp), the ID CSRs, CSRs Rewind has not (mcause/mtval of the trap), illegal instructions' mtval (32-bit,
# compressed, shamt[5] on RV32), jumps to odd addresses, div/rem edge cases, minstret over a trap.
# test/diff/isa-probes.test.ts compares the lines; where QEMU 7.2 differs it says why (MANUAL "Where QEMU
# differs"). The program passes (exit 0) on both whatever it prints.
#include "env.h"

#define REC(name, reg)        \
  mv a0, reg;                 \
  la a1, 9f;                  \
  call record;                \
  .section .rodata;           \
9: .string name;              \
  .text;

/* A probe that may trap: s8/s9 get mcause/mtval (-1 if no trap), printed as name.cause, name.tval. */
#define TRAPPED(name)         \
  REC(name ".cause", s8)      \
  REC(name ".tval", s9)       \
  li s8, -1;                  \
  li s9, -1;

/* Write `value` to `csr`, print what it reads then, as `name`. */
#define WARL(name, csr, value) \
  li t0, value;               \
  csrw csr, t0;               \
  csrr s2, csr;               \
  REC(name, s2)

START
  .option norvc
  li s8, -1
  li s9, -1

  csrr s2, misa
  REC("misa", s2)
  csrw misa, zero
  csrr s3, misa
  xor s3, s3, s2
  REC("misa write 0 changes", s3)

  WARL("mstatus mpp=3", mstatus, 0x1800)
  WARL("mstatus mpp=2", mstatus, 0x1000)
  WARL("mstatus mpp=1", mstatus, 0x0800)
  WARL("mstatus mpp=0", mstatus, 0)
  WARL("mstatus xs", mstatus, 0x18000)
  WARL("mstatus mie mpie spp spie sie", mstatus, 0x1aa)
  li t0, -1
  csrw mstatus, t0
  csrr s2, mstatus
  li t0, 0x1800
  csrw mstatus, t0
  li t0, ~0x6000              # FS: QEMU's default CPU has F (MANUAL "Where QEMU differs")
  and s2, s2, t0
  REC("mstatus all ones but fs", s2)
  csrw mstatus, zero

  la s4, mtrap
  WARL("mtvec mode 0", mtvec, 0x80001000)
  WARL("mtvec mode 1", mtvec, 0x80001001)
  csrw mtvec, s4
  WARL("mtvec mode 2", mtvec, 0x80001002)
  csrw mtvec, s4
  WARL("mtvec mode 3", mtvec, 0x80001003)
  csrw mtvec, s4
  WARL("mtvec unaligned vectored base", mtvec, 0x80001085)
  csrw mtvec, s4
  csrr s2, mtvec
  REC("mtvec", s2)

  WARL("mcounteren", mcounteren, -1)
  csrw mcounteren, zero
  WARL("mcounteren 0", mcounteren, 0)

  WARL("mcountinhibit", 0x320, -1)
  csrw 0x320, zero
  csrr s2, mimpid
  REC("mimpid", s2)
  csrr s2, marchid
  REC("marchid", s2)
  WARL("mscratch", mscratch, 0x5a5a5a5a)
  WARL("mepc odd", mepc, 0x80000003)
  WARL("mcause", mcause, 0x8000001f)
  WARL("mcause exception 24", mcause, 24)
  WARL("mtval", mtval, 0x12345678)
  WARL("mie ones", mie, -1)
  csrw mie, zero
  WARL("mip ones", mip, -1)
  csrw mip, zero
  WARL("medeleg ones", medeleg, -1)
  csrw medeleg, zero
  WARL("mideleg ones", mideleg, -1)
  csrw mideleg, zero
  WARL("satp ones", satp, -1)
  csrw satp, zero
  WARL("tselect 0", tselect, 0)
  csrr s2, tdata1
  TRAPPED("tdata1 read")

  csrr s2, pmpcfg0
  REC("pmpcfg0", s2)
  csrr s2, pmpaddr0
  REC("pmpaddr0", s2)
  WARL("pmpaddr1", pmpaddr1, 0x12345678)
  WARL("pmpaddr1 ones", pmpaddr1, -1)
  WARL("pmpaddr15", pmpaddr15, 0x00abcdef)
  WARL("pmpcfg0 entry1 w only", pmpcfg0, 0x021f)
  WARL("pmpcfg0 entry1 rwx napot", pmpcfg0, 0x1f1f)
  WARL("pmpcfg0 entry1 na4", pmpcfg0, 0x171f)
  WARL("pmpcfg0 entry1 r tor", pmpcfg0, 0x091f)
  WARL("pmpcfg0 entry1 bits 5-6", pmpcfg0, 0x601f)
  li t0, 0x1f
  csrw pmpcfg0, t0
  WARL("pmpcfg1", pmpcfg1, 0x0f0b0901)
  csrw pmpcfg1, zero
  WARL("pmpcfg3", pmpcfg3, 0x09000000)
  csrw pmpcfg3, zero

  csrr s2, mhartid
  REC("mhartid", s2)
  csrr s2, mvendorid
  REC("mvendorid", s2)

  # CSRs Rewind has not (and some it has), read: a trap, or a value.
  csrr s2, 0x7c0
  TRAPPED("csr 0x7c0")
  csrr s2, 0x800
  TRAPPED("csr 0x800")
  csrr s2, 0xfff
  TRAPPED("csr 0xfff")
  csrr s2, 0x5a8
  TRAPPED("csr 0x5a8 scontext")
  csrr s2, 0x105
  TRAPPED("csr stvec")
  csrw 0x105, zero
  TRAPPED("csr stvec write")
  csrr s2, 0xc03
  TRAPPED("csr hpmcounter3")
  csrr s2, 0xb03
  TRAPPED("csr mhpmcounter3")
  REC("csr mhpmcounter3 value", s2)
  csrr s2, 0x323
  TRAPPED("csr mhpmevent3")
  csrr s2, 0x30a
  TRAPPED("csr menvcfg")
  csrr s2, 0x31a
  TRAPPED("csr menvcfgh")
  csrr s2, 0x310
  TRAPPED("csr mstatush")
  REC("mstatush", s2)
  csrr s2, 0x34a
  TRAPPED("csr mtinst")
  csrr s2, 0x34b
  TRAPPED("csr mtval2")
  csrr s2, 0xda0
  TRAPPED("csr scountovf")
  csrr s2, 0x306
  TRAPPED("csr mcounteren read")
  csrr s2, 0x15
  TRAPPED("csr seed")
  csrr s2, 0x001
  TRAPPED("csr fflags")
  csrr s2, 0x3b0
  TRAPPED("csr pmpaddr0 again")
  csrr s2, 0x3c0
  TRAPPED("csr pmpaddr16")
  csrwi 0x7a0, 1
  TRAPPED("csr tselect write 1")
  csrr s2, 0x7a0
  REC("tselect after write 1", s2)
  csrr s2, 0x7a4
  TRAPPED("csr tinfo")

  # Illegal instructions: mtval holds their bits.
  .word 0x0000000b            # custom-0
  TRAPPED("custom-0")
  .word 0x02009093            # slli ra, ra, 32: shamt[5] is reserved on RV32
  TRAPPED("slli 32")
  .word 0x0200d093            # srli ra, ra, 32
  TRAPPED("srli 32")
  .word 0x4200d093            # srai ra, ra, 32
  TRAPPED("srai 32")
  .half 0x8002                # c.jr x0: reserved
  .half 0x0001
  TRAPPED("c.jr x0")
  .half 0x4002                # c.lwsp x0: reserved
  .half 0x0001
  TRAPPED("c.lwsp x0")
  .half 0x0000                # all zeros
  .half 0x0001
  TRAPPED("c zero")
  .word 0x00200073            # uret (N extension): illegal
  TRAPPED("uret")
  .word 0x0000100f            # fence.i
  TRAPPED("fence.i")
  .word 0x8330000f            # fence.tso
  TRAPPED("fence.tso")
  .word 0x0100000f            # pause
  TRAPPED("pause")
  .word 0x12000073            # sfence.vma
  TRAPPED("sfence.vma")
  .word 0x1ff0000f            # fence with a reserved fm (1): a plain fence, as the spec asks
  TRAPPED("fence fm=1")
  .word 0x02a5c533            # div a0, a1, a0 with funct7 0x01? (this is div): valid
  TRAPPED("div encoding")
  .word 0x06a5c533            # funct7 0x03 on an op: illegal
  TRAPPED("op funct7 3")
  .word 0x0005a50f            # misc-mem funct3 2: illegal
  TRAPPED("misc-mem funct3 2")
  .word 0x1005a52f            # lr.w a0, (a1)
  TRAPPED("lr.w")
  .word 0x1015a52f            # lr.w with rs2 = x1: reserved
  TRAPPED("lr.w rs2 x1")

  # A jump to an odd address: bit 0 is cleared (C: 2-byte aligned targets are fine).
  la t0, 1f
  addi t0, t0, 1
  li s2, 0
  jalr ra, 0(t0)
  li s2, 99
1:
  TRAPPED("jalr odd")
  REC("jalr odd skipped", s2)

  # div/rem edge cases.
  li a2, 7
  li a3, 0
  div s2, a2, a3
  REC("div by 0", s2)
  divu s2, a2, a3
  REC("divu by 0", s2)
  rem s2, a2, a3
  REC("rem by 0", s2)
  remu s2, a2, a3
  REC("remu by 0", s2)
  li a2, 0x80000000
  li a3, -1
  div s2, a2, a3
  REC("div overflow", s2)
  rem s2, a2, a3
  REC("rem overflow", s2)
  mulh s2, a2, a3
  REC("mulh", s2)
  mulhsu s2, a2, a3
  REC("mulhsu", s2)
  mulhu s2, a2, a3
  REC("mulhu", s2)
  li a2, -7
  li a3, 2
  rem s2, a2, a3
  REC("rem -7 2", s2)
  div s2, a2, a3
  REC("div -7 2", s2)

  # minstret over an ecall and over an illegal instruction (the trapping instruction, then the handler).
  csrr s5, minstret
  ecall
  csrr s6, minstret
  sub s2, s6, s5
  TRAPPED("ecall")
  REC("minstret over ecall", s2)
  csrr s5, mcycle
  .word 0
  csrr s6, mcycle
  sub s2, s6, s5
  TRAPPED("illegal zero")
  REC("mcycle over illegal", s2)

  PASS

# Prints "name value\n": name at a1, value in a0 as 8 hex digits.
record:
  mv t3, a0
  mv t4, ra
  li a0, 0x04                 # SYS_WRITE0
  call semihost
  la a1, line
  li t0, ' '
  sb t0, 0(a1)
  li t1, 8
  addi t2, a1, 8
2:
  andi t0, t3, 15
  li t5, 10
  blt t0, t5, 3f
  addi t0, t0, 'a' - '0' - 10
3:
  addi t0, t0, '0'
  sb t0, 0(t2)
  srli t3, t3, 4
  addi t2, t2, -1
  addi t1, t1, -1
  bnez t1, 2b
  li t0, '\n'
  sb t0, 9(a1)
  sb zero, 10(a1)
  li a0, 0x04
  call semihost
  mv ra, t4
  ret

  .align 4
semihost:
  slli x0, x0, 0x1f
  ebreak
  srai x0, x0, 7
  ret

fail:
  FAIL

# The trap handler: notes mcause and mtval, and resumes after the instruction (2 or 4 bytes).
  .align 2
mtrap:
  csrr s8, mcause
  csrr s9, mtval
  csrr t0, mepc
  lhu t1, 0(t0)
  andi t1, t1, 3
  li t2, 3
  addi t0, t0, 2
  bne t1, t2, 1f
  addi t0, t0, 2
1:
  csrw mepc, t0
  mret

  .data
line:
  .space 16
