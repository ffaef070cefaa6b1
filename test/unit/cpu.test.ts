/**
 * One test per instruction class, on programs assembled by the real GNU assembler. Expected values are
 * computed by hand from the ISA manual's definitions (the differential test against QEMU covers whole
 * programs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXIT, runAsm } from '../support/run-asm';

const A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15, A6 = 16, A7 = 17;

test('integer arithmetic, logic, shifts and comparisons', () => {
  const r = runAsm(`
    li a0, 0x7fffffff
    addi a0, a0, 1          # wraps to 0x80000000
    li a1, -5
    srai a1, a1, 1          # -3
    li a2, -5
    srli a2, a2, 28         # 0xf
    li t0, 3
    li t1, -1
    sltu a3, t0, t1         # 3 < 0xffffffff unsigned: 1
    slt a4, t0, t1          # 3 < -1 signed: 0
    sltiu a5, zero, 1       # seqz 0: 1
    li t2, 0xf0f0
    xori a6, t2, -1         # not
    li t2, 33
    li a7, 1
    sll a7, a7, t2          # shift amount is taken mod 32: 1 << 1
    ${EXIT}`);
  assert.deepEqual(r.reason, { kind: 'exit', code: 0, via: 'test-finisher' });
  assert.equal(r.reg(A0), 0x80000000);
  assert.equal(r.reg(A1) | 0, -3);
  assert.equal(r.reg(A2), 0xf);
  assert.equal(r.reg(A3), 1);
  assert.equal(r.reg(A4), 0);
  assert.equal(r.reg(A5), 1);
  assert.equal(r.reg(A6), 0xffff0f0f);
  assert.equal(r.reg(A7), 2);
});

test('x0 stays zero whatever is written to it', () => {
  const r = runAsm(`
    li t0, 1234
    add zero, t0, t0
    addi zero, zero, 5
    lui zero, 0x12345
    mv a0, zero
    ${EXIT}`);
  assert.equal(r.reg(0), 0);
  assert.equal(r.reg(A0), 0);
});

test('multiply and divide, with the edge cases the M extension defines', () => {
  const r = runAsm(`
    li t0, -7
    li t1, 3
    mul a0, t0, t1          # -21
    mulh a1, t0, t1         # high word of -21: -1
    mulhu a2, t0, t1        # (2^32-7)*3 >> 32 = 2
    mulhsu a3, t0, t1       # signed(-7) * unsigned(3) high: -1
    div a4, t0, t1          # -2 (rounds toward zero)
    rem a5, t0, t1          # -1
    li t2, 0
    div a6, t0, t2          # division by zero: -1
    remu a7, t0, t2         # remainder by zero: the dividend
    li s2, 0x80000000
    li s3, -1
    div s4, s2, s3          # overflow: -2^31
    rem s5, s2, s3          # overflow remainder: 0
    divu s6, t0, t2         # unsigned division by zero: all ones
    li s7, 0x12345678
    li s8, 0x9abcdef0
    mulhu s9, s7, s8        # 0x0b00ea4e
    mulh s10, s7, s8        # 0x0b00ea4e - 0x12345678 = 0xf8cc93d6
    ${EXIT}`);
  assert.equal(r.reg(A0) | 0, -21);
  assert.equal(r.reg(A1) | 0, -1);
  assert.equal(r.reg(A2), 2);
  assert.equal(r.reg(A3) | 0, -1);
  assert.equal(r.reg(A4) | 0, -2);
  assert.equal(r.reg(A5) | 0, -1);
  assert.equal(r.reg(A6) | 0, -1);
  assert.equal(r.reg(A7) | 0, -7);
  assert.equal(r.reg(20), 0x80000000);
  assert.equal(r.reg(21), 0);
  assert.equal(r.reg(22), 0xffffffff);
  assert.equal(r.reg(25), 0x0b00ea4e);
  assert.equal(r.reg(26), 0xf8cc93d6);
});

test('loads sign- or zero-extend, stores write only their width, misaligned accesses succeed', () => {
  const r = runAsm(`
    la t0, data
    lb a0, 0(t0)            # 0x80 -> -128
    lbu a1, 0(t0)           # 128
    lh a2, 0(t0)            # 0xff80 -> -128
    lhu a3, 0(t0)           # 0xff80
    li t1, 0x11223344
    sw t1, 4(t0)
    li t1, 0xaa
    sb t1, 5(t0)
    lw a4, 4(t0)            # 0x1122aa44
    li t1, 0xbeef
    sh t1, 9(t0)            # misaligned store
    lw a5, 9(t0)            # misaligned load: 0x0000beef in bytes 9..12
    lh a6, 9(t0)            # misaligned halfword: 0xbeef -> negative
    ${EXIT}
    .data
    .align 4
  data: .byte 0x80, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
  `);
  assert.equal(r.reg(A0) | 0, -128);
  assert.equal(r.reg(A1), 128);
  assert.equal(r.reg(A2) | 0, -128);
  assert.equal(r.reg(A3), 0xff80);
  assert.equal(r.reg(A4), 0x1122aa44);
  assert.equal(r.reg(A5), 0x0000beef);
  assert.equal(r.reg(A6) | 0, 0xbeef - 0x10000);
});

test('branches, jal and jalr (with rd == rs1)', () => {
  const r = runAsm(`
    li a0, 0
    li t0, 10
  loop:
    addi a0, a0, 3
    addi t0, t0, -1
    bnez t0, loop           # a0 = 30
    li t1, -1
    li t2, 1
    bltu t2, t1, 1f         # 1 < 0xffffffff unsigned: taken
    li a0, 0
  1:
    blt t1, t2, 2f          # -1 < 1 signed: taken
    li a0, 0
  2:
    jal ra, func
    la t3, after
    jalr t3, 0(t3)          # jump to after, link into the same register
  link:
    li a0, 0
  after:
    la t4, link
    ${EXIT}
  func:
    li a1, 77
    ret
  `);
  assert.equal(r.reg(A0), 30);
  assert.equal(r.reg(A1), 77);
  assert.equal(r.reg(28), r.reg(29), 't3 holds the link: the address after the jalr');
});

test('compressed instructions compute the same as their expansions', () => {
  const program = `
    li s0, 100
    c.addi s0, -3           # 97
    c.li a0, 5
    c.slli a0, 3            # 40
    c.mv a1, s0
    c.add a1, a0            # 137
    c.srai a1, 1            # 68 (a1 is x11: a compressed register)
    c.andi a1, 0x1e         # 4
    c.lui a2, 0x1f          # 0x1f000
    li sp, 0x80100000
    addi sp, sp, -32
    c.swsp a1, 12(sp)
    c.lwsp a3, 12(sp)       # 4
    mv a4, sp
    c.sw a0, 8(a4)
    c.lw a5, 8(a4)          # 40
    c.addi16sp sp, 32
    c.addi4spn s1, sp, 16
    sub a6, s1, sp          # 16
    ${EXIT}`;
  const r = runAsm(program);
  assert.equal(r.reg(8), 97);
  assert.equal(r.reg(A0), 40);
  assert.equal(r.reg(A1), 4);
  assert.equal(r.reg(A2), 0x1f000);
  assert.equal(r.reg(A3), 4);
  assert.equal(r.reg(A5), 40);
  assert.equal(r.reg(A6), 16);
  assert.equal(r.reg(2), 0x80100000, 'sp is back where it started');
});

test('an illegal instruction traps precisely, with the instruction bits in mtval', () => {
  const r = runAsm(`
    la t0, handler
    csrw mtvec, t0
    li a0, 1
  bad:
    .word 0xffffffff
    li a0, 2                # never reached
    .align 2
  handler:
    csrr a1, mcause
    csrr a2, mepc
    csrr a3, mtval
    la a4, bad
    ${EXIT}`);
  assert.equal(r.reg(A0), 1);
  assert.equal(r.reg(A1), 2);
  assert.equal(r.reg(A2), r.reg(A4));
  assert.equal(r.reg(A3), 0xffffffff);
});

test('an unimplemented CSR raises illegal instruction; tselect, tdata and PMP accept writes', () => {
  const r = runAsm(`
    la t0, handler
    csrw mtvec, t0
    csrw tselect, zero
    csrw tdata1, zero
    li t1, 0x1f
    csrw pmpcfg0, t1
    csrr s2, pmpcfg0
    li t1, -1
    csrw pmpaddr0, t1
  bad:
    csrr a0, 0x7c0          # not implemented
    j done
    .align 2
  handler:
    csrr a1, mcause
    csrr a2, mtval
    csrr a3, mepc
    la a4, bad
  done:
    csrr a5, misa
    csrr a6, mhartid
    ${EXIT}`);
  assert.equal(r.reg(A1), 2);
  assert.equal(r.reg(A2), 0x7c002573); // csrrs a0, 0x7c0, zero
  assert.equal(r.reg(A3), r.reg(A4));
  assert.equal(r.reg(A5), 0x40141105); // RV32 A C I M S U
  assert.equal(r.reg(A6), 0);
  assert.equal(r.reg(18), 0x1f);
});

test('ecall traps to mtvec with mcause 11; mret returns and restores MIE from MPIE', () => {
  const r = runAsm(`
    la t0, handler
    csrw mtvec, t0
    csrsi mstatus, 8        # MIE = 1
    li a0, 0
    ecall
    addi a0, a0, 10         # runs after mret
    csrr a3, mstatus
    ${EXIT}
    .align 2
  handler:
    csrr a1, mcause
    csrr a2, mstatus        # MIE cleared, MPIE set, MPP = 3
    csrr t0, mepc
    addi t0, t0, 4
    csrw mepc, t0
    addi a0, a0, 1
    mret`);
  assert.equal(r.reg(A0), 11);
  assert.equal(r.reg(A1), 11);
  assert.equal(r.reg(A2) & 0x1888, 0x1880);
  assert.equal(r.reg(A3) & 0x88, 0x88, 'MIE restored, MPIE set');
});

test('user mode: ecall from U is cause 8, machine CSRs are illegal there', () => {
  const r = runAsm(`
    la t0, handler
    csrw mtvec, t0
    la t0, user
    csrw mepc, t0
    li t0, 0x1800
    csrc mstatus, t0        # MPP = U
    mret
  user:
    li s2, 1
    csrr s3, mscratch       # illegal in U-mode
    li s2, 2
    ecall
    j .
    .align 2
  handler:
    csrr t1, mcause
    li t2, 2
    bne t1, t2, 1f
    mv a0, t1               # first trap: illegal instruction
    csrr a2, mstatus        # MPP = 0: came from U
    csrr t0, mepc
    addi t0, t0, 4
    csrw mepc, t0
    mret
  1:
    mv a1, t1               # second trap: ecall from U
    ${EXIT}`);
  assert.equal(r.reg(A0), 2);
  assert.equal(r.reg(A1), 8);
  assert.equal(r.reg(A2) & 0x1800, 0);
  assert.equal(r.reg(18), 2);
});

test('minstret: a write sets the value exactly, without counting the writing instruction', () => {
  const r = runAsm(`
    li t0, 1000
    csrw minstret, t0
    csrr a0, minstret       # one instruction later: 1000
    nop
    nop
    csrr a1, minstret       # 1000 + 3
    csrr a2, instret
    rdcycle a3
    rdcycle a4
    ${EXIT}`);
  assert.equal(r.reg(A0), 1000);
  assert.equal(r.reg(A1), 1003);
  assert.equal(r.reg(A2), 1004);
  assert.equal(r.reg(A4) - r.reg(A3), 1);
});

test('LR/SC succeed on a reservation and fail without one; AMOs return the old value', () => {
  const r = runAsm(`
    la t0, word
    li t1, 5
    lr.w a0, (t0)           # 7
    sc.w a1, t1, (t0)       # succeeds: 0
    sc.w a2, t1, (t0)       # no reservation: 1
    li t1, 10
    amoadd.w a3, t1, (t0)   # old 5, now 15
    li t1, -20
    amomin.w a4, t1, (t0)   # old 15, now -20
    li t1, 3
    amomaxu.w a5, t1, (t0)  # old -20 (huge unsigned), stays
    lw a6, 0(t0)
    li t1, 0xff
    amoswap.w a7, t1, (t0)
    lw s2, 0(t0)
    ${EXIT}
    .data
    .align 2
  word: .word 7`);
  assert.equal(r.reg(A0), 7);
  assert.equal(r.reg(A1), 0);
  assert.equal(r.reg(A2), 1);
  assert.equal(r.reg(A3), 5);
  assert.equal(r.reg(A4), 15);
  assert.equal(r.reg(A5) | 0, -20);
  assert.equal(r.reg(A6) | 0, -20);
  assert.equal(r.reg(A7) | 0, -20);
  assert.equal(r.reg(18), 0xff);
});

test('self-modifying code: a store into an executed instruction takes effect without fence.i', () => {
  const r = runAsm(`
    li s2, 0
    li s3, 3
  again:
    jal ra, patched         # first call: a0 = 1; then it is rewritten to a0 = 42
    add s2, s2, a0
    la t0, patched
    li t1, 0x02a00513       # addi a0, zero, 42
    sw t1, 0(t0)
    addi s3, s3, -1
    bnez s3, again          # s2 = 1 + 42 + 42
    ${EXIT}
    .align 2
  patched:
    addi a0, zero, 1
    ret`, { march: 'rv32ima_zicsr' });
  assert.equal(r.reg(18), 85);
});

test('timer interrupt: mtime follows the step count; the handler runs, vectored mtvec honoured', () => {
  const r = runAsm(`
    la t0, vectors
    ori t0, t0, 1           # vectored mode
    csrw mtvec, t0
    li t0, 0x0200bff8
    lw t1, 0(t0)            # mtime now
    addi t1, t1, 50         # 50 ticks from now: 5000 steps
    li t0, 0x02004000
    sw t1, 0(t0)
    sw zero, 4(t0)
    li t0, 0x80
    csrs mie, t0            # MTIE
    csrsi mstatus, 8        # MIE
    li a0, 0
  spin:
    addi a0, a0, 1
    beqz a1, spin
    ${EXIT}
    .align 4
    .option push
    .option norvc           # vector entries are 4 bytes apart
  vectors:
    j bad                   # 0: exceptions
    .rept 6
    j bad
    .endr
    j timer                 # 7: machine timer
    .option pop
  bad:
    li a1, 99
    j .
  timer:
    li a1, 1
    csrr a2, mcause
    li t0, -1
    li t1, 0x02004000
    sw t0, 4(t1)            # push mtimecmp far away
    sw t0, 0(t1)
    mret`);
  assert.equal(r.reg(A1), 1);
  assert.equal(r.reg(A2), 0x80000007);
  // The interrupt came at step ~5000: the spin loop ran about (5000 - setup) / 2 times.
  assert.ok(r.reg(A0) > 2400 && r.reg(A0) < 2510, `spin count ${r.reg(A0)}`);
});

test('a guest whose trap handler itself faults is reported as stuck, not spun forever', () => {
  const r = runAsm(`
    csrw mtvec, zero        # handler at address 0: not memory
    .word 0                 # illegal instruction`);
  assert.equal(r.reason.kind, 'stuck');
  assert.match((r.reason as { message: string }).message, /instruction access fault/);
  assert.ok(r.machine.step < 10);
});

test('semihosting: console write, read and exit with status', () => {
  const r = runAsm(`
    li a0, 0x04             # SYS_WRITE0
    la a1, message
    .option push
    .option norvc
    slli zero, zero, 0x1f
    ebreak
    srai zero, zero, 7
    .option pop
    li a0, 0x07             # SYS_READC
    .option push
    .option norvc
    slli zero, zero, 0x1f
    ebreak
    srai zero, zero, 7
    .option pop
    mv s2, a0
    la a1, block
    li a0, 0x20             # SYS_EXIT_EXTENDED
    .option push
    .option norvc
    slli zero, zero, 0x1f
    ebreak
    srai zero, zero, 7
    .option pop
    j .
    .data
  message: .asciz "hello from semihosting\\n"
    .align 2
  block: .word 0x20026, 7`, { input: 'Z' });
  assert.equal(r.console.stdout, 'hello from semihosting\n');
  assert.equal(r.reg(18), 'Z'.charCodeAt(0));
  assert.deepEqual(r.reason, { kind: 'exit', code: 7, via: 'semihosting' });
});

test('a plain ebreak is a breakpoint exception with mtval = pc', () => {
  const r = runAsm(`
    la t0, handler
    csrw mtvec, t0
  here:
    ebreak
    .align 2
  handler:
    csrr a0, mcause
    csrr a1, mtval
    la a2, here
    ${EXIT}`);
  assert.equal(r.reg(A0), 3);
  assert.equal(r.reg(A1), r.reg(A2));
});

test('UART output and polled input', () => {
  const r = runAsm(`
    li t0, 0x10000000
  wait:
    lbu t1, 5(t0)           # LSR
    andi t1, t1, 1
    beqz t1, wait
    lbu a0, 0(t0)           # RBR
    addi a0, a0, 1
    sb a0, 0(t0)            # THR
    ${EXIT}`, { input: 'A' });
  assert.equal(r.console.stdout, 'B');
});

test('memory outside RAM and devices raises access faults with the address in mtval', () => {
  const r = runAsm(`
    la t0, handler
    csrw mtvec, t0
    li t1, 0x40000000
  bad:
    lw a0, 0(t1)
    .align 2
  handler:
    csrr a1, mcause
    csrr a2, mtval
    ${EXIT}`);
  assert.equal(r.reg(A1), 5);
  assert.equal(r.reg(A2), 0x40000000);
});

test('the step count is exact: one per instruction, one per trap taken', () => {
  const r = runAsm(`
    la t0, handler          # 2 instructions (auipc + addi)
    csrw mtvec, t0
    ecall                   # 1 step (the trap)
    .align 2
  handler:
    ${EXIT}`, { march: 'rv32ima_zicsr' });
  // la (2) + csrw (1) + ecall (1) + li (1) + li (2: lui+addi) + sw (1) = 8 steps to the exit.
  assert.equal(r.machine.step, 8);
});
