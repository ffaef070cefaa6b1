/**
 * "When did this last change?" for registers, CSRs and CSR fields (debugger/last-change.ts), checked
 * against stepping forward one instruction at a time: at the step found the value changes, and from
 * the step after it to where the search began it stays what it is now.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseElf } from '../../emulator/elf';
import { ReplayEngine } from '../../emulator/replay/engine';
import { Debugger } from '../../debugger/debugger';
import { evaluateExpression } from '../../debugger/expressions/evaluate';
import { formatValue } from '../../debugger/values/format';
import { example, Program } from './programs';
import { record } from './record';

function open(program: Program): Debugger {
  return Debugger.open(new ReplayEngine(record(program).recording, { snapshotInterval: 5_000 }), program.elf, program.name).debugger;
}

const valueOf = (core: Debugger, expression: string): string => formatValue(core.valueContext(), evaluateExpression(core.valueContext(), expression));

/** Steps forward from `change` to `until` and checks the value changes at `change` only. */
async function checkLastChange(core: Debugger, expression: string, change: number, until: number, now: string): Promise<void> {
  await core.seek(change);
  const before = valueOf(core, expression);
  await core.stepInstruction('forward');
  assert.notEqual(valueOf(core, expression), before, `${expression} changes at step ${change}`);
  for (let step = change + 1; step <= until; step++) {
    if (step > change + 1) await core.stepInstruction('forward');
    assert.equal(valueOf(core, expression), now, `${expression} at step ${step}`);
  }
}

/** Steps to the first execution of `name`'s entry (a function breakpoint's place). */
async function toFunction(core: Debugger, program: Program, name: string, nth = 1): Promise<void> {
  const entry = parseElf(program.elf).symbol(name)!.value;
  for (let i = 0; i < nth; i++) await core.run('forward', { breakpoints: [{ id: 1, kind: 'function', addresses: [entry] }] });
  assert.equal(core.pc, entry);
}

test('$sp and $a0 in bug.c: the last instruction before now that changed each', async () => {
  const bug = example('bug');
  const core = open(bug);
  await toFunction(core, bug, 'post', 3);
  const from = core.step;
  for (const expression of ['$sp', '$a0']) {
    await core.seek(from);
    const now = valueOf(core, expression);
    const stop = await core.lastChange(expression);
    assert.ok(stop.step < from, `${expression}: step ${stop.step} before ${from}`);
    assert.equal(stop.change?.before, valueOf(core, expression), 'the position is before the change');
    assert.match(stop.description, new RegExp(`^\\${expression} last changed at step [\\d,]+: .+ → .+ \\(at .+\\)$`));
    await checkLastChange(core, expression, stop.step, from, now);
  }
});

test('a CSR field in the timer example: MIE was cleared by the trap into the handler', async () => {
  const timer = example('timer');
  const core = open(timer);
  await toFunction(core, timer, 'timer_trap', 2);
  const from = core.step;
  const mie = '($mstatus >> 3) & 1';
  assert.equal(valueOf(core, mie), '0');
  const stop = await core.lastChange(mie);
  assert.deepEqual(stop.change, { before: '1', after: '0' });
  await checkLastChange(core, mie, stop.step, from, '0');
});

test('what has no last change to find says why, and the position stays', async () => {
  const bug = example('bug');
  const core = open(bug);
  await toFunction(core, bug, 'post');
  const from = core.step;
  await assert.rejects(core.lastChange('$pc'), /changes at every step/);
  await assert.rejects(core.lastChange('$mcycle'), /counts steps or time/);
  await assert.rejects(core.lastChange('$mip'), /devices set its pending bits/);
  await assert.rejects(core.lastChange('bank'), /reads no register.*Go to Last Write/);
  // gp is set at the start (auipc, then addi): going back change by change ends at the start of the recording.
  const changes: number[] = [];
  for (;;) {
    try {
      changes.push((await core.lastChange('$gp')).step);
    } catch (e) {
      assert.match((e as Error).message, /^\$gp has been 0 since the start of the recording: it did not change before step [\d,]+$/);
      break;
    }
  }
  assert.ok(changes.length === 2 && changes[0] > changes[1] && changes[0] < 10, `gp changed at steps ${changes.join(', ')}`);
  assert.equal(core.step, changes[1], 'the position stays where the failed search began');
  assert.notEqual(core.step, from);
});
