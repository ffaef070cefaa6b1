/**
 * The core's whole-run queries against the reference of every search, a forward scan of a straight run:
 * every execution of an address, every write to a range, a value sampled over the run, and the
 * timeline's interrupts. A query runs on an engine of its own: the debugger's position stays.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseElf } from '../../emulator/elf';
import { ReplayEngine } from '../../emulator/replay/engine';
import { Debugger } from '../../debugger/debugger';
import { example, Program } from './programs';
import { record } from './record';
import { forwardScan } from './forward-scan';

const bug = example('bug');
const timer = example('timer');
const ACCOUNT = 36; // sizeof(struct account) in bug.c

function symbol(program: Program, name: string): { address: number; size: number } {
  const s = parseElf(program.elf).symbol(name);
  assert.ok(s, `${program.name} has no symbol ${name}`);
  return { address: s.value, size: s.size };
}

function open(program: Program): { core: Debugger; last: number } {
  const { recording } = record(program);
  const engine = new ReplayEngine(recording, { snapshotInterval: 5_000 });
  return { core: Debugger.open(engine, program.elf, program.name).debugger, last: recording.lastStep };
}

test('executions: every execution of an address, steps ascending, as a forward scan finds them; the position stays', async () => {
  const { core, last } = open(bug);
  const post = symbol(bug, 'post').address;
  const expected = forwardScan(bug, { breakpoints: [post] }, last).map((h) => h.position);
  assert.ok(expected.length >= 2);
  await core.seek(1_000);
  const found = await core.wholeRun().executions([post], (ctx) => ctx.view.pc);
  assert.deepEqual(found.map((m) => m.step), expected);
  assert.ok(found.every((m) => m.info === post));
  assert.equal(core.step, 1_000);
});

test('writes: every write to a range, with the bytes after it, as a forward scan finds them', async () => {
  const { core, last } = open(bug);
  const balance = { address: symbol(bug, 'bank').address + ACCOUNT, length: 4 };
  const expected = forwardScan(bug, { watchpoints: [{ ...balance, access: 'write' }] }, last).map((h) => h.position);
  assert.ok(expected.length >= 2);
  const found = await core.wholeRun().writes(balance.address, balance.length, (ctx) => ctx.view.readMemory(balance.address, balance.length));
  assert.deepEqual(found.map((m) => m.step), expected);
  for (const m of found.slice(0, 5)) {
    await core.seek(m.step + 1);
    assert.deepEqual(m.info, core.position.view.readMemory(balance.address, balance.length), `the bytes after the write at step ${m.step}`);
  }
});

test('writes after a pass over the whole run: only the stretches that wrote the watched page are replayed, with the same answer', async () => {
  const { core, last } = open(bug);
  const busiest = { address: symbol(bug, 'busiest').address, length: 4 };
  const expected = forwardScan(bug, { watchpoints: [{ ...busiest, access: 'write' }] }, last).map((h) => h.position);
  assert.ok(expected.length >= 2);
  const read = (ctx: { view: { readMemory(a: number, n: number): Uint8Array } }): number[] => [...ctx.view.readMemory(busiest.address, busiest.length)];
  // The first query runs the whole recording and leaves its snapshots in the core's query engine.
  const first = await core.wholeRun().writes(busiest.address, busiest.length, read);
  assert.equal(core.wholeRun().lastReplayedSteps, last);
  const again = await core.wholeRun().writes(busiest.address, busiest.length, read);
  assert.deepEqual(again.map((m) => m.step), expected);
  assert.deepEqual(again, first);
  const replayed = core.wholeRun().lastReplayedSteps;
  assert.ok(replayed > 0 && replayed < last / 2, `replayed ${replayed} of ${last} steps`);
});

test('sampled: a value at evenly spaced steps equals the value read after seeking there', async () => {
  const { core, last } = open(bug);
  const samples = await core.wholeRun().sampled(7, (ctx) => ctx.view.pc);
  assert.equal(samples[0].step, 0);
  assert.equal(samples[samples.length - 1].step, last);
  for (const s of samples) {
    await core.seek(s.step);
    assert.equal(s.info, core.pc, `pc at step ${s.step}`);
  }
});

test('timeline: interrupts are where a forward scan finds them, output is what the program printed, the exit is last', async () => {
  const { recording, console: printed } = record(timer);
  const core = Debugger.open(new ReplayEngine(recording), timer.elf, timer.name).debugger;
  const { events, output } = await core.wholeRun().timeline({ breakpoints: [], logpoints: [] });
  const interrupts = forwardScan(timer, { trapStops: [0x80000007] }, recording.lastStep).map((h) => h.position);
  assert.deepEqual(events.filter((e) => e.kind === 'interrupt').map((e) => e.step), interrupts);
  assert.equal(output.map((l) => l.text).join('\n'), new TextDecoder().decode(printed).replace(/\n$/, ''));
  assert.equal(events[events.length - 1].kind, 'exit');
});
