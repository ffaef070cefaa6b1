/**
 * The 64-bit counters (mcycle, minstret, and mtime through the CLINT) are exact: they carry into the
 * high half and wrap at 2^64 as hardware does, a write to either half reads back exactly (the writing
 * instruction does not count itself), and mcountinhibit stops them. Expected values follow the
 * privileged spec by hand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXIT, runAsm } from '../support/run-asm';

const A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15;

test('minstret wraps from 2^64 - 1 to 0, and minstreth carries', () => {
  const r = runAsm(`
    li t0, -1
    csrw minstreth, t0      # minstret = 0xffffffff_xxxxxxxx after this instruction
    li t1, -3
    csrw minstret, t1       # 0xffffffff_fffffffd once this instruction retired
    csrr a0, minstreth      # reads at 0x..fffd (it counts after reading): 0xffffffff
    csrr a1, minstret       # 0xfffffffe
    csrr a2, minstret       # 0xffffffff
    csrr a3, minstret       # wrapped: 0
    csrr a4, minstreth      # 0
    ${EXIT}`);
  assert.equal(r.reg(A0), 0xffffffff);
  assert.equal(r.reg(A1), 0xfffffffe);
  assert.equal(r.reg(A2), 0xffffffff);
  assert.equal(r.reg(A3), 0);
  assert.equal(r.reg(A4), 0);
});

test('a write to minstreth suppresses the writing instruction\'s own increment (no carry from it)', () => {
  const r = runAsm(`
    li t0, -1
    csrw minstret, t0       # 0x00000000_ffffffff once it retired
    csrw minstreth, zero    # its own increment would carry into the high half: it must not count
    csrr a0, minstret       # still 0xffffffff
    csrr a1, minstreth      # the read above counted: now 0x00000001_00000000
    csrr a2, minstret       # 1
    ${EXIT}`);
  assert.equal(r.reg(A0), 0xffffffff);
  assert.equal(r.reg(A1), 1);
  assert.equal(r.reg(A2), 1);
});

test('mcycle carries into mcycleh past 2^32 and keeps counting through 2^53', () => {
  const r = runAsm(`
    li t0, 0x00200000
    csrw mcycleh, t0        # 2^53 as the high half: a JavaScript number would lose the low bits here
    li t1, -2
    csrw mcycle, t1
    csrr a0, mcycle         # 0xfffffffe
    csrr a1, mcycle         # 0xffffffff
    csrr a2, mcycle         # 0
    csrr a3, mcycleh        # 0x00200001
    ${EXIT}`);
  assert.equal(r.reg(A0), 0xfffffffe);
  assert.equal(r.reg(A1), 0xffffffff);
  assert.equal(r.reg(A2), 0);
  assert.equal(r.reg(A3), 0x00200001);
});

test('mcountinhibit stops mcycle and minstret; clearing it goes on from the held value', () => {
  const r = runAsm(`
    csrw minstret, zero
    csrwi mcountinhibit, 5  # CY and IR stop once this instruction retired (it counts: 1)
    csrr a0, minstret
    nop
    nop
    csrr a1, minstret       # the same value
    csrr t2, mcycle
    nop
    csrr t3, mcycle
    sub a2, t3, t2          # 0
    csrwi mcountinhibit, 0  # retires while still inhibited: it does not count
    csrr a3, minstret       # the held value
    csrr a4, minstret       # one more
    csrr a5, mcountinhibit  # bit 1 (TM) is read-only zero
    ${EXIT}`);
  assert.equal(r.reg(A0), 1);
  assert.equal(r.reg(A1), 1);
  assert.equal(r.reg(A2), 0);
  assert.equal(r.reg(A3), 1);
  assert.equal(r.reg(A4), 2);
  assert.equal(r.reg(A5), 0);
});

test('CLINT mtime wraps at 2^64, and the timer interrupt follows the 64-bit unsigned comparison', () => {
  const r = runAsm(`
    li t0, 0x0200bff8       # mtime
    li t1, -1
    sw t1, 4(t0)            # mtime high half: 0xffffffff
    sw t1, 0(t0)            # low half: 0xffffffff (it ticks every 100 steps)
    lw a0, 4(t0)            # 0xffffffff
    li t2, 0x02004000       # mtimecmp = 0xffffffff_ffffffff: pending now, until mtime wraps
    sw t1, 4(t2)
    sw t1, 0(t2)
    csrr a1, mip            # MTIP set
    li t3, 200
1:  addi t3, t3, -1         # wait past the next tick
    bnez t3, 1b
    lw a2, 4(t0)            # wrapped: 0
    csrr a3, mip            # MTIP clear: mtime (small) < mtimecmp (huge)
    csrr a4, time
    csrr a5, timeh
    ${EXIT}`);
  assert.equal(r.reg(A0), 0xffffffff);
  assert.equal(r.reg(A1) & 0x80, 0x80);
  assert.equal(r.reg(A2), 0);
  assert.equal(r.reg(A3) & 0x80, 0);
  assert.ok(r.reg(A4) < 10, `time ${r.reg(A4)}`);
  assert.equal(r.reg(A5), 0);
});
