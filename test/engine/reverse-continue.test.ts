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
import { Debugger } from '../../debugger/debugger';
import { example, Program } from './programs';
import { record, stateHash, straightHashes } from './record';
import { Conditions, forwardScan, untilOf } from './forward-scan';
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
    const until = untilOf(conditions, stepBreakpoints);

    // From random positions, from each hit's own position and just after it, and from the end.
    const starts = new Set<number>([last, 0]);
    for (const h of hits.slice(0, 6)) { starts.add(h.position); starts.add(h.position + 1); }
    while (starts.size < 24) starts.add(prng.between(0, last));
    for (const from of prng.shuffle([...starts])) {
      await engine.seek(from);
      const back = await engine.run('backward', until);
      const want = expectedBackward(from, hits, stepBreakpoints);
      assert.equal(engine.step, want.position, `reverse continue from ${from}: stopped at ${engine.step} (${back.reason}), the forward scan says ${want.position} (${want.reason})`);
      if (want.reason) assert.equal(back.reason, want.reason, `reverse continue from ${from}`);

      await engine.seek(from);
      const forward = await engine.run('forward', until);
      const next = expectedForward(from, hits, stepBreakpoints, last);
      assert.equal(engine.step, next.position, `continue from ${from}: stopped at ${engine.step} (${forward.reason}), the forward scan says ${next.position} (${next.reason})`);
      if (next.reason) assert.equal(forward.reason, next.reason, `continue from ${from}`);
    }

    // Chains: reverse continue repeatedly from the end visits every hit, newest first, then the start.
    await engine.seek(last);
    const visited: number[] = [];
    for (;;) {
      const stop = await engine.run('backward', until);
      if (stop.reason === 'start') break;
      visited.push(engine.step);
      assert.ok(visited.length <= hits.length + stepBreakpoints.length, 'reverse continue does not reach the start');
    }
    const all = [...new Set([...hits.map((h) => h.position), ...stepBreakpoints])].filter((p) => p > 0).sort((a, b) => b - a);
    assert.deepEqual(visited, all);
    assert.equal(engine.step, 0);
  });
}

test('lastWrite and nextWrite find the writes a forward scan finds, and leave the other stops alone', async () => {
  const { recording } = record(bug);
  const last = recording.lastStep;
  const balance = { address: symbol(bug, 'bank').address + ACCOUNT, length: 4 };
  const writes = forwardScan(bug, { watchpoints: [{ ...balance, access: 'write' }] }, last);
  assert.ok(writes.length >= 2);
  const engine = new ReplayEngine(recording, { snapshotInterval: 4_000 });
  const core = new Debugger(engine);
  const writeOnly = { watchpoints: [{ ...balance, access: 'write' } as const] };
  const main = symbol(bug, 'main').address;
  core.breakpoints.setInstructionBreakpoints([{ id: 1, kind: 'instruction', addresses: [main] }]);
  core.stepBreakpoints.add(Math.floor(last / 2));
  const prng = new Prng(99);
  for (let i = 0; i < 12; i++) {
    const from = prng.between(0, last);
    await engine.seek(from);
    await engine.run('backward', writeOnly);
    assert.equal(engine.step, expectedBackward(from, writes, []).position, `the last write from ${from}`);
    await engine.seek(from);
    await engine.run('forward', writeOnly);
    assert.equal(engine.step, expectedForward(from, writes, [], last).position, `the next write from ${from}`);
  }
  // The core's operations: from the end, the last write is the last one the scan found.
  await core.seek(last);
  assert.equal((await core.lastWrite(balance.address, balance.length)).reason, 'dataBreakpoint');
  assert.equal(core.step, writes[writes.length - 1].position);
  await core.seek(0);
  assert.equal((await core.nextWrite(balance.address, balance.length)).reason, 'dataBreakpoint');
  assert.equal(core.step, writes[0].position + 1);
  // The breakpoint and step breakpoint set before are still there.
  assert.deepEqual(core.stepBreakpoints.list(), [Math.floor(last / 2)]);
  await core.seek(0);
  const stop = await core.continue('forward');
  assert.deepEqual(stop.cause, { reason: 'breakpoint', address: main });
});

test('the state after a reverse continue is the state of a straight run to that step', async () => {
  const { recording } = record(timer);
  const engine = new ReplayEngine(recording, { snapshotInterval: 40_000 });
  await engine.seek(recording.lastStep);
  const positions: number[] = [];
  const hashes: string[] = [];
  for (let i = 0; i < 3; i++) {
    assert.equal((await engine.run('backward', { trapCauses: [TIMER_INTERRUPT] })).reason, 'trap');
    positions.push(engine.step);
    hashes.push(stateHash(engine.machine));
  }
  const expected = straightHashes(timer, positions);
  assert.deepEqual(hashes, positions.map((p) => expected.get(p)));
});
