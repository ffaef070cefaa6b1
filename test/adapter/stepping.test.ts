/**
 * Statement and instruction stepping in both directions on bug.elf: next steps over calls, step in
 * enters them after the prologue, step out returns; step back is reverse-next in the frame, reverse
 * step in/out and restart frame travel back into callees, to call sites and to frame entries.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { BUG_C, info, launchAndStop, lineOf, markerLine, record, startClient, topFrame, travel } from './fixture';

let dc: DebugClient;
let mainStep: number;
const MAIN = markerLine(BUG_C, 'BP_MAIN');
const LOOP = lineOf(BUG_C, 'for (uint32_t i = 0; i < JOURNAL_LEN');
const POST_CALL = lineOf(BUG_C, 'post(&bank, &journal[i]);');
const POST_FIRST = lineOf(BUG_C, 'struct account *a = &l->accounts[p->account];');
const POST_ENTRY = lineOf(BUG_C, 'static void post(') + 1;

async function where(): Promise<{ name: string; line: number; step: number }> {
  const f = await topFrame(dc);
  return { name: f.name, line: f.line, step: (await info(dc)).step };
}
const step = (send: () => Promise<unknown>) => travel(dc, send);

before(async () => {
  dc = await startClient();
  await launchAndStop(dc, { recording: record('bug/bug.elf'), sourceRoot: dirname(BUG_C) },
    () => dc.setBreakpointsRequest({ source: { path: BUG_C }, breakpoints: [{ line: MAIN }] }));
  mainStep = (await where()).step;
  await dc.setBreakpointsRequest({ source: { path: BUG_C }, breakpoints: [] });
});
after(() => dc.stop());

test('next steps over a call; step back returns to the start of that line', async () => {
  let stop = await step(() => dc.nextRequest({ threadId: 1 }));
  assert.equal(stop.body.reason, 'step');
  assert.match(stop.body.description!, /^Step [\d,]+$/);
  const afterNext = await where();
  assert.deepEqual([afterNext.name, afterNext.line], ['main', LOOP]);
  assert.ok(afterNext.step - mainStep > 100, 'open_bank ran in between');
  stop = await step(() => dc.stepBackRequest({ threadId: 1 }));
  assert.equal(stop.body.reason, 'step');
  assert.deepEqual(await where(), { name: 'main', line: MAIN, step: mainStep });
});

test('step in stops on the callee\'s first body line; step out returns to the caller', async () => {
  await step(() => dc.stepInRequest({ threadId: 1 }));
  const inside = await where();
  assert.equal(inside.name, 'open_bank');
  assert.ok(inside.line > lineOf(BUG_C, 'static void open_bank('), `past the prologue, got line ${inside.line}`);
  await step(() => dc.stepOutRequest({ threadId: 1 }));
  const back = await where();
  assert.equal(back.name, 'main');
  // The return address is the first instruction of the loop's initialisation.
  assert.equal(back.line, LOOP);
  assert.ok(back.step > inside.step);
});

test('stepping back through post(): the previous line, the entry, then the call site', async () => {
  await step(() => dc.nextRequest({ threadId: 1 })); // to the call of post
  assert.equal((await where()).line, POST_CALL);
  const callStep = (await where()).step;
  await step(() => dc.stepInRequest({ threadId: 1 }));
  const first = await where();
  assert.deepEqual([first.name, first.line], ['post', POST_FIRST]);
  await step(() => dc.nextRequest({ threadId: 1 }));
  const second = await where();
  assert.equal(second.line, POST_FIRST + 1);
  await step(() => dc.stepBackRequest({ threadId: 1 }));
  assert.deepEqual(await where(), first);
  await step(() => dc.stepBackRequest({ threadId: 1 }));
  const entry = await where();
  assert.deepEqual([entry.name, entry.line], ['post', POST_ENTRY]);
  await step(() => dc.stepBackRequest({ threadId: 1 }));
  const call = await where();
  assert.deepEqual([call.name, call.line], ['main', POST_CALL]);
  assert.equal(call.step, entry.step - 1, 'the call instruction is the step before the entry');
  assert.ok(call.step >= callStep);
});

test('reverse step out goes to the call site; reverse step in enters the callee at its last line', async () => {
  const remember = markerLine(BUG_C, 'BP_CORRUPT');
  await dc.setBreakpointsRequest({ source: { path: BUG_C }, breakpoints: [{ line: remember }] });
  await step(() => dc.continueRequest({ threadId: 1 }));
  await dc.setBreakpointsRequest({ source: { path: BUG_C }, breakpoints: [] });
  const inRemember = await where();
  assert.equal(inRemember.name, 'remember');
  let stop = await step(() => dc.customRequest('rewind/reverseStepOut', { threadId: 1 }));
  assert.equal(stop.body.reason, 'step');
  const site = await where();
  assert.deepEqual([site.name, site.line], ['post', lineOf(BUG_C, 'remember(a, p->amount);')]);
  assert.ok(site.step < inRemember.step);
  // From the line after the call, reverse step in goes into remember's last line.
  await step(() => dc.nextRequest({ threadId: 1 }));
  const afterCall = await where();
  assert.equal(afterCall.line, lineOf(BUG_C, 'l->control_total += p->amount;'));
  stop = await step(() => dc.customRequest('rewind/reverseStepIn', { threadId: 1 }));
  const last = await where();
  assert.equal(last.name, 'remember');
  assert.ok(last.line > remember && last.line < POST_ENTRY - 1, `a late line of remember, got ${last.line}`);
  assert.ok(last.step < afterCall.step);
});

test('restart frame travels back to the frame\'s entry; outer frames too', async () => {
  const here = await where();
  const st = await dc.stackTraceRequest({ threadId: 1 });
  assert.equal(st.body.stackFrames[1].name, 'post');
  await step(() => dc.restartFrameRequest({ frameId: st.body.stackFrames[0].id }));
  const entry = await where();
  assert.equal(entry.name, 'remember');
  assert.ok(entry.step < here.step);
  // The entry: one instruction earlier is the call, in post.
  await step(() => dc.stepBackRequest({ threadId: 1, granularity: 'instruction' }));
  assert.equal((await where()).name, 'post');
  await step(() => dc.nextRequest({ threadId: 1, granularity: 'instruction' }));
  assert.deepEqual(await where(), entry);
  const outer = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[1];
  await step(() => dc.restartFrameRequest({ frameId: outer.id }));
  const postEntry = await where();
  assert.deepEqual([postEntry.name, postEntry.line], ['post', POST_ENTRY]);
  assert.ok(postEntry.step < entry.step);
});

test('instruction granularity moves exactly one step either way', async () => {
  const at = (await where()).step;
  await step(() => dc.nextRequest({ threadId: 1, granularity: 'instruction' }));
  assert.equal((await where()).step, at + 1);
  await step(() => dc.stepInRequest({ threadId: 1, granularity: 'instruction' }));
  assert.equal((await where()).step, at + 2);
  await step(() => dc.stepBackRequest({ threadId: 1, granularity: 'instruction' }));
  assert.equal((await where()).step, at + 1);
  await step(() => dc.stepBackRequest({ threadId: 1, granularity: 'instruction' }));
  assert.equal((await where()).step, at);
});
