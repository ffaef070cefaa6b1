/**
 * Breakpoints of every kind, honoured forwards and backwards: conditions, hit counts (counted from the
 * start of the recording, so the same in both directions), logpoints, lines moved to code, function and
 * instruction breakpoints, and exception filters on traps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { DebugProtocol } from '@vscode/debugprotocol';
import { writeFileSync } from 'node:fs';
import { BUG_C, EXAMPLES, evaluate, info, launchAndStop, lineOf, markerLine, record, scratch, startClient, topFrame, travel } from './fixture';
import { assemble } from '../support/toolchain';
import { DebugClient } from '@vscode/debugadapter-testsupport';

const CORRUPT = markerLine(BUG_C, 'BP_CORRUPT');

async function session<T>(elf: string, body: (dc: DebugClient) => Promise<T>, sourceRoot = dirname(BUG_C)): Promise<T> {
  const dc = await startClient();
  try {
    const stop = await launchAndStop(dc, { recording: record(elf), stopOnEntry: true, sourceRoot });
    assert.equal(stop.body.reason, 'entry');
    assert.equal((await info(dc)).step, 0);
    return await body(dc);
  } finally {
    await dc.stop();
  }
}

const amount = async (dc: DebugClient): Promise<string> => evaluate(dc, 'amount', (await topFrame(dc)).id);
const cont = (dc: DebugClient) => travel(dc, () => dc.continueRequest({ threadId: 1 }));
const back = (dc: DebugClient) => travel(dc, () => dc.reverseContinueRequest({ threadId: 1 }));

test('a hit count selects executions counted from the start of the recording, in both directions', () => session('bug/bug.elf', async (dc) => {
  const set = await dc.setBreakpointsRequest({ source: { path: BUG_C }, breakpoints: [{ line: CORRUPT, hitCondition: '% 5' }] });
  assert.equal(set.body.breakpoints[0].verified, true);
  let stop = await cont(dc);
  assert.equal(stop.body.reason, 'breakpoint');
  assert.deepEqual(stop.body.hitBreakpointIds, [set.body.breakpoints[0].id]);
  assert.equal(await amount(dc), '-20'); // the 5th posting: Bob -20
  await cont(dc);
  assert.equal(await amount(dc), '-50'); // the 10th: Dave -50
  stop = await back(dc);
  assert.equal(stop.body.reason, 'breakpoint');
  assert.equal(await amount(dc), '-20');
  await dc.setBreakpointsRequest({ source: { path: BUG_C }, breakpoints: [{ line: CORRUPT, hitCondition: '11' }] });
  await cont(dc);
  assert.equal(await amount(dc), '-35'); // the 11th: Alice's fifth posting, the stray write
  assert.equal(await evaluate(dc, 'a->owner', (await topFrame(dc)).id), '"alice"');
}));

test('a condition is evaluated at each hit, forwards and backwards', () => session('bug/bug.elf', async (dc) => {
  await dc.setBreakpointsRequest({ source: { path: BUG_C }, breakpoints: [{ line: CORRUPT, condition: 'amount < 0 && a == &bank.accounts[3]' }] });
  await cont(dc);
  assert.equal(await amount(dc), '-50');
  const first = (await info(dc)).step;
  await cont(dc);
  assert.equal(await amount(dc), '-20');
  await back(dc);
  assert.equal(await amount(dc), '-50');
  assert.equal((await info(dc)).step, first);
  const start = await back(dc);
  assert.equal(start.body.description, 'start of recording');
  assert.equal((await info(dc)).step, 0);
}));

test('a logpoint prints its message with values and does not stop', () => session('bug/bug.elf', async (dc) => {
  const logged: string[] = [];
  dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.category === 'console') logged.push(e.body.output); });
  await dc.setBreakpointsRequest({ source: { path: BUG_C }, breakpoints: [{ line: CORRUPT, logMessage: 'posting {amount} to {a->owner}' }] });
  const stop = await cont(dc);
  assert.match(stop.body.description!, /^exited with status 1$/);
  const lines = logged.join('').split('\n').filter((l) => l.startsWith('posting'));
  assert.equal(lines.length, 16);
  assert.equal(lines[0], 'posting 500 to "alice"');
  assert.equal(lines[10], 'posting -35 to "alice"');
}));

test('line breakpoints move to the next line with code; lines without code are unverified', () => session('bug/bug.elf', async (dc) => {
  const blank = lineOf(BUG_C, '/* Remembers `amount`');
  const set = await dc.setBreakpointsRequest({ source: { path: BUG_C }, breakpoints: [{ line: blank }, { line: 10_000 }] });
  const [moved, nowhere] = set.body.breakpoints;
  assert.equal(moved.verified, true);
  assert.ok(moved.line! > blank && moved.line! <= CORRUPT, `moved to a line of remember, got ${moved.line}`);
  assert.equal(nowhere.verified, false);
  assert.match(nowhere.message!, /no code for line 10000/);
  const stop = await cont(dc);
  assert.equal(stop.body.reason, 'breakpoint');
  assert.equal((await topFrame(dc)).name, 'remember');
}));

test('function and instruction breakpoints stop in both directions', () => session('bug/bug.elf', async (dc) => {
  const fb = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'audit' }, { name: 'no_such_function' }] });
  assert.equal(fb.body.breakpoints[0].verified, true);
  assert.equal(fb.body.breakpoints[1].verified, false);
  let stop = await cont(dc);
  assert.equal(stop.body.reason, 'function breakpoint');
  const frame = await topFrame(dc);
  assert.equal(frame.name, 'audit');
  const auditStep = (await info(dc)).step;
  await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
  const ib = await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: frame.instructionPointerReference! }] }) as DebugProtocol.SetInstructionBreakpointsResponse;
  assert.equal(ib.body.breakpoints[0].verified, true);
  await travel(dc, () => dc.customRequest('rewind/seek', { step: 0 }));
  stop = await cont(dc);
  assert.equal(stop.body.reason, 'instruction breakpoint');
  assert.equal((await info(dc)).step, auditStep);
  await cont(dc); // to the end
  stop = await back(dc);
  assert.equal(stop.body.reason, 'instruction breakpoint');
  assert.equal((await info(dc)).step, auditStep);
}));

test('exception filters stop on traps (environment calls) in both directions', () => session('startup/startup.elf', async (dc) => {
  const bad = await dc.setExceptionBreakpointsRequest({ filters: ['nonsense'] }).then(() => undefined, (e: Error) => e.message);
  assert.match(bad ?? '', /unknown exception filter nonsense/);
  await dc.setExceptionBreakpointsRequest({ filters: ['ecall'] });
  const steps: number[] = [];
  for (let i = 0; i < 3; i++) {
    const stop = await cont(dc);
    assert.equal(stop.body.reason, 'exception');
    assert.match(stop.body.description!, /environment call from M-mode/);
    steps.push((await info(dc)).step);
  }
  const end = await cont(dc);
  assert.match(end.body.description!, /^exited \(0x5555, pass\)$/);
  const stop = await back(dc);
  assert.equal(stop.body.reason, 'exception');
  // Backwards, the stop is before the ecall; forwards it was just after it.
  assert.equal((await info(dc)).step, steps[2] - 1);
}, join(EXAMPLES, 'startup')));

test('the access fault filter stops on a bad pointer (a load where nothing is mapped)', async () => {
  // The trap handler ends the run with status 1: without the filter the run ends there.
  const elf = join(scratch(), 'bad-pointer.elf');
  writeFileSync(elf, assemble(`
    la t0, handler
    csrw mtvec, t0
    li t0, 0x40000000
    lw t1, 0(t0)
  handler:
    li t6, 0x100000
    li t5, 0x13333
    sw t5, 0(t6)
  1: j 1b
  `));
  const dc = await startClient();
  try {
    await launchAndStop(dc, { program: elf, recordingPath: join(scratch(), 'bad-pointer.rewind'), stopOnEntry: true });
    await dc.setExceptionBreakpointsRequest({ filters: ['access'] });
    const stop = await cont(dc);
    assert.equal(stop.body.reason, 'exception');
    assert.match(stop.body.description!, /load access fault/);
    assert.match((await cont(dc)).body.description!, /^exited \(0x13333/);
  } finally {
    await dc.stop();
  }
});
