/**
 * Which blocks go into a region (emulator/cpu/region-formation.ts), on blocks decoded from a program
 * assembled by the real GNU assembler: a loop with a path of its own comes before a busier loop of
 * another function in the same page, a region cut out of too much hot code takes more of it than a region
 * of whole parts would, and a path that gets hot later finds the region its successor runs in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from '../support/toolchain';
import { parseElf } from '../../emulator/elf';
import { DEFAULT_CONFIG, Machine } from '../../emulator/machine';
import { ScriptedOutside } from '../../emulator/outside';
import { CodeCache } from '../../emulator/cpu/code-cache';
import { Block } from '../../emulator/cpu/block';
import { connectedBlocks, MAX_ACROSS_INSTRUCTIONS, regionBlocks, regionOfSuccessor, regionsAcross, successorsOf } from '../../emulator/cpu/region-formation';
import { Region, RegionBlock } from '../../emulator/cpu/region';

const SOURCE = `
    li a0, 0
    li a2, 1000
    .globl loop, even, odd, next, other, call, callee
loop:
    andi t0, a0, 1
    bnez t0, odd
even:
    addi a1, a1, 1
    j next
odd:
    addi a3, a3, 1
next:
    addi a0, a0, 1
    blt a0, a2, loop
    ret
other:
    addi a4, a4, 1
    blt a4, a2, other
call:
    jal callee
    j other
callee:
    addi a5, a5, 1
    ret
`;

function blocks(): Map<string, Block> {
  const image = assemble(SOURCE, 'rv32im_zicsr');
  const elf = parseElf(image);
  const machine = new Machine(DEFAULT_CONFIG, new ScriptedOutside(), { write: () => undefined });
  machine.loadProgram(elf);
  const cache = new CodeCache(machine, new Set(), true, 'wasm', () => undefined);
  const named = new Map<string, Block>();
  for (const name of ['loop', 'even', 'odd', 'next', 'other', 'call', 'callee']) {
    const symbol = elf.symbols.find((s) => s.name === name);
    assert.ok(symbol, `symbol ${name}`);
    named.set(name, cache.blockAt(symbol.value));
  }
  return named;
}

const size = (list: readonly { pcs: number[] }[]): number => list.reduce((sum, b) => sum + b.pcs.length, 0);

test('a region takes the blocks its hot block reaches before busier blocks of another loop in the page', () => {
  const b = blocks();
  const [loop, even, odd, next, other] = ['loop', 'even', 'odd', 'next', 'other'].map((n) => b.get(n)!);
  other.runs = 1000;
  loop.runs = 300;
  even.runs = 150;
  odd.runs = 150;
  next.runs = 300;
  const own = [loop, even, odd, next];
  const chosen = connectedBlocks(loop, [], [other, next, odd, even, loop], size(own));
  assert.deepEqual(chosen.map((x) => x.start).sort(), own.map((x) => x.start).sort());
  // With room to spare, the other loop comes in after them.
  const roomy = connectedBlocks(loop, [], [other, next, odd, even, loop], 128);
  assert.deepEqual(roomy.slice(0, 4).map((x) => x.start).sort(), own.map((x) => x.start).sort());
  assert.equal(roomy[4], other);
});

test('a region cut out of hot code too big for one takes its nearest blocks up to the larger cap, and no other hot code', () => {
  const b = blocks();
  const [loop, even, odd, next, other] = ['loop', 'even', 'odd', 'next', 'other'].map((n) => b.get(n)!);
  const max = size([loop, odd]);
  const cut = (cutMax: number): Block[] => regionBlocks(loop, [loop, even, odd, next, other], undefined, max, cutMax).chosen as Block[];
  // Breadth first from the loop (its taken branch, then its fall-through); the other loop of the page,
  // which would fit, stays out: beyond `max` a region takes no other hot code.
  assert.deepEqual(cut(max + size([even, next, other])), [loop, odd, even, next]);
  assert.deepEqual(cut(max), [loop, odd]);
});

test('a path that gets hot later grows the region its successor runs in, keeping that region\'s blocks', () => {
  const b = blocks();
  const [loop, even, odd, next] = ['loop', 'even', 'odd', 'next'].map((n) => b.get(n)!);
  const region = { run: (pc: number) => pc, blocks: [loop, even, next], room: 0 };
  for (const x of region.blocks) x.region = region;
  const byStart = new Map([...b.values()].map((x) => [x.start, x]));
  assert.equal(regionOfSuccessor(odd, (pc) => byStart.get(pc)), region);
  const grown = connectedBlocks(odd, [loop, even, next], [odd], 128);
  assert.deepEqual(grown, [loop, even, next, odd]);
});

test('successors: both ways of a branch, a jump\'s target, a call\'s callee and return point, and what followed a return', () => {
  const b = blocks();
  const [loop, even, odd, next, other, call, callee] = ['loop', 'even', 'odd', 'next', 'other', 'call', 'callee'].map((n) => b.get(n)!);
  assert.deepEqual(successorsOf(loop).sort(), [even.start, odd.start].sort());
  assert.deepEqual(successorsOf(even), [next.start]);
  assert.deepEqual(successorsOf(next).sort(), [loop.start, next.end].sort());
  assert.deepEqual(successorsOf(call).sort(), [callee.start, call.end].sort());
  assert.deepEqual(successorsOf(callee), []);
  callee.successor = other;
  assert.deepEqual(successorsOf(callee), [other.start]);
});

test('a region takes in the small hot regions of other pages it calls and returns to, not warm ones nor ones too big', () => {
  const image = assemble(`
    .globl loop, back, tail, far, big
loop:
    addi a0, a0, 1
    jal far
back:
    blt a0, a2, loop
tail:
    jal big
    ret
    .balign 4096
far:
    addi a1, a1, 3
    ret
    .balign 4096
big:
    .rept 70
    addi a1, a1, 1
    .endr
    ret
`, 'rv32im_zicsr');
  const elf = parseElf(image);
  const machine = new Machine(DEFAULT_CONFIG, new ScriptedOutside(), { write: () => undefined });
  machine.loadProgram(elf);
  const cache = new CodeCache(machine, new Set(), true, 'wasm', () => undefined);
  const at = (name: string): Block => cache.blockAt(elf.symbols.find((s) => s.name === name)!.value);
  const [loop, back, tail, far, big] = ['loop', 'back', 'tail', 'far', 'big'].map(at);
  const byStart = new Map([loop, back, tail, far, big].map((x) => [x.start, x]));
  const regionOf = (blocks: Block[], warm = false): Region => {
    const region = { run: (pc: number) => pc, blocks, room: 0, warm };
    for (const x of blocks) x.region = region;
    return region;
  };
  const farRegion = regionOf([far]);
  regionOf([big]);
  far.successor = back;
  // big's region (71 instructions) would not fit beside them in MAX_ACROSS_INSTRUCTIONS.
  const chosen: RegionBlock[] = [loop, back, tail];
  const absorbed = regionsAcross(chosen, 0, 12, 0x80000000, (pc) => byStart.get(pc), MAX_ACROSS_INSTRUCTIONS);
  assert.deepEqual(absorbed, [farRegion]);
  assert.deepEqual(chosen, [loop, back, tail, far]);
  // A warm region (a switch's case) stays out.
  regionOf([far], true);
  const alone: RegionBlock[] = [loop, back, tail];
  assert.deepEqual(regionsAcross(alone, 0, 12, 0x80000000, (pc) => byStart.get(pc), MAX_ACROSS_INSTRUCTIONS), []);
  assert.deepEqual(alone, [loop, back, tail]);
});
