/*
 * Our own small test environment for the privileged-architecture test programs in this folder, in the
 * style of the riscv-tests "-p" environment (written for Rewind, not copied): TESTNUM lives in gp, a
 * program ends through the SiFive test finisher of QEMU's virt board, so the same ELF runs on Rewind and
 * on qemu-system-riscv32 -M virt -bios none: PASS writes 0x5555 (exit status 0), FAIL writes
 * (TESTNUM << 16) | 0x3333 (exit status TESTNUM). A failure with TESTNUM 0 parks in `beqz gp, .`
 * never: FAIL always reports.
 *
 * The M-mode trap handler `mtrap` is each test's own; START sets mtvec to it, and opens all of memory
 * to S- and U-mode with one PMP entry (QEMU denies them everything while no entry matches).
 */
#define TESTNUM gp
#define FINISHER 0x100000

#define START                 \
  .section .text.init;        \
  .globl _start;              \
_start:                       \
  la t0, mtrap;               \
  csrw mtvec, t0;             \
  li t0, -1;                  \
  csrw pmpaddr0, t0;          \
  li t0, 0x1f;                \
  csrw pmpcfg0, t0;           \
  li TESTNUM, 0;

#define PASS                  \
  li t6, FINISHER;            \
  li t5, 0x5555;              \
  sw t5, 0(t6);               \
1: j 1b;

#define FAIL                  \
  li t6, FINISHER;            \
  slli t5, TESTNUM, 16;       \
  li t4, 0x3333;              \
  or t5, t5, t4;              \
  sw t5, 0(t6);               \
1: j 1b;

/*
 * The end of a test that expects no trap it did not ask for: `fail`, where CHECK branches, and the M-mode
 * trap handler `mtrap`, which reports an unexpected trap as test 99.
 */
#define END_WITHOUT_TRAPS     \
fail:                         \
  FAIL                        \
  .align 2;                   \
mtrap:                        \
  li TESTNUM, 99;             \
  FAIL

/* Test number n: the register must hold the value, or the test fails. */
#define CHECK(n, reg, value)  \
  li TESTNUM, n;              \
  li t6, value;               \
  bne reg, t6, fail;

/* Enter privilege `mode` (0 U, 1 S) at `label` with mret from M-mode. */
#define ENTER(mode, label)    \
  li t0, 3 << 11;             \
  csrc mstatus, t0;           \
  li t0, (mode) << 11;        \
  csrs mstatus, t0;           \
  la t0, label;               \
  csrw mepc, t0;              \
  mret;
