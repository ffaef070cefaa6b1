/*
 * rvtest.S: a program of the riscv-tests' shape (rv32ui/um/ua/uc/mi), as the outside harness of issue 19
 * runs them: bare metal from the ELF's entry, many small cases of one or two instructions each checked
 * against the value the spec gives, a trap handler at mtvec (illegal instruction, ecall from M and U mode,
 * misaligned AMO, breakpoints, a software and a timer interrupt), CSR reads and writes, and the verdict
 * written to the virt board's test finisher (sifive_test at 0x100000) as the `-bios none` ports of
 * riscv-tests do. A few thousand steps in all: a whole `rewind run` of it is start-up and exit.
 *
 * The case number is in gp (x3), as in riscv-tests; a failed case prints `rvtest: case N failed` and
 * exits with status N. The trap handler touches t3-t6 only, which no case uses. Nothing checked depends
 * on where QEMU 7.2 and Rewind are allowed to differ (MANUAL.md "Where QEMU differs"): a misaligned
 * AMO's cause may be 4 or 6, ebreak's and an illegal instruction's mtval are not checked, and the
 * interrupts are awaited in bounded loops, however many instructions each takes to arrive.
 */
    .equ TEST_FINISHER, 0x00100000
    .equ FINISH_PASS, 0x5555
    .equ FINISH_FAIL, 0x3333
    .equ UART, 0x10000000
    .equ MSIP, 0x02000000
    .equ MTIMECMP, 0x02004000
    .equ MTIME, 0x0200bff8

/* The next case: its number in gp. */
#define CASE li gp, (__COUNTER__ + 1)
/* Fails the case unless register r holds want. */
#define CHECK(r, want) li t2, want; beq r, t2, 1f; j fail; 1:

#define TEST_RR(op, want, a, b) CASE; li a1, a; li a2, b; op a4, a1, a2; CHECK(a4, want)
#define TEST_RI(op, want, a, imm) CASE; li a1, a; op a4, a1, imm; CHECK(a4, want)
/* rd = rs1 = rs2, and rd = x0 (the result is dropped). */
#define TEST_SAME(op, want, a) CASE; li a1, a; op a1, a1, a1; CHECK(a1, want)
#define TEST_ZERO_DEST(op, a, b) CASE; li a1, a; li a2, b; op x0, a1, a2; CHECK(x0, 0)
#define TEST_LOAD(op, want, offset, base) CASE; la a1, base; op a4, offset(a1); CHECK(a4, want)
#define TEST_STORE(st, ld, value, offset, base) CASE; la a1, base; li a2, value; st a2, offset(a1); ld a4, offset(a1); CHECK(a4, value)
#define TEST_TAKEN(op, a, b) CASE; li a1, a; li a2, b; op a1, a2, 2f; j fail; 2:
#define TEST_NOT_TAKEN(op, a, b) CASE; li a1, a; li a2, b; op a1, a2, 2f; j 3f; 2: j fail; 3:
/* An AMO on the word at amo_word (first set to `old`): the old value back, the new one in memory. */
#define TEST_AMO(op, old, operand, new) CASE; la a1, amo_word; li a2, old; sw a2, 0(a1); li a3, operand; \
    op a4, a3, (a1); CHECK(a4, old); lw a5, 0(a1); CHECK(a5, new)
/* A CSR instruction on mscratch (first set to `start`): the old value back, `after` in the CSR. */
#define TEST_CSR(op, start, operand, after) CASE; li a1, start; csrw mscratch, a1; li a2, operand; \
    op a4, mscratch, a2; CHECK(a4, start); csrr a5, mscratch; CHECK(a5, after)
#define TEST_CSRI(op, start, imm, after) CASE; li a1, start; csrw mscratch, a1; \
    op a4, mscratch, imm; CHECK(a4, start); csrr a5, mscratch; CHECK(a5, after)
/* `insn` traps once, with `cause`, and the run goes on after it (the handler's record, trap_info). */
#define TEST_TRAP(cause, ...) CASE; la a1, trap_info; sw zero, 12(a1); 6: __VA_ARGS__; lw a4, 0(a1); CHECK(a4, cause); \
    lw a4, 4(a1); la a5, 6b; bne a4, a5, fail; lw a4, 12(a1); CHECK(a4, 1)

    .section .text.init
    .globl _start
_start:
    /* Reset as riscv-tests' reset vector does: a known machine state, whatever the loader left. */
    li x1, 0; li x2, 0; li x3, 0; li x4, 0; li x5, 0; li x6, 0; li x7, 0; li x8, 0
    li x9, 0; li x10, 0; li x11, 0; li x12, 0; li x13, 0; li x14, 0; li x15, 0; li x16, 0
    li x17, 0; li x18, 0; li x19, 0; li x20, 0; li x21, 0; li x22, 0; li x23, 0; li x24, 0
    li x25, 0; li x26, 0; li x27, 0; li x28, 0; li x29, 0; li x30, 0; li x31, 0
    la sp, __stack_top
    la t0, trap
    csrw mtvec, t0
    csrr t0, mhartid
    bnez t0, fail
    csrwi mie, 0
    csrwi mstatus, 0
    csrwi medeleg, 0
    csrwi mideleg, 0
    /* User mode may touch all memory: PMP entry 0 covers the whole space (NAPOT, RWX). */
    li t0, -1
    csrw pmpaddr0, t0
    li t0, 0x1f
    csrw pmpcfg0, t0
    j tests

/* Prints the NUL-terminated string at a0 on the UART (t0, t1, a0 clobbered). */
puts:
    li t0, UART
1:  lbu t1, 0(a0)
    beqz t1, 3f
2:  lbu a6, 5(t0)               /* line status: transmitter holding register empty */
    andi a6, a6, 0x20
    beqz a6, 2b
    sb t1, 0(t0)
    addi a0, a0, 1
    j 1b
3:  ret

/* Prints a0 in decimal (a0-a3, t0, t1, a6 clobbered). */
put_decimal:
    mv a2, ra
    la a1, digits_end
    sb zero, 0(a1)
    li a3, 10
1:  addi a1, a1, -1
    remu t0, a0, a3
    addi t0, t0, '0'
    sb t0, 0(a1)
    divu a0, a0, a3
    bnez a0, 1b
    mv a0, a1
    call puts
    mv ra, a2
    ret

/* s1: the number of cases. */
pass:
    la a0, pass_text
    call puts
    mv a0, s1
    call put_decimal
    la a0, passed_text
    call puts
    li t0, TEST_FINISHER
    li t1, FINISH_PASS
    sw t1, 0(t0)
1:  j 1b

fail:
    mv s1, gp
    la a0, fail_text
    call puts
    mv a0, s1
    call put_decimal
    la a0, failed_text
    call puts
    slli t1, s1, 16
    li t0, FINISH_FAIL
    or t1, t1, t0
    li t0, TEST_FINISHER
    sw t1, 0(t0)
1:  j 1b

/*
 * The trap handler: records mcause, mepc and mtval and counts the trap (trap_info), then goes on after
 * the instruction that trapped (2 or 4 bytes); an ecall from user mode returns to machine mode; an
 * interrupt clears its source and returns to where it came.
 */
    .align 2
trap:
    csrr t3, mcause
    la t4, trap_info
    sw t3, 0(t4)
    csrr t5, mepc
    sw t5, 4(t4)
    csrr t6, mtval
    sw t6, 8(t4)
    lw t6, 12(t4)
    addi t6, t6, 1
    sw t6, 12(t4)
    bltz t3, interrupt
    li t6, 8
    beq t3, t6, from_user
    lhu t6, 0(t5)
    andi t6, t6, 3
    li t4, 3
    bne t6, t4, 1f
    addi t5, t5, 2
1:  addi t5, t5, 2
    csrw mepc, t5
    mret
from_user:
    li t6, 0x1800                 /* mstatus.MPP = machine */
    csrs mstatus, t6
    addi t5, t5, 4
    csrw mepc, t5
    mret
interrupt:
    slli t6, t3, 1
    srli t6, t6, 1
    li t4, 3
    beq t6, t4, 1f
    li t4, MTIMECMP               /* the timer's: no further deadline */
    li t6, -1
    sw t6, 4(t4)
    sw t6, 0(t4)
    mret
1:  li t4, MSIP                   /* the software interrupt's: msip cleared */
    sw zero, 0(t4)
    mret

tests:
    /* rv32ui: register-register arithmetic */
    TEST_RR(add, 0x00000000, 0x00000000, 0x00000000)
    TEST_RR(add, 0x00000002, 0x00000001, 0x00000001)
    TEST_RR(add, 0x0000000a, 0x00000003, 0x00000007)
    TEST_RR(add, 0xffff8000, 0x00000000, 0xffff8000)
    TEST_RR(add, 0x7fffffff, 0x80000000, 0xffffffff)
    TEST_RR(add, 0x80007ffe, 0x7fffffff, 0x00007fff)
    TEST_RR(add, 0x00000000, 0xffffffff, 0x00000001)
    TEST_RR(sub, 0x00000000, 0x00000000, 0x00000000)
    TEST_RR(sub, 0xfffffffc, 0x00000003, 0x00000007)
    TEST_RR(sub, 0x80000001, 0x00000000, 0x7fffffff)
    TEST_RR(sub, 0x7fffffff, 0x80000000, 0x00000001)
    TEST_RR(sub, 0xfffffffe, 0xffffffff, 0x00000001)
    TEST_RR(sll, 0x00000001, 0x00000001, 0)
    TEST_RR(sll, 0x00000080, 0x00000001, 7)
    TEST_RR(sll, 0x80000000, 0x00000001, 31)
    TEST_RR(sll, 0x42424242, 0x21212121, 33)
    TEST_RR(sll, 0x90909080, 0x21212121, 0xffffffe7)
    TEST_RR(srl, 0x80000000, 0x80000000, 0)
    TEST_RR(srl, 0x01000000, 0x80000000, 7)
    TEST_RR(srl, 0x00000001, 0x80000000, 31)
    TEST_RR(srl, 0x10909090, 0x21212121, 33)
    TEST_RR(srl, 0x00424242, 0x21212121, 0xffffffe7)
    TEST_RR(sra, 0x80000000, 0x80000000, 0)
    TEST_RR(sra, 0xff000000, 0x80000000, 7)
    TEST_RR(sra, 0xffffffff, 0x80000000, 31)
    TEST_RR(sra, 0x00ffffff, 0x7fffffff, 7)
    TEST_RR(sra, 0xffffffff, 0x81818181, 0xffffffff)
    TEST_RR(slt, 0, 0x00000000, 0x00000000)
    TEST_RR(slt, 1, 0x00000003, 0x00000007)
    TEST_RR(slt, 0, 0x00000007, 0x00000003)
    TEST_RR(slt, 1, 0x80000000, 0x00000000)
    TEST_RR(slt, 0, 0x7fffffff, 0x80000000)
    TEST_RR(sltu, 0, 0x00000000, 0x00000000)
    TEST_RR(sltu, 1, 0x00000003, 0x00000007)
    TEST_RR(sltu, 0, 0x80000000, 0x00000000)
    TEST_RR(sltu, 1, 0x7fffffff, 0x80000000)
    TEST_RR(sltu, 0, 0xffffffff, 0x00000001)
    TEST_RR(and, 0x0f000f00, 0xff00ff00, 0x0f0f0f0f)
    TEST_RR(and, 0x00f000f0, 0x0ff00ff0, 0xf0f0f0f0)
    TEST_RR(and, 0x000f000f, 0x00ff00ff, 0x0f0f0f0f)
    TEST_RR(or, 0xff0fff0f, 0xff00ff00, 0x0f0f0f0f)
    TEST_RR(or, 0xfff0fff0, 0x0ff00ff0, 0xf0f0f0f0)
    TEST_RR(or, 0x0fff0fff, 0x00ff00ff, 0x0f0f0f0f)
    TEST_RR(xor, 0xf00ff00f, 0xff00ff00, 0x0f0f0f0f)
    TEST_RR(xor, 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0)
    TEST_RR(xor, 0x0ff00ff0, 0x00ff00ff, 0x0f0f0f0f)
    TEST_SAME(add, 26, 13)
    TEST_SAME(sub, 0, 13)
    TEST_SAME(xor, 0, 0x12345678)
    TEST_ZERO_DEST(add, 11, 13)
    TEST_ZERO_DEST(sll, 1, 5)

    /* rv32ui: register-immediate arithmetic, lui, auipc */
    TEST_RI(addi, 0x00000000, 0x00000000, 0x000)
    TEST_RI(addi, 0x0000000a, 0x00000003, 0x007)
    TEST_RI(addi, 0xfffff800, 0x00000000, -2048)
    TEST_RI(addi, 0x800007fe, 0x7fffffff, 0x7ff)
    TEST_RI(addi, 0xffffffff, 0x00000000, -1)
    TEST_RI(slti, 0, 0x00000000, 0x000)
    TEST_RI(slti, 1, 0x00000003, 0x007)
    TEST_RI(slti, 1, 0x80000000, 0x000)
    TEST_RI(slti, 0, 0x00000000, -2048)
    TEST_RI(sltiu, 0, 0x00000000, 0x000)
    TEST_RI(sltiu, 1, 0x00000003, 0x007)
    TEST_RI(sltiu, 1, 0x00000000, -2048)
    TEST_RI(sltiu, 0, 0xffffffff, 0x7ff)
    TEST_RI(andi, 0xff00ff00, 0xff00ff00, -256)
    TEST_RI(andi, 0x000000f0, 0x0ff00ff0, 0x0f0)
    TEST_RI(andi, 0x0000000f, 0x00ff00ff, 0x70f)
    TEST_RI(ori, 0xffffff0f, 0xff00ff00, -241)
    TEST_RI(ori, 0x0ff00ff0, 0x0ff00ff0, 0x0f0)
    TEST_RI(ori, 0x00ff07ff, 0x00ff00ff, 0x70f)
    TEST_RI(xori, 0xff00f00f, 0x00ff0f00, -241)
    TEST_RI(xori, 0x0ff00f00, 0x0ff00ff0, 0x0f0)
    TEST_RI(xori, 0x00ff07f0, 0x00ff00ff, 0x70f)
    TEST_RI(slli, 0x00000080, 0x00000001, 7)
    TEST_RI(slli, 0x80000000, 0x00000001, 31)
    TEST_RI(slli, 0x90909080, 0x21212121, 7)
    TEST_RI(srli, 0x01000000, 0x80000000, 7)
    TEST_RI(srli, 0x00000001, 0xffffffff, 31)
    TEST_RI(srli, 0x00424242, 0x21212121, 7)
    TEST_RI(srai, 0xff000000, 0x80000000, 7)
    TEST_RI(srai, 0xffffffff, 0x80000000, 31)
    TEST_RI(srai, 0x00424242, 0x21212121, 7)
    CASE; lui a4, 0x00000; CHECK(a4, 0x00000000)
    CASE; lui a4, 0xfffff; srai a4, a4, 1; CHECK(a4, 0xfffff800)
    CASE; lui a4, 0x7ffff; srai a4, a4, 20; CHECK(a4, 0x000007ff)
    CASE; lui a4, 0x80000; srai a4, a4, 20; CHECK(a4, 0xfffff800)
    CASE; lui x0, 0x80000; CHECK(x0, 0)
    CASE; 4: auipc a4, 1; la a5, 4b; sub a4, a4, a5; CHECK(a4, 0x1000)
    CASE; 4: auipc a4, 0xfffff; la a5, 4b; sub a4, a4, a5; CHECK(a4, 0xfffff000)

    /* rv32um */
    TEST_RR(mul, 0x00000000, 0x00000000, 0x00000000)
    TEST_RR(mul, 0x00000015, 0x00000003, 0x00000007)
    TEST_RR(mul, 0x00000000, 0x00000000, 0xffff8000)
    TEST_RR(mul, 0x00000000, 0x80000000, 0xffff8000)
    TEST_RR(mul, 0x0000ff7f, 0xaaaaaaab, 0x0002fe7d)
    TEST_RR(mulh, 0x00000000, 0x00000003, 0x00000007)
    TEST_RR(mulh, 0x00000000, 0x80000000, 0x00000000)
    TEST_RR(mulh, 0xffff0081, 0xaaaaaaab, 0x0002fe7d)
    TEST_RR(mulh, 0x00010000, 0xff000000, 0xff000000)
    TEST_RR(mulh, 0xffffffff, 0xffffffff, 0x00000001)
    TEST_RR(mulhsu, 0x00000000, 0x00000003, 0x00000007)
    TEST_RR(mulhsu, 0x80004000, 0x80000000, 0xffff8000)
    TEST_RR(mulhsu, 0xffff0081, 0xaaaaaaab, 0x0002fe7d)
    TEST_RR(mulhsu, 0xff010000, 0xff000000, 0xff000000)
    TEST_RR(mulhsu, 0xffffffff, 0xffffffff, 0xffffffff)
    TEST_RR(mulhu, 0x00000000, 0x00000003, 0x00000007)
    TEST_RR(mulhu, 0x7fffc000, 0x80000000, 0xffff8000)
    TEST_RR(mulhu, 0x0001fefe, 0xaaaaaaab, 0x0002fe7d)
    TEST_RR(mulhu, 0xfe010000, 0xff000000, 0xff000000)
    TEST_RR(mulhu, 0xfffffffe, 0xffffffff, 0xffffffff)
    TEST_RR(div, 3, 20, 6)
    TEST_RR(div, -3, -20, 6)
    TEST_RR(div, -3, 20, -6)
    TEST_RR(div, 3, -20, -6)
    TEST_RR(div, -1, 1, 0)
    TEST_RR(div, 0x80000000, 0x80000000, -1)
    TEST_RR(divu, 3, 20, 6)
    TEST_RR(divu, 715827879, -20, 6)
    TEST_RR(divu, 0, 20, -6)
    TEST_RR(divu, -1, 0, 0)
    TEST_RR(rem, 2, 20, 6)
    TEST_RR(rem, -2, -20, 6)
    TEST_RR(rem, 2, 20, -6)
    TEST_RR(rem, -2, -20, -6)
    TEST_RR(rem, 20, 20, 0)
    TEST_RR(rem, 0, 0x80000000, -1)
    TEST_RR(remu, 2, 20, 6)
    TEST_RR(remu, 2, -20, 6)
    TEST_RR(remu, 20, 20, -6)
    TEST_RR(remu, -20, -20, 0)

    /* rv32ui: loads, stores, misaligned ones in RAM (both perform them) */
    TEST_LOAD(lb, 0xffffffff, 0, load_data)
    TEST_LOAD(lb, 0x00000000, 1, load_data)
    TEST_LOAD(lb, 0xfffffff0, 2, load_data)
    TEST_LOAD(lb, 0x0000000f, 3, load_data)
    TEST_LOAD(lbu, 0x000000ff, 0, load_data)
    TEST_LOAD(lbu, 0x000000f0, 2, load_data)
    TEST_LOAD(lh, 0x000000ff, 4, load_data)
    TEST_LOAD(lh, 0xffffff00, 6, load_data)
    TEST_LOAD(lh, 0x00000ff0, 8, load_data)
    TEST_LOAD(lhu, 0x0000ff00, 6, load_data)
    TEST_LOAD(lhu, 0x0000f00f, 10, load_data)
    TEST_LOAD(lw, 0x00ff00ff, 12, load_data)
    TEST_LOAD(lw, 0xff00ff00, 16, load_data)
    TEST_LOAD(lw, 0x0ff00ff0, 20, load_data)
    TEST_LOAD(lw, 0xf00ff00f, 24, load_data)
    TEST_LOAD(lw, 0xff0000ff, 14, load_data)
    TEST_LOAD(lh, 0xfffff0ff, 7, load_data)
    TEST_STORE(sb, lbu, 0xaa, 0, store_data)
    TEST_STORE(sb, lbu, 0x0a, 3, store_data)
    TEST_STORE(sh, lhu, 0xaa00, 4, store_data)
    TEST_STORE(sh, lhu, 0x0aa0, 6, store_data)
    TEST_STORE(sw, lw, 0xaa00aa00, 8, store_data)
    TEST_STORE(sw, lw, 0x0aa00aa0, 12, store_data)
    TEST_STORE(sw, lw, 0x12345678, 17, store_data)
    TEST_STORE(sh, lhu, 0xbeef, 23, store_data)
    CASE; la a1, store_data; li a2, -1; sb a2, 1(a1); lw a4, 0(a1); CHECK(a4, 0x0a00ffaa)

    /* rv32ui: branches and jumps */
    TEST_TAKEN(beq, 0, 0)
    TEST_TAKEN(beq, -1, -1)
    TEST_NOT_TAKEN(beq, 0, 1)
    TEST_TAKEN(bne, 0, 1)
    TEST_NOT_TAKEN(bne, -1, -1)
    TEST_TAKEN(blt, -1, 1)
    TEST_NOT_TAKEN(blt, 1, -1)
    TEST_NOT_TAKEN(blt, 1, 1)
    TEST_TAKEN(bge, 1, -1)
    TEST_TAKEN(bge, -1, -1)
    TEST_NOT_TAKEN(bge, -2, -1)
    TEST_TAKEN(bltu, 1, -1)
    TEST_NOT_TAKEN(bltu, -1, 1)
    TEST_TAKEN(bgeu, -1, 1)
    TEST_NOT_TAKEN(bgeu, 0, -1)
    CASE; li a4, 0; jal a5, 4f; 5: li a4, 1; 4: la a6, 5b; CHECK(a4, 0); bne a5, a6, fail
    CASE; la a1, 4f; jalr a5, 0(a1); 5: j fail; 4: la a6, 5b; bne a5, a6, fail
    CASE; la a1, 4f - 8; jalr x0, 8(a1); j fail; 4:
    CASE; la a1, 4f + 1; jalr x0, -1(a1); j fail; 4:
    CASE; la a1, 4f + 1; jalr x0, 0(a1); j fail; 4:

    /* rv32uc: compressed forms */
    CASE; c.li a4, -3; CHECK(a4, -3)
    CASE; c.li a4, 7; c.addi a4, -10; CHECK(a4, -3)
    CASE; c.lui a4, 0xfffe1; CHECK(a4, 0xfffe1000)
    CASE; li a1, 9; c.mv a4, a1; CHECK(a4, 9)
    CASE; li a4, 9; li a1, 4; c.add a4, a1; CHECK(a4, 13)
    CASE; li a4, 9; li a5, 4; c.sub a4, a5; CHECK(a4, 5)
    CASE; li a4, 0x0ff0; li a5, 0x00ff; c.and a4, a5; CHECK(a4, 0x00f0)
    CASE; li a4, 0x0ff0; li a5, 0x00ff; c.or a4, a5; CHECK(a4, 0x0fff)
    CASE; li a4, 0x0ff0; li a5, 0x00ff; c.xor a4, a5; CHECK(a4, 0x0f0f)
    CASE; li a4, -1; c.andi a4, 0x15; CHECK(a4, 0x15)
    CASE; li a4, 0x80000000; c.srli a4, 4; CHECK(a4, 0x08000000)
    CASE; li a4, 0x80000000; c.srai a4, 4; CHECK(a4, 0xf8000000)
    CASE; li a4, 3; c.slli a4, 30; CHECK(a4, 0xc0000000)
    CASE; c.addi16sp sp, -32; c.addi4spn a5, sp, 16; c.addi16sp sp, 32; la a4, __stack_top - 16; bne a4, a5, fail
    CASE; addi sp, sp, -16; li a5, 0x2468ace0; c.swsp a5, 4(sp); c.lwsp a4, 4(sp); addi sp, sp, 16; CHECK(a4, 0x2468ace0)
    CASE; la a5, store_data; li a3, 0x11223344; c.sw a3, 4(a5); c.lw a4, 4(a5); CHECK(a4, 0x11223344)
    CASE; li a5, 0; c.beqz a5, 4f; j fail; 4:
    CASE; li a5, 1; c.bnez a5, 4f; j fail; 4:
    CASE; c.j 4f; j fail; 4:
    CASE; la a5, 4f; c.jr a5; j fail; 4:
    CASE; la a5, 4f; c.jalr a5; 5: j fail; 4: la a6, 5b; bne ra, a6, fail
    CASE; c.jal 4f; 5: j fail; 4: la a6, 5b; bne ra, a6, fail
    CASE; li a4, 5; c.nop; CHECK(a4, 5)

    /* rv32ua */
    TEST_AMO(amoswap.w, 0x80000000, 0x0800, 0x0800)
    TEST_AMO(amoadd.w, 0x80000000, 0xfffff800, 0x7ffff800)
    TEST_AMO(amoxor.w, 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0)
    TEST_AMO(amoand.w, 0xff00ff00, 0x0ff00ff0, 0x0f000f00)
    TEST_AMO(amoor.w, 0xff00ff00, 0x0ff00ff0, 0xfff0fff0)
    TEST_AMO(amomin.w, 0x80000000, 0xfffff800, 0x80000000)
    TEST_AMO(amomin.w, 0x00000001, 0xffffffff, 0xffffffff)
    TEST_AMO(amomax.w, 0x80000000, 0xfffff800, 0xfffff800)
    TEST_AMO(amomax.w, 0x00000001, 0xffffffff, 0x00000001)
    TEST_AMO(amominu.w, 0x80000000, 0xfffff800, 0x80000000)
    TEST_AMO(amominu.w, 0x00000001, 0xffffffff, 0x00000001)
    TEST_AMO(amomaxu.w, 0x80000000, 0xfffff800, 0xfffff800)
    TEST_AMO(amomaxu.w, 0x00000001, 0xffffffff, 0xffffffff)
    CASE; la a1, amo_word; li a2, 7; sw a2, 0(a1); lr.w a4, (a1); CHECK(a4, 7); addi a4, a4, 1; sc.w a5, a4, (a1); CHECK(a5, 0); lw a4, 0(a1); CHECK(a4, 8)
    CASE; la a1, amo_word; li a2, 9; sc.w a5, a2, (a1); beqz a5, fail; lw a4, 0(a1); CHECK(a4, 8)

    /* rv32mi: CSRs */
    TEST_CSR(csrrw, 0x12345678, 0x9abcdef0, 0x9abcdef0)
    TEST_CSR(csrrs, 0x0f0f0f0f, 0xf0000001, 0xff0f0f0f)
    TEST_CSR(csrrc, 0x0f0f0f0f, 0x0f00000f, 0x000f0f00)
    TEST_CSR(csrrs, 0x0f0f0f0f, 0, 0x0f0f0f0f)
    TEST_CSRI(csrrwi, 0x12345678, 0x1f, 0x1f)
    TEST_CSRI(csrrsi, 0x12345670, 0x0b, 0x1234567b)
    TEST_CSRI(csrrci, 0x1234567f, 0x05, 0x1234567a)
    TEST_CSRI(csrrsi, 0x1234567f, 0, 0x1234567f)
    CASE; la a1, trap; csrr a4, mtvec; bne a4, a1, fail
    CASE; li a1, 0x80001234; csrw mepc, a1; csrr a4, mepc; CHECK(a4, 0x80001234)
    CASE; li a1, 0xdeadbeef; csrw mtval, a1; csrr a4, mtval; CHECK(a4, 0xdeadbeef)
    CASE; li a1, 5; csrw mcause, a1; csrr a4, mcause; CHECK(a4, 5)
    CASE; csrsi mstatus, 8; csrr a4, mstatus; andi a4, a4, 0x88; CHECK(a4, 8); csrci mstatus, 8; csrr a4, mstatus; andi a4, a4, 0x88; CHECK(a4, 0)
    CASE; li a1, 0x888; csrw mie, a1; csrr a4, mie; li a5, 0x888; and a4, a4, a5; CHECK(a4, 0x888); csrwi mie, 0
    CASE; csrr a4, mhartid; CHECK(a4, 0)
    CASE; csrr a4, mcycle; csrr a5, mcycle; bltu a5, a4, fail
    CASE; csrr a4, minstret; csrr a5, minstret; bleu a5, a4, fail

    /* rv32mi: traps */
    TEST_TRAP(11, ecall)
    TEST_TRAP(3, .4byte 0x00100073)   /* ebreak */
    TEST_TRAP(3, .2byte 0x9002)       /* c.ebreak */
    TEST_TRAP(2, .2byte 0x0000)       /* c.unimp */
    TEST_TRAP(2, .4byte 0x0000000b)   /* custom-0: no such instruction here */
    TEST_TRAP(2, csrw mvendorid, a1)  /* a read-only CSR */
    /* A misaligned AMO: load- (QEMU) or store/AMO-address-misaligned (Rewind), mtval the address. */
    CASE; la a1, trap_info; sw zero, 12(a1); la a2, amo_word + 2; 6: amoadd.w a4, a3, (a2); lw a4, 0(a1); addi a4, a4, -4; \
        andi a4, a4, -3; CHECK(a4, 0); lw a4, 8(a1); bne a4, a2, fail; lw a4, 4(a1); la a5, 6b; bne a4, a5, fail
    /* User mode: a CSR access there is illegal; its ecall (cause 8) comes back to machine mode. */
    CASE; la a1, trap_info; sw zero, 12(a1); li a2, 0x1800; csrc mstatus, a2; la a2, 6f; csrw mepc, a2; mret
6:  csrr a4, mstatus
    ecall
    lw a4, 12(a1); CHECK(a4, 2); lw a4, 0(a1); CHECK(a4, 8)
    /* A software interrupt, through the CLINT's msip, taken once enabled. */
    CASE; la a1, trap_info; sw zero, 12(a1); li a2, MSIP; li a3, 1; sw a3, 0(a2); csrsi mie, 8; csrsi mstatus, 8; \
        li a5, 100; 7: lw a4, 12(a1); bnez a4, 8f; addi a5, a5, -1; bnez a5, 7b; j fail; \
        8: csrci mstatus, 8; csrwi mie, 0; lw a4, 0(a1); CHECK(a4, 0x80000003); lw a4, 0(a2); CHECK(a4, 0)
    /* A timer interrupt a few mtime ticks ahead. */
    CASE; la a1, trap_info; sw zero, 12(a1); li a2, MTIME; lw a3, 0(a2); addi a3, a3, 3; li a2, MTIMECMP; li a4, -1; \
        sw a4, 0(a2); sw zero, 4(a2); sw a3, 0(a2); li a4, 0x80; csrs mie, a4; csrsi mstatus, 8; \
        li a5, 10000; 7: lw a4, 12(a1); bnez a4, 8f; addi a5, a5, -1; bnez a5, 7b; j fail; \
        8: csrci mstatus, 8; csrwi mie, 0; lw a4, 0(a1); CHECK(a4, 0x80000007)

    /* rv32ui fence_i: code written into data, then run */
    CASE; la a1, code_buf; li a2, 0x02a00513; sw a2, 0(a1); li a2, 0x00008067; sw a2, 4(a1); fence.i; jalr ra, 0(a1); CHECK(a0, 42)
    CASE; la a1, code_buf; li a2, 0x02b00513; sw a2, 0(a1); fence.i; jalr ra, 0(a1); CHECK(a0, 43)

    li s1, __COUNTER__
    j pass

    .section .rodata
pass_text: .string "rvtest: "
passed_text: .string " cases passed\n"
fail_text: .string "rvtest: case "
failed_text: .string " failed\n"

    .data
    .align 4
load_data:
    .byte 0xff, 0x00, 0xf0, 0x0f
    .half 0x00ff, 0xff00, 0x0ff0, 0xf00f
    .word 0x00ff00ff, 0xff00ff00, 0x0ff00ff0, 0xf00ff00f
store_data: .space 32
amo_word: .word 0, 0
    .align 2
code_buf: .word 0, 0

    .bss
    .align 2
trap_info: .space 16         /* mcause, mepc, mtval, traps since the case began */
digits: .space 11
digits_end: .space 1
