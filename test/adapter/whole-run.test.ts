/**
 * The whole run at once, over DAP, on the real examples: every execution of a line, a value's history,
 * the timeline, bookmarks, retroactive logpoints and console lines that carry their step. Expected counts
 * come from the example sources (the journal's length, the loop bound, the printf calls), not from a
 * previous run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { DebugProtocol } from '@vscode/debugprotocol';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { parseElf } from '../../emulator/elf';
import { BUG_C, EXAMPLES, evaluate, info, launchAndStop, lineOf, markerLine, record, startClient, travel, wordAt } from './fixture';
import {
  BookmarksResponseBody, ExecutionsResponseBody, OutputData, outputLines, TimelineResponseBody, ValueHistoryResponseBody,
} from '../../adapter/custom-requests';

const HELLO_C = join(EXAMPLES, 'hello/hello.c');
const TIMER_C = join(EXAMPLES, 'timer/timer.c');
const CORRUPT = markerLine(BUG_C, 'BP_CORRUPT');
const POST_BALANCE = lineOf(BUG_C, 'a->balance += p->amount;');

/** The journal of bug.c as written in its source: the amounts, in posting order. */
function journalAmounts(): number[] {
  const source = readFileSync(BUG_C, 'utf8');
  const body = source.slice(source.indexOf('journal[] = {'), source.indexOf('};', source.indexOf('journal[] = {')));
  return [...body.matchAll(/\{(?:ALICE|BOB|CAROL|DAVE),\s*(-?\d+)\}/g)].map((m) => Number(m[1]));
}

/** The address of the first backward branch in `bench_run` of `elf`: the branch of its main loop (long.elf has no line information). */
function loopBranch(elf: string): number {
  const image = parseElf(readFileSync(elf));
  const start = image.symbol('bench_run')!.value;
  for (let a = start, word = wordAt(image, a); word !== undefined; word = wordAt(image, a)) {
    if ((word & 3) !== 3) { a += 2; continue; }
    if ((word & 0x7f) === 0x63 && word >>> 31 === 1) return a;
    a += 4;
  }
  throw new Error(`no backward branch in bench_run of ${elf}`);
}

async function session<T>(elf: string, body: (dc: DebugClient, recording: string) => Promise<T>, stdin = ''): Promise<T> {
  const dc = await startClient();
  const recording = record(elf, stdin);
  try {
    const stop = await launchAndStop(dc, { recording, stopOnEntry: true, sourceRoot: dirname(join(EXAMPLES, elf)) });
    assert.equal(stop.body.reason, 'entry');
    return await body(dc, recording);
  } finally {
    await dc.stop();
  }
}

const request = async <T>(dc: DebugClient, command: string, args: object = {}): Promise<T> => (await dc.customRequest(command, args)).body as T;
const seek = (dc: DebugClient, step: number) => travel(dc, () => dc.customRequest('rewind/seek', { step }));
const toEnd = (dc: DebugClient) => travel(dc, () => dc.continueRequest({ threadId: 1 }));

test('every execution of a line: once per journal entry, with values, wherever now is', () => session('bug/bug.elf', async (dc) => {
  const amounts = journalAmounts();
  assert.equal(amounts.length, 16);
  const first = await request<ExecutionsResponseBody>(dc, 'rewind/executions', { source: { path: BUG_C }, line: POST_BALANCE, expressions: ['p->amount', 'no_such_name'] });
  assert.equal(first.line, POST_BALANCE);
  assert.equal(first.steps.length, amounts.length);
  assert.deepEqual(first.steps, [...first.steps].sort((a, b) => a - b));
  assert.deepEqual(first.values!.map((v) => Number(v[0])), amounts);
  assert.match(first.values![0][1], /^<.*no_such_name/);
  // From the middle of the run the answer is the same (before and after now), and the position holds.
  await seek(dc, first.steps[5] + 3);
  const middle = await request<ExecutionsResponseBody>(dc, 'rewind/executions', { source: { path: BUG_C }, line: POST_BALANCE });
  assert.deepEqual(middle.steps, first.steps);
  assert.equal((await info(dc)).step, first.steps[5] + 3);
  // Each step is the moment just before the line runs.
  await seek(dc, first.steps[3]);
  const top = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
  assert.equal(top.line, POST_BALANCE);
  assert.equal(await evaluate(dc, 'p->amount', top.id), String(amounts[3]));
}));

test('every execution of a loop body line: once per iteration of the loop bound', () => session('hello/hello.elf', async (dc) => {
  const n = Number(/const uint32_t n = (\d+);/.exec(readFileSync(HELLO_C, 'utf8'))![1]);
  const r = await request<ExecutionsResponseBody>(dc, 'rewind/executions', { source: { path: HELLO_C }, line: lineOf(HELLO_C, 'sum += i * i;'), expressions: ['i'] });
  assert.equal(r.steps.length, n);
  assert.deepEqual(r.values!.map((v) => Number(v[0])), Array.from({ length: n }, (_, k) => k + 1));
}));

test('bad input: a line with no code, a name that names nothing; the session carries on', () => session('bug/bug.elf', async (dc) => {
  const blank = lineOf(BUG_C, '/* Remembers `amount`');
  await assert.rejects(dc.customRequest('rewind/executions', { source: { path: BUG_C }, line: blank }), /line \d+ of bug\.c has no code \(the next line with code is \d+\)/);
  await assert.rejects(dc.customRequest('rewind/valueHistory', { expression: 'no_such_variable' }), /no_such_variable/);
  await assert.rejects(dc.customRequest('rewind/valueHistory', { expression: '1 + 2' }), /no storage to follow/);
  assert.equal((await info(dc)).step, 0);
  const r = await request<ExecutionsResponseBody>(dc, 'rewind/executions', { source: { path: BUG_C }, line: CORRUPT });
  assert.equal(r.steps.length, journalAmounts().length);
}));

test('value history: one sample per write with the value after it; a sample step seeks to the write', () => session('bug/bug.elf', async (dc) => {
  const n = journalAmounts().length;
  const r = await request<ValueHistoryResponseBody>(dc, 'rewind/valueHistory', { expression: 'bank.posted' });
  assert.match(r.label, /^bank\.posted \(4 bytes at 0x[0-9a-f]{8}\)$/);
  // .bss clearing may write zeros first; after that, one write per posting: 1, 2, ..., n.
  const counted = r.samples.filter((s) => s.number !== 0);
  assert.deepEqual(counted.map((s) => s.number), Array.from({ length: n }, (_, k) => k + 1));
  assert.deepEqual(counted.map((s) => s.value), counted.map((s) => String(s.number)));
  // At the sample's step the write is about to happen; one step later the value is there.
  await seek(dc, counted[6].step);
  assert.equal(await evaluate(dc, 'bank.posted'), '6');
  await seek(dc, counted[6].step + 1);
  assert.equal(await evaluate(dc, 'bank.posted'), '7');
  // The same by address: the same writes.
  const address = /at (0x[0-9a-f]{8})/.exec(r.label)![1];
  const byAddress = await request<ValueHistoryResponseBody>(dc, 'rewind/valueHistory', { address, length: 4 });
  assert.deepEqual(byAddress.samples.map((s) => s.step), r.samples.map((s) => s.step));
}));

test('timeline: every output line, the exit, and console lines that carry their step', async () => {
  const dc = await startClient();
  const printed: Array<{ text: string; step: number }> = [];
  dc.on('output', (e: DebugProtocol.OutputEvent) => {
    if (e.body.category === 'stdout') printed.push(...outputLines(e.body.output, e.body.data as OutputData));
  });
  try {
    await launchAndStop(dc, { recording: record('hello/hello.elf'), stopOnEntry: true, sourceRoot: dirname(HELLO_C) });
    const printfs = (readFileSync(HELLO_C, 'utf8').match(/printf\("/g) ?? []).length;
    const t = await request<TimelineResponseBody>(dc, 'rewind/timeline');
    const output = t.events.filter((e) => e.kind === 'output');
    assert.equal(output.length, printfs);
    assert.equal(output[0].text, 'Hello from RISC-V!');
    assert.equal(output[printfs - 1].text, 'goodbye');
    const exit = t.events.filter((e) => e.kind === 'exit');
    assert.deepEqual(exit.map((e) => e.text), ['exited with status 0']);
    assert.equal(exit[0].step, t.lastStep);
    // Running the program prints the same lines, each with the same step as on the timeline.
    await toEnd(dc);
    assert.deepEqual(printed.map((p) => p.text), output.map((e) => e.text));
    assert.deepEqual(printed.map((p) => p.step), output.map((e) => e.step));
    // At a line's step it has not been printed yet; just after its last character it has.
    await seek(dc, output[1].step);
    assert.ok((await info(dc)).step < t.lastStep);
  } finally {
    await dc.stop();
  }
});

test('timeline: the timer example\'s interrupts, one per tick it waits for', () => session('timer/timer.elf', async (dc) => {
  const ticks = Number(/#define TICKS_WANTED (\d+)/.exec(readFileSync(TIMER_C, 'utf8'))![1]);
  const t = await request<TimelineResponseBody>(dc, 'rewind/timeline');
  const interrupts = t.events.filter((e) => e.kind === 'interrupt');
  assert.equal(interrupts.length, ticks);
  assert.match(interrupts[0].text, /machine timer/);
}));

test('bookmarks are kept beside the recording and shown on the timeline; step breakpoints too', async () => {
  const dc = await startClient();
  const recording = record('bug/bug.elf');
  try {
    await launchAndStop(dc, { recording, stopOnEntry: true, sourceRoot: dirname(BUG_C) });
    await request(dc, 'rewind/bookmarks', { action: 'add', step: 1234, name: 'before the stray write' });
    const listed = await request<BookmarksResponseBody>(dc, 'rewind/bookmarks', { action: 'add', step: 99, name: 'early' });
    assert.deepEqual(listed.bookmarks, [{ step: 99, name: 'early' }, { step: 1234, name: 'before the stray write' }]);
    assert.ok(existsSync(`${recording}.json`));
    await request(dc, 'rewind/stepBreakpoints', { action: 'add', step: 500 });
    const t = await request<TimelineResponseBody>(dc, 'rewind/timeline');
    assert.deepEqual(t.events.filter((e) => e.kind === 'bookmark').map((e) => [e.step, e.text]), [[99, 'early'], [1234, 'before the stray write']]);
    assert.deepEqual(t.events.filter((e) => e.kind === 'stepBreakpoint').map((e) => e.step), [500]);
    await assert.rejects(dc.customRequest('rewind/bookmarks', { action: 'remove', step: 7 }), /no bookmark at step 7/);
  } finally {
    await dc.stop();
  }
  // A new session on the same recording finds them.
  const again = await startClient();
  try {
    await launchAndStop(again, { recording, stopOnEntry: true, sourceRoot: dirname(BUG_C) });
    const after = await request<BookmarksResponseBody>(again, 'rewind/bookmarks', { action: 'remove', step: 99 });
    assert.deepEqual(after.bookmarks, [{ step: 1234, name: 'before the stray write' }]);
  } finally {
    await again.stop();
  }
});

test('a logpoint set at the end of a replay prints every past hit at once, in step order, with its step and place', () => session('bug/bug.elf', async (dc) => {
  const amounts = journalAmounts();
  await toEnd(dc);
  const logged: DebugProtocol.OutputEvent[] = [];
  dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.category === 'console' && e.body.output.startsWith('posting')) logged.push(e); });
  await dc.setBreakpointsRequest({ source: { path: BUG_C }, breakpoints: [{ line: CORRUPT, logMessage: 'posting {amount}' }] });
  // The lines are in the console by the time the breakpoint is answered.
  assert.deepEqual(logged.map((e) => e.body.output), amounts.map((a) => `posting ${a}\n`));
  const steps = logged.map((e) => (e.body.data as OutputData).step);
  assert.deepEqual(steps, [...steps].sort((a, b) => a - b));
  assert.equal(logged[0].body.line, CORRUPT);
  assert.equal(logged[0].body.source?.name, 'bug.c');
  const executions = await request<ExecutionsResponseBody>(dc, 'rewind/executions', { source: { path: BUG_C }, line: CORRUPT });
  assert.deepEqual(steps, executions.steps);
  // Travelling over the hits again prints nothing twice.
  await seek(dc, 0);
  await toEnd(dc);
  assert.equal(logged.length, amounts.length);
}));

test('a query cancelled halfway answers "cancelled" and leaves the session as it was', async () => {
  const dc = await startClient();
  try {
    const long = join(EXAMPLES, '..', 'bench', 'replay', 'long.elf');
    await launchAndStop(dc, { program: long, stopOnEntry: true, recordingPath: join(dirname(record('bug/bug.elf')), 'long.rewind') });
    // Run the live program to its end first, so there is a long history to query.
    await toEnd(dc);
    // A breakpoint on the loop's branch makes the timeline stop 80 million times: seconds on any machine,
    // where the bare query is ~0.3 s, as long as the adapter waits before it shows progress. Without it,
    // a fast machine answered before any progress showed, and the test waited for progress forever.
    const loopBreakpoint = (on: boolean) => dc.customRequest('setInstructionBreakpoints', { breakpoints: on ? [{ instructionReference: `0x${loopBranch(long).toString(16)}` }] : [] });
    await loopBreakpoint(true);
    const before = await info(dc);
    // As VS Code's progress notification does: cancel by the progress id, once the query shows progress.
    const started = new Promise<DebugProtocol.ProgressStartEvent>((resolve) => dc.once('progressStart', resolve));
    const query = dc.customRequest('rewind/timeline', {});
    const first = await Promise.race([started, query.then(() => 'answered', () => 'failed')]);
    assert.ok(typeof first !== 'string', `the timeline query ${first} before it showed progress`);
    const progress = first;
    assert.equal(progress.body.cancellable, true);
    await dc.send('cancel', { progressId: progress.body.progressId });
    await assert.rejects(query, /cancelled/);
    assert.deepEqual(await info(dc), before);
    // A cancel sent right behind its request, read by the adapter together with it (one write here,
    // as a busy adapter reads both at once), is kept: once, it was lost and the query ran to its end.
    const toAdapter = (dc as unknown as { outputStream: Writable }).outputStream;
    toAdapter.cork();
    const early = dc.customRequest('rewind/timeline', {});
    void dc.send('cancel', {});
    toAdapter.uncork();
    await assert.rejects(early, /cancelled/);
    assert.deepEqual(await info(dc), before);
    await loopBreakpoint(false);
    const t = await request<TimelineResponseBody>(dc, 'rewind/timeline');
    assert.ok(t.events.some((e) => e.kind === 'output' && /checksum/.test(e.text)));
  } finally {
    await dc.stop();
  }
});
