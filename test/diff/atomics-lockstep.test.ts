/**
 * The A extension and self-modifying code against QEMU, register by register: test/privileged's
 * atomics.elf (every AMO, LR/SC with and without a reservation, a spin lock) and fence_i.elf (code
 * copied, patched by word and by halfword in a hot loop, and run after fence.i) agree with QEMU's
 * register dump before every instruction of the whole program. (machine_traps.elf and
 * machine_interrupts.elf part from QEMU 7.2 where the spec leaves a choice or QEMU departs from it:
 * ebreak's mtval, misaligned AMO and SC causes, misa's F, D and H, minstret over traps, `wfi`.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { newMachine, runOnRewind } from './rewind-run';
import { lockstep } from './lockstep';
import { qemuTrace } from '../support/qemu';

const DIR = join(__dirname, '..', '..', '..', 'test', 'privileged');

for (const name of ['atomics', 'fence_i']) {
  test(`${name}.elf: registers equal QEMU's before each instruction, to its end`, async () => {
    const elf = join(DIR, `${name}.elf`);
    const whole = runOnRewind(elf, '');
    assert.deepEqual(whole.reason, { kind: 'exit', code: 0, via: 'test-finisher' });
    const { machine } = newMachine(elf, '');
    const trace = await qemuTrace(elf, machine.pc, whole.steps + 10);
    machine.step = trace.before;
    const result = lockstep(machine, trace.trace);
    assert.equal(result.mismatch, undefined);
    assert.equal(result.compared + result.repeatedRecords, trace.trace.length);
    assert.ok(trace.trace.length >= whole.steps - 1, `only ${trace.trace.length} of ${whole.steps} instructions traced`);
  });
}
