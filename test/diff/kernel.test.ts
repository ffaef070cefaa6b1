/**
 * The kernel example against QEMU: the same console output (two U-mode tasks switched by the timer,
 * printing through system calls), and, instruction by instruction, the same registers up to the first
 * timer interrupt: M-mode boot, the S-mode kernel turning paging on, its SBI call to M-mode (ecall,
 * mret), `sret` into the first task, and that task's system call (ecall from U-mode, the kernel's trap
 * entry, `sret` back). From the first interrupt on, the instruction streams part: QEMU takes a timer
 * interrupt a few instructions after its deadline (timer-interrupt.test.ts), Rewind exactly at it. The
 * kernel ends its time slices on a fixed grid of timer ticks, so that its output does not depend on that.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseElf } from '../../emulator/elf';
import { readFileSync } from 'node:fs';
import { EXAMPLES_DIR } from './examples';
import { newMachine, runOnRewind } from './rewind-run';
import { lockstep } from './lockstep';
import { qemuTrace, runOnQemu } from '../support/qemu';

const KERNEL = join(EXAMPLES_DIR, 'kernel', 'kernel.elf');
/** QEMU's reset ROM runs 6 instructions before the entry; its clock counts them. */
const ROM = 6;

test('kernel: QEMU prints the same', () => {
  const rewind = runOnRewind(KERNEL, '');
  assert.deepEqual(rewind.reason, { kind: 'exit', code: 0, via: 'test-finisher' });
  assert.match(rewind.output, /counter: 5\n[^]*primes found: 168\n[^]*kernel: all tasks exited\n$/);
  const qemu = runOnQemu(KERNEL, '', 30_000);
  assert.equal(qemu.timedOut, false);
  assert.equal(qemu.status, 0);
  assert.equal(qemu.output, rewind.output);
});

test('kernel: registers equal QEMU\'s before each instruction up to the first timer interrupt', async () => {
  // Where Rewind takes its first interrupt (the machine timer, in U-mode).
  const probe = newMachine(KERNEL, '').machine;
  probe.step = ROM;
  probe.setTrapStops([0x80000007]);
  assert.equal(probe.run(1_000_000).kind, 'trap');
  const instructions = probe.step - 1 - ROM;

  const { machine } = newMachine(KERNEL, '');
  const trace = await qemuTrace(KERNEL, machine.pc, instructions);
  assert.equal(trace.before, ROM);
  machine.step = trace.before;
  const result = lockstep(machine, trace.trace);
  assert.equal(result.mismatch, undefined);
  assert.equal(result.compared + result.repeatedRecords, instructions);

  // The compared stretch went through what the example is for.
  const symbols = parseElf(readFileSync(KERNEL));
  const at = (name: string): number => symbols.symbol(name)!.value;
  const pcs = new Set(trace.trace.map((r) => r.pc));
  for (const name of ['kernel_main', 'return_to_user', 'counter_task', 'supervisor_trap', 'trap', 'machine_trap']) {
    assert.ok(pcs.has(at(name)), `the instructions compared include ${name}`);
  }
  assert.equal(machine.privilege, 0, 'the interrupt comes in U-mode');
});
