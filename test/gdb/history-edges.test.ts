/**
 * The edges of history and the monitor commands, through gdb-multiarch on examples/hello: "No more
 * reverse-execution history." at step 0 and at the end of the recording (the end is not an exit, so
 * the history stays navigable), QEMU's replay monitor commands, and `x` / `info registers` after a seek,
 * checked against a fresh machine run independently to the same step.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { exampleElf, recordToFile, startStub, Stub } from './stub-fixture';
import { mark, registerValue, runGdb, sections } from './gdb-batch';
import { DEFAULT_CONFIG, Machine } from '../../emulator/machine';
import { ScriptedOutside } from '../../emulator/outside';
import { parseElf } from '../../emulator/elf';

let stub: Stub;
before(async () => {
  stub = await startStub(recordToFile(exampleElf('hello')));
});
after(() => stub.close());

/** The machine after `steps` steps of hello, run on its own (no engine, no snapshots). */
function machineAt(steps: number): Machine {
  const m = new Machine(DEFAULT_CONFIG, new ScriptedOutside(), { write: () => undefined });
  m.loadProgram(parseElf(readFileSync(exampleElf('hello'))));
  m.semihosting.commandLine = 'hello.elf';
  m.run(steps);
  assert.equal(m.step, steps);
  return m;
}

test('at step 0, reverse-stepi and reverse-continue say "No more reverse-execution history."', async () => {
  const out = await runGdb(exampleElf('hello'), stub.port, [
    'monitor replay-seek 0', 'maintenance flush register-cache',
    mark('rsi'), 'reverse-stepi', 'info registers pc', mark('rc'), 'reverse-continue', 'info registers pc',
  ]);
  const s = sections(out);
  assert.match(s.get('rsi')!, /No more reverse-execution history\./, out);
  assert.equal(registerValue(s.get('rsi')!, 'pc'), 0x80000000);
  assert.match(s.get('rc')!, /No more reverse-execution history\./, out);
  assert.equal(stub.engine.step, 0);
});

test('continue to the end: gdb is told the history ends (not that the program exited) and can go back', async () => {
  const last = stub.engine.lastStep;
  const out = await runGdb(exampleElf('hello'), stub.port, [
    'monitor replay-seek 0', 'maintenance flush register-cache',
    mark('end'), 'continue', 'monitor info replay', mark('back'), 'reverse-stepi', 'monitor info replay', 'stepi', 'stepi',
  ]);
  const s = sections(out);
  assert.match(s.get('end')!, /the program exited with status 0/);
  assert.match(s.get('end')!, /No more reverse-execution history\./);
  assert.doesNotMatch(out, /exited (normally|with code)/, 'no W packet: gdb would forget the process');
  assert.match(s.get('end')!, new RegExp(`instruction count = ${last}\\b`));
  assert.match(s.get('back')!, new RegExp(`instruction count = ${last - 1}\\b`));
  assert.match(s.get('back')!, /No more reverse-execution history\./, 'the second stepi meets the end again');
});

test('monitor commands answer like QEMU\'s, with the errors documented in the README', async () => {
  const last = stub.engine.lastStep;
  const out = await runGdb(exampleElf('hello'), stub.port, [
    'monitor replay-seek 1000', 'maintenance flush register-cache',
    mark('info'), 'monitor info replay',
    mark('break'), 'monitor replay-break 5000', 'monitor replay-break 5000', 'monitor replay-break 10', `monitor replay-break ${last + 1}`,
    'monitor replay-break soon', 'monitor info replay',
    mark('continue'), 'continue', 'monitor info replay', 'reverse-continue', 'monitor info replay',
    mark('delete'), 'monitor replay-delete-break 10', 'monitor replay-delete-break 10', 'monitor replay-delete-break', 'monitor replay-delete-break',
    mark('other'), 'monitor replay-seek', `monitor replay-seek ${last + 5}`, 'monitor frobnicate', 'monitor info registers',
  ]);
  const s = sections(out);
  assert.match(s.get('info')!, new RegExp(`^Replaying execution '[^']+\\.rewind': instruction count = 1000\\nthe recording ends at step ${last}\\nstep breakpoints: none$`, 'm'));
  const b = s.get('break')!;
  assert.match(b, /^step breakpoint at step 5,000$/m);
  assert.match(b, /^there is already a step breakpoint at step 5,000$/m);
  assert.match(b, /^step breakpoint at step 10 \(in the past: reverse-continue stops there\)$/m);
  assert.match(b, new RegExp(`^error: cannot go to step ${(last + 1).toLocaleString('en-US')}: the recording ends at step ${last.toLocaleString('en-US')}$`, 'm'));
  assert.match(b, /^error: "soon" is not a step/m);
  assert.match(b, /^step breakpoints: 10, 5000$/m);
  const c = s.get('continue')!;
  assert.match(c, /Rewind: stopped at step breakpoint 5000/);
  assert.match(c, /instruction count = 5000\n[^]*Rewind: stopped at step breakpoint 10\n[^]*instruction count = 10\n/);
  const d = s.get('delete')!;
  assert.match(d, /^deleted the step breakpoint at step 10$/m);
  assert.match(d, /^error: there is no step breakpoint at step 10$/m);
  assert.match(d, /^deleted 1 step breakpoint$/m);
  assert.match(d, /^there are no step breakpoints to delete$/m);
  const o = s.get('other')!;
  assert.match(o, /^error: a step is needed: monitor replay-seek STEP$/m);
  assert.match(o, /^error: cannot go to step [\d,]+: the recording ends at step/m);
  assert.match(o, /^error: unknown monitor command "frobnicate"$/m);
  assert.match(o, /^error: unknown info command "registers"; try: monitor info replay$/m);
});

test('after monitor replay-seek, x and info registers show the machine at that step', async () => {
  const step = 12_345;
  const expected = machineAt(step);
  const sp = expected.x[2] >>> 0;
  const out = await runGdb(exampleElf('hello'), stub.port, [
    `monitor replay-seek ${step}`, 'maintenance flush register-cache',
    mark('regs'), 'info registers', 'info registers mstatus mcause mepc priv',
    mark('mem'), `x/8xw ${sp}`,
  ]);
  const s = sections(out);
  const regs = s.get('regs')!;
  assert.equal(registerValue(regs, 'pc'), expected.pc >>> 0);
  for (const [name, n] of [['ra', 1], ['sp', 2], ['gp', 3], ['a0', 10], ['a1', 11], ['a5', 15], ['s0|fp', 8]] as const) {
    assert.equal(registerValue(regs, name), expected.x[n] >>> 0, `register ${name}`);
  }
  assert.equal(registerValue(regs, 'mstatus'), expected.csr.mstatus >>> 0);
  assert.equal(registerValue(regs, 'priv'), 3);
  const words = [...s.get('mem')!.matchAll(/0x([0-9a-f]{8})(?=\s|$)/g)].map((m) => parseInt(m[1], 16));
  const view = new DataView(expected.peek(sp, 32).buffer);
  assert.deepEqual(words.slice(-8), Array.from({ length: 8 }, (_, i) => view.getUint32(i * 4, true)), s.get('mem'));
});
