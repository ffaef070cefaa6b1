/**
 * The command line stops a program that can never go on: a jump to itself, and also a branch to itself
 * whose condition cannot change (`beqz gp, .`, where a riscv-tests program parks with TESTNUM 0), unless
 * an interrupt can still come.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runAsm } from '../support/run-asm';
import { endlessLoop } from '../../cli/endless-loop';

test('beqz gp, . with gp = 0 is endless; the message names the branch', () => {
  const r = runAsm(`
    li gp, 0
    beqz gp, .`, { maxSteps: 1000 });
  assert.equal(r.reason.kind, 'limit');
  assert.match(endlessLoop(r.machine) ?? '', /^the program branches to itself forever at pc 0x800000\w\w \(step 1,000\) on a condition that cannot change \(beqz? gp,/);
});

test('a branch to itself whose condition is false now, and jalr to itself, are told apart', () => {
  const falls = runAsm(`
    li t0, 5
    li t1, 6
    bgeu t0, t1, .          # not taken: the program goes on
    j .`, { maxSteps: 2 });
  assert.equal(endlessLoop(falls.machine), undefined, 'at the branch, which falls through');
  const jumps = runAsm(`
    auipc t0, 0
    jalr zero, 0(t0)`, { maxSteps: 1000 });
  assert.equal(endlessLoop(jumps.machine), undefined, 'jalr goes back to auipc: not a jump to itself');
  const self = runAsm(`
    la t0, 1f
1:  jalr ra, 0(t0)`, { maxSteps: 1000 });
  assert.match(endlessLoop(self.machine) ?? '', /jumps to itself forever/);
});

test('with the timer interrupt enabled a self-branch is not endless: the interrupt can take it out', () => {
  const r = runAsm(`
    li t0, 0x80
    csrs mie, t0
    csrsi mstatus, 8
    li gp, 0
    li t1, 0x02004004       # mtimecmp far away: the interrupt is enabled but never comes here
    li t2, -1
    sw t2, 0(t1)
    beqz gp, .`, { maxSteps: 1000 });
  assert.equal(endlessLoop(r.machine), undefined);
});
