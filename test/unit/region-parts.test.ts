/**
 * The connected parts of a page's hot code that regions take whole (emulator/cpu/region-formation.ts
 * `parts`). The blocks are made by hand, each ending in a real instruction word (decoded by the
 * emulator's decoder), with the branch targets and the run loop's successor links a run would leave.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeShared } from '../../emulator/cpu/shared-decode';
import { Block } from '../../emulator/cpu/block';
import { BlockStore } from '../../emulator/cpu/block-store';
import { parts } from '../../emulator/cpu/region-formation';

// The last instruction of each block (where it goes is the block's `taken`, not the encoded offset).
const BNE = 0x00b51063; // bne a0, a1
const JUMP = 0x0000006f; // j (jal x0)
const CALL = 0x000000ef; // jal ra
const RET = 0x00008067; // jalr x0, 0(ra)
const JUMP_THROUGH_A0 = 0x00050067; // jalr x0, 0(a0): a switch's jump table
const CALL_THROUGH_A5 = 0x000780e7; // jalr ra, 0(a5): a call through a function pointer

interface Shape { start: number; last: number; runs: number; taken?: number; successors?: number[] }

/** No record: the blocks here are never run. Their offsets are their addresses (RAM at 0). */
const STORE = new BlockStore();

function page(shapes: Shape[]): Block[] {
  const made = shapes.map((s): Block => ({
    start: s.start, end: s.start + 4, pcs: [s.start], decoded: [decodeShared(s.last)], valid: true, runs: s.runs, region: null,
    taken: s.taken ?? 0, startOffset: s.start, endOffset: s.start + 4, takenOffset: s.taken ?? 0, successor: null, otherSuccessor: null, store: STORE, at: -1, count: 1, ops: [undefined],
    hotSince: 0, compiled: null, hot: false, breakpoint: false, idleLoop: null,
  }));
  shapes.forEach((s, i) => {
    const [a, b] = (s.successors ?? []).map((to) => made.find((m) => m.start === to) ?? null);
    made[i].successor = a ?? null;
    made[i].otherSuccessor = b ?? null;
  });
  return made;
}

const starts = (all: Block[][]): number[][] => all.map((p) => p.map((b) => b.start));

test('a loop with its exit is one part, a function with its jump table another: a call through a pointer and a return do not join them', () => {
  const blocks = page([
    // f: a loop (0x100 branches out to 0x140 or on to 0x104, which jumps back), returning at 0x140.
    { start: 0x100, last: BNE, runs: 900, taken: 0x140 },
    { start: 0x104, last: JUMP, runs: 800, taken: 0x100 },
    { start: 0x140, last: RET, runs: 100, successors: [0x204] },
    // g: calls f through a pointer at 0x200, comes back to 0x204, and dispatches through a jump table.
    { start: 0x200, last: CALL_THROUGH_A5, runs: 1000, successors: [0x100] },
    { start: 0x204, last: JUMP_THROUGH_A0, runs: 1000, successors: [0x300, 0x310] },
    { start: 0x300, last: RET, runs: 600 },
    { start: 0x310, last: JUMP, runs: 400, taken: 0x200 },
  ]);
  assert.deepEqual(starts(parts(blocks[0], blocks)), [[0x100, 0x104, 0x140], [0x200, 0x204, 0x300, 0x310]]);
  // A direct call to f from h (0x400) puts f, a leaf function, in h's part.
  const called = page([
    { start: 0x100, last: BNE, runs: 900, taken: 0x140 },
    { start: 0x104, last: JUMP, runs: 800, taken: 0x100 },
    { start: 0x140, last: RET, runs: 100, successors: [0x404] },
    { start: 0x400, last: CALL, runs: 700, taken: 0x100 },
  ]);
  assert.deepEqual(starts(parts(called[0], called)), [[0x100, 0x104, 0x400, 0x140]]);
});

test('a part grows from the hot block along its most-run neighbours, so that a part cut to size keeps its hottest path', () => {
  const blocks = page([
    // 0x100 branches to a cold exit (0x140) or goes on to 0x104, which branches to 0x180 (hot) or falls out.
    { start: 0x100, last: BNE, runs: 500, taken: 0x140 },
    { start: 0x104, last: BNE, runs: 400, taken: 0x180 },
    { start: 0x140, last: RET, runs: 20 },
    { start: 0x180, last: RET, runs: 390 },
  ]);
  assert.deepEqual(starts(parts(blocks[0], blocks)), [[0x100, 0x104, 0x180, 0x140]],
    '0x180, two branches away, is hotter than 0x140, one away: it comes first');
});
