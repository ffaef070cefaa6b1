/**
 * Property: reverse continue stops exactly where a forward scan says the last hit before now is, and
 * continue forward exactly at the next; with code breakpoints, read, write and read-write watchpoints,
 * trap stops and step breakpoints, from many positions, with snapshot intervals small enough that every
 * search crosses many of them. `lastWrite` and `nextWrite` likewise.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseElf } from '../../emulator/elf';
import { ReplayEngine } from '../../emulator/replay/engine';
import { example, Program } from './programs';
import { record, stateHash, straightHashes } from './record';
import { applyConditions, Conditions, forwardScan } from './forward-scan';
import { expectedBackward, expectedForward } from './expected-stops';
import { Prng } from './prng';

const TIMER_INTERRUPT = 0x80000007;

function symbol(program: Program, name: string): { address: number; size: number } {
  const s = parseElf(program.elf).symbol(name);
  assert.ok(s, `${program.name} has no symbol ${name}`);
  return { address: s.value, size: s.size };
}

interface Case {
  what: string;
  program: Program;
  conditions: (p: Program) => Conditions;
  interval: number;
}

const bug = example('bug');
const timer = example('timer');
const ACCOUNT = 36; // sizeof(struct account) in bug.c

const CASES: Case[] = [
  { what: 'breakpoints on remember and main', program: bug, interval: 2_500,
    conditions: (p) => ({ breakpoints: [symbol(p, 'remember').address, symbol(p, 'main').address] }) },
  { what: 'a write watchpoint on bob\'s balance', program: bug, interval: 2_500,
    conditions: (p) => ({ watchpoints: [{ address: symbol(p, 'bank').address + ACCOUNT, length: 4, access: 'write' }] }) },
  { what: 'a read watchpoint on the journal', program: bug, interval: 3_000,
    conditions: (p) => ({ watchpoints: [{ address: symbol(p, 'journal').address + 8, length: 8, access: 'read' }] }) },
  { what: 'a read-write watchpoint on the whole bank and a breakpoint on post', program: bug, interval: 1_700,
    conditions: (p) => ({ watchpoints: [{ ...lengthOf(symbol(p, 'bank')), access: 'readWrite' }], breakpoints: [symbol(p, 'post').address] }) },
  { what: 'timer interrupts as trap stops', program: timer, interval: 30_000,
    conditions: () => ({ trapStops: [TIMER_INTERRUPT] }) },
  { what: 'trap stops and a breakpoint on the trap entry (the same position as the trap stop after it)', program: timer, interval: 45_000,
    conditions: (p) => ({ trapStops: [TIMER_INTERRUPT], breakpoints: [symbol(p, 'timer_trap_entry').address] }) },
  { what: 'a write watchpoint on the interrupt count', program: timer, interval: 25_000,
    conditions: (p) => ({ watchpoints: [{ ...lengthOf(symbol(p, 'interrupts_taken')), access: 'write' }] }) },
];

function lengthOf(s: { address: number; size: number }): { address: number; length: number } {
  return { address: s.address, length: Math.max(1, s.size) };
}

for (const c of CASES) {
  test(`reverse continue and continue find what a forward scan finds: ${c.program.name}, ${c.what}`, async () => {
    const { recording } = record(c.program);
    const last = recording.lastStep;
    const conditions = c.conditions(c.program);
    const hits = forwardScan(c.program, conditions, last);
    assert.ok(hits.length >= 2, `the forward scan found only ${hits.length} hits: the case tests too little`);
    const prng = new Prng(hits.length * 7919 + last);
    // Step breakpoints, some of them between hits; none at 0 or the last step (those have reasons of their own).
    const stepBreakpoints = Array.from({ length: 3 }, () => prng.between(1, last - 1));

    const engine = new ReplayEngine(recording, { snapshotInterval: c.interval });
    applyConditions(engine, conditions);
    for (const s of stepBreakpoints) engine.addStepBreakpoint(s);

    // From random positions, from each hit's own position and just after it, and from the end.
    const starts = new Set<number>([last, 0]);
    for (const h of hits.slice(0, 6)) { starts.add(h.position); starts.add(h.position + 1); }
    while (starts.size < 24) starts.add(prng.between(0, last));
    for (const from of prng.shuffle([...starts])) {
      await engine.seek(from);
      const back = await engine.continueBackward();
      const want = expectedBackward(from, hits, stepBreakpoints);
      assert.equal(engine.step, want.position, `reverse continue from ${from}: stopped at ${engine.step} (${back.reason}), the forward scan says ${want.position} (${want.reason})`);
      if (want.reason) assert.equal(back.reason, want.reason, `reverse continue from ${from}`);

      await engine.seek(from);
      const forward = await engine.continueForward();
      const next = expectedForward(from, hits, stepBreakpoints, last);
      assert.equal(engine.step, next.position, `continue from ${from}: stopped at ${engine.step} (${forward.reason}), the forward scan says ${next.position} (${next.reason})`);
      if (next.reason) assert.equal(forward.reason, next.reason, `continue from ${from}`);
    }

    // Chains: reverse continue repeatedly from the end visits every hit, newest first, then the start.
    await engine.seek(last);
    const visited: number[] = [];
    for (;;) {
      const stop = await engine.continueBackward();
      if (stop.reason === 'start') break;
      visited.push(engine.step);
      assert.ok(visited.length <= hits.length + stepBreakpoints.length, 'reverse continue does not reach the start');
    }
    const all = [...new Set([...hits.map((h) => h.position), ...stepBreakpoints])].filter((p) => p > 0).sort((a, b) => b - a);
    assert.deepEqual(visited, all);
    assert.equal(engine.step, 0);
  });
}

test('lastWrite and nextWrite find the writes a forward scan finds, and leave other conditions alone', async () => {
  const { recording } = record(bug);
  const last = recording.lastStep;
  const balance = { address: symbol(bug, 'bank').address + ACCOUNT, length: 4 };
  const writes = forwardScan(bug, { watchpoints: [{ ...balance, access: 'write' }] }, last);
  assert.ok(writes.length >= 2);
  const engine = new ReplayEngine(recording, { snapshotInterval: 4_000 });
  const main = symbol(bug, 'main').address;
  engine.setBreakpoints([main]);
  engine.addStepBreakpoint(Math.floor(last / 2));
  const prng = new Prng(99);
  for (let i = 0; i < 12; i++) {
    const from = prng.between(0, last);
    await engine.seek(from);
    await engine.lastWrite(balance.address, balance.length);
    assert.equal(engine.step, expectedBackward(from, writes, []).position, `lastWrite from ${from}`);
    await engine.seek(from);
    await engine.nextWrite(balance.address, balance.length);
    assert.equal(engine.step, expectedForward(from, writes, [], last).position, `nextWrite from ${from}`);
  }
  // The breakpoint and step breakpoint set before are still there.
  assert.deepEqual(engine.stepBreakpoints(), [Math.floor(last / 2)]);
  await engine.seek(0);
  const stop = await engine.continueForward();
  assert.deepEqual(stop, { reason: 'breakpoint', address: main });
});

test('the state after a reverse continue is the state of a straight run to that step', async () => {
  const { recording } = record(timer);
  const engine = new ReplayEngine(recording, { snapshotInterval: 40_000 });
  engine.setTrapStops([TIMER_INTERRUPT]);
  await engine.seek(recording.lastStep);
  const positions: number[] = [];
  const hashes: string[] = [];
  for (let i = 0; i < 3; i++) {
    assert.equal((await engine.continueBackward()).reason, 'trap');
    positions.push(engine.step);
    hashes.push(stateHash(engine.machine));
  }
  const expected = straightHashes(timer, positions);
  assert.deepEqual(hashes, positions.map((p) => expected.get(p)));
});
