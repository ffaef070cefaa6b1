/**
 * Differential test, instruction by instruction: for the first 100,000 instructions of every example,
 * Rewind's pc, x1..x31 and machine CSRs (mstatus, mip, mie, mtvec, mepc, mcause, mtval, mscratch) equal
 * QEMU's before every instruction (QEMU's `-singlestep -d nochain,exec,cpu` trace; lockstep.ts says how
 * the two are aligned). Each example is traced once; the same trace then checks a second run that goes
 * through Rewind's fast path (whole basic blocks, compiled when hot) in slices that end mid-block.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { EXAMPLES, Example } from './examples';
import { newMachine } from './rewind-run';
import { BOOT_ROM_REGISTERS, differences, lockstep, LockstepResult } from './lockstep';
import { qemuTrace, QemuTrace, TraceRecord } from '../support/qemu';

const STEPS = 100_000;
/** Not a divisor of any block length pattern: the slices end at ever different places inside blocks. */
const SLICE_RECORDS = 997;

interface Traced { trace: QemuTrace<TraceRecord[]>; lockstep: LockstepResult }
const traced = new Map<string, Traced>();

/**
 * QEMU's clock under `-icount` counts the instructions of its reset ROM too; Rewind's step counter
 * starts at that count, so that mtime, mcycle and minstret read the same on both.
 */
function machineLikeQemu(example: Example, romInstructions: number): ReturnType<typeof newMachine>['machine'] {
  const { machine } = newMachine(example.elf, example.input);
  machine.step = romInstructions;
  return machine;
}

before(async () => {
  for (const example of EXAMPLES) {
    const entry = newMachine(example.elf, example.input).machine.pc;
    const trace = await qemuTrace(example.elf, entry, STEPS, example.input);
    traced.set(example.name, { trace, lockstep: lockstep(machineLikeQemu(example, trace.before), trace.trace) });
  }
});

for (const example of EXAMPLES) {
  test(`${example.name}: registers equal QEMU's before each of the first ${STEPS.toLocaleString('en-US')} instructions`, () => {
    const { trace, lockstep: result } = traced.get(example.name)!;
    assert.equal(trace.before, 6, 'QEMU ran its 6-instruction reset ROM before the entry');
    assert.equal(result.mismatch, undefined);
    // Every record was compared (or skipped as QEMU's own repeat): the whole trace, to its end.
    assert.equal(result.compared + result.repeatedRecords, trace.trace.length);
    assert.ok(trace.trace.length === STEPS || newMachine(example.elf, example.input).machine.run(STEPS).kind === 'exit',
      `the trace has ${trace.trace.length} records: the program must have ended before ${STEPS} steps`);
  });

  test(`${example.name}: the fast path (whole blocks, compiled code) reaches the same states`, () => {
    const { trace, lockstep: result } = traced.get(example.name)!;
    const machine = machineLikeQemu(example, trace.before);
    for (const r of BOOT_ROM_REGISTERS) machine.x[r] = trace.trace[0].x[r] | 0;
    let checked = 0;
    for (let k = SLICE_RECORDS; k < result.steps.length; k += SLICE_RECORDS) {
      machine.run(result.steps[k] - machine.step, true, false);
      const record = trace.trace[result.recordIndex[k]];
      const diff = differences(machine, record);
      checked++;
      // a0 after SYS_WRITEC/SYS_WRITE0 is undefined by the semihosting spec (see lockstep.ts).
      if (diff.length === 1 && record.x[10] === 0xdeadbeef && diff[0].startsWith('x10/')) {
        machine.x[10] = record.x[10] | 0;
        continue;
      }
      assert.deepEqual(diff, [], `at step ${result.steps[k]}`);
    }
    assert.equal(checked, Math.floor((result.steps.length - 1) / SLICE_RECORDS));
  });
}
