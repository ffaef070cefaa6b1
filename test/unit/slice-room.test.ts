/**
 * Where wasm regions check the slice's room (emulator/cpu/wasm/slice-room.ts), on blocks decoded from
 * programs assembled by the real GNU assembler: from every place control can enter a region's code
 * (the dispatch, at any block) the steps to the next check or out of the region never exceed what the
 * last check asked for, and a long run of blocks gets checks of its own so that no check asks for more
 * than ROOM_STEPS (or one block) steps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from '../support/toolchain';
import { parseElf } from '../../emulator/elf';
import { DEFAULT_CONFIG, Machine } from '../../emulator/machine';
import { ScriptedOutside } from '../../emulator/outside';
import { CodeCache } from '../../emulator/cpu/code-cache';
import { Block } from '../../emulator/cpu/block';
import { successorsOf } from '../../emulator/cpu/region-formation';
import { ROOM_STEPS, sliceRoom } from '../../emulator/cpu/wasm/slice-room';

/** The blocks that start at the program's global labels, by start. */
function blocksOf(source: string, labels: readonly string[]): Block[] {
  const elf = parseElf(assemble(source, 'rv32im_zicsr'));
  const machine = new Machine(DEFAULT_CONFIG, new ScriptedOutside(), { write: () => undefined });
  machine.loadProgram(elf);
  const cache = new CodeCache(machine, new Set(), true, 'wasm', () => undefined);
  return labels.map((name) => cache.blockAt(elf.symbols.find((s) => s.name === name)!.value)).sort((a, b) => a.start - b.start);
}

const loopsOnItself = (b: Block): boolean => b.taken === b.start;

/** Checks sliceRoom's bounds against every path, found by brute force; returns the room. */
function checkBounds(blocks: readonly Block[]): ReturnType<typeof sliceRoom> {
  const caseOf = new Map(blocks.map((b, j) => [b.start, j]));
  const room = sliceRoom(blocks, { caseAt: (pc) => caseOf.get(pc) ?? -1 }, blocks.map(loopsOnItself));
  // The most steps from block j's start, running whole blocks forward, before a checked block.
  const longest = (j: number): number => {
    let most = 0;
    for (const pc of successorsOf(blocks[j])) {
      const t = caseOf.get(pc);
      if (t !== undefined && t > j && room.checks[t] === 0) most = Math.max(most, longest(t));
    }
    return blocks[j].pcs.length + most;
  };
  blocks.forEach((b, j) => {
    const asked = room.checks[j] !== 0 ? room.checks[j] : room.dispatch;
    assert.ok(longest(j) <= asked, `block ${j} at ${b.start.toString(16)}: a path of ${longest(j)} steps, a check for ${asked}`);
    assert.ok(asked <= room.entry, 'an entry has room for its first check');
    assert.ok(asked <= Math.max(ROOM_STEPS, b.pcs.length, ...blocks.map((x) => x.pcs.length)), 'no check asks for more than ROOM_STEPS or a block');
    if (loopsOnItself(b)) assert.notEqual(room.checks[j], 0, 'a loop on itself checks at each turn');
  });
  return room;
}

test('a loop with two paths, a loop on itself and a call: every path from an entry is covered', () => {
  const blocks = checkBounds(blocksOf(`
    .globl top, even, odd, next, spin, after
top:
    andi t0, a0, 1
    bnez t0, odd
even:
    addi a1, a1, 1
    addi a1, a1, 2
    j next
odd:
    addi a3, a3, 1
next:
    addi a0, a0, 1
    blt a0, a2, top
spin:
    addi a4, a4, -1
    bnez a4, spin
after:
    jal top
    ret
`, ['top', 'even', 'odd', 'next', 'spin', 'after']).slice());
  assert.equal(blocks.dispatch > 0, true);
});

test('a long run of blocks forward gets checks along the way, none asking for more than ROOM_STEPS', () => {
  const body = (k: number): string => `b${k}:\n${'    addi a1, a1, 1\n'.repeat(5)}    beqz a0, b${k + 2}\n`;
  const labels = Array.from({ length: 12 }, (_v, k) => `b${k}`);
  const source = `    .globl ${[...labels, 'b12', 'b13'].join(', ')}\n${labels.map((_l, k) => body(k)).join('')}b12:\n    nop\nb13:\n    ret\n`;
  const room = checkBounds(blocksOf(source, labels));
  assert.ok(room.dispatch <= ROOM_STEPS);
  assert.ok([...room.checks].some((c) => c !== 0), 'checks inside the run');
});
