/**
 * Stop conditions on a small program whose every access is known by construction: a store of the
 * value already there counts as a write, loads as reads, an atomic as both, an ecall as a trap. The
 * forward scan (the reference of the property tests) and the engine must both find exactly these.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from '../support/toolchain';
import { parseElf } from '../../emulator/elf';
import { ReplayEngine } from '../../emulator/replay/engine';
import { Program } from './programs';
import { record } from './record';
import { Conditions, forwardScan, untilOf } from './forward-scan';
import { expectedBackward, expectedForward } from './expected-stops';

// Positions (steps run before the instruction): 0-1 la, 2 csrw, 3-4 la, 5 li, 6 li, then four rounds
// of five instructions from 7 (sw at 7+5k, lw at 8+5k), amoadd at 27, ecall at 28.
const SOURCE = `
  la t0, trap
  csrw mtvec, t0
  la s0, cell
  li t1, 5
  li s2, 0
loop:
  sw t1, 0(s0)          # stores 5 over 5: still a write
  lw t2, 0(s0)
  addi s2, s2, 1
  li t3, 4
  blt s2, t3, loop
  amoadd.w t4, t1, (s0)
  ecall
  li t0, 0x100000
  li t1, 0x5555
  sw t1, 0(t0)
1: j 1b
trap:
  csrr t5, mepc
  addi t5, t5, 4
  csrw mepc, t5
  mret
  .data
  .align 4
cell: .word 5
`;

const STORES = [7, 12, 17, 22];
const LOADS = [8, 13, 18, 23];
const AMO = 27;
const ECALL = 28;
const ECALL_FROM_M = 11;

let program: Program | undefined;
function accesses(): Program {
  program ??= { name: 'accesses.elf', elf: assemble(SOURCE), input: new Uint8Array(0) };
  return program;
}

function cell(p: Program): number {
  return parseElf(p.elf).symbol('cell')!.value;
}

const CASES: Array<{ what: string; conditions: (cell: number) => Conditions; positions: number[] }> = [
  { what: 'a write watchpoint (stores of the same value, the atomic)', conditions: (c) => ({ watchpoints: [{ address: c, length: 4, access: 'write' }] }), positions: [...STORES, AMO] },
  { what: 'a write watchpoint on one byte of the word', conditions: (c) => ({ watchpoints: [{ address: c + 3, length: 1, access: 'write' }] }), positions: [...STORES, AMO] },
  { what: 'a read watchpoint', conditions: (c) => ({ watchpoints: [{ address: c, length: 4, access: 'read' }] }), positions: [...LOADS, AMO] },
  { what: 'a read-write watchpoint', conditions: (c) => ({ watchpoints: [{ address: c, length: 4, access: 'readWrite' }] }), positions: [...STORES, ...LOADS, AMO].sort((a, b) => a - b) },
  { what: 'a watchpoint next to the word (never hit)', conditions: (c) => ({ watchpoints: [{ address: c + 4, length: 4, access: 'readWrite' }] }), positions: [] },
  { what: 'a trap stop on ecall', conditions: () => ({ trapStops: [ECALL_FROM_M] }), positions: [ECALL] },
];

for (const c of CASES) {
  test(`stop conditions by construction: ${c.what}`, async () => {
    const p = accesses();
    const { recording } = record(p);
    assert.deepEqual(recording.end?.reason, { kind: 'exit', code: 0, via: 'test-finisher' });
    const conditions = c.conditions(cell(p));
    const hits = forwardScan(p, conditions, recording.lastStep);
    assert.deepEqual(hits.map((h) => h.position), c.positions, 'the forward scan');
    for (const interval of [3, 10, 1_000]) {
      const engine = new ReplayEngine(recording, { snapshotInterval: interval });
      const until = untilOf(conditions);
      for (let from = 0; from <= recording.lastStep; from++) {
        await engine.seek(from);
        await engine.run('backward', until);
        assert.equal(engine.step, expectedBackward(from, hits, []).position, `reverse continue from ${from}, snapshots every ${interval}`);
        await engine.seek(from);
        await engine.run('forward', until);
        assert.equal(engine.step, expectedForward(from, hits, [], recording.lastStep).position, `continue from ${from}, snapshots every ${interval}`);
      }
    }
  });
}

test('a watchpoint stop says what was accessed, by which instruction', async () => {
  const p = accesses();
  const engine = new ReplayEngine(record(p).recording);
  const address = cell(p);
  const until = { watchpoints: [{ address, length: 4, access: 'write' } as const] };
  const stop = await engine.run('forward', until);
  assert.equal(stop.reason, 'watchpoint');
  assert.equal(engine.step, STORES[0] + 1);
  if (stop.reason !== 'watchpoint') return;
  assert.equal(stop.address, address);
  assert.equal(stop.size, 4);
  assert.equal(stop.access, 'write');
  assert.equal(stop.pc, parseElf(p.elf).symbol('loop')!.value);
  const back = await engine.run('backward', until);
  assert.equal(back.reason, 'watchpoint');
  assert.equal(engine.step, STORES[0]);
  assert.equal(engine.machine.pc, parseElf(p.elf).symbol('loop')!.value, 'before the store, pc is at the store');
});
