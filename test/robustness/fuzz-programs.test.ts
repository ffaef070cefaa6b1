/**
 * Fuzzing programs (issue 20), beside test/unit/elf.test.ts (which mutates a hand-built ELF for the
 * parser alone) and test/symbols/malformed.test.ts (a dozen rounds per DWARF section of bug.elf): the
 * real examples' ELFs with their headers, program headers and section headers changed — through the
 * parser, the program loader (segments of any size and place), a short run and the symbol reader — and
 * their DWARF sections damaged, through the symbol reader and every question the debugger asks of it.
 * Each ends in a program, an ElfError or the loader's sentence; damaged debug info is read as far as it
 * goes. Seeded; see fuzz-cases.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ElfError, ElfImage, parseElf } from '../../emulator/elf';
import { Machine } from '../../emulator/machine';
import { ScriptedOutside } from '../../emulator/outside';
import { loadProgramSymbols } from '../../debugger/symbols/program-symbols';
import { MachineView, ProgramSymbols } from '../../debugger/symbols/api';
import { Prng } from '../engine/prng';
import { SMALL_CONFIG } from '../engine/programs';
import { example } from './crafted';
import { assertSentence, fuzzCases, fuzzSeed, withinBound } from './fuzz-cases';

const PROGRAMS = ['hello', 'bug', 'interactive', 'timer', 'uart', 'startup'];
const elves = new Map(PROGRAMS.map((name) => [name, readFileSync(example(name))]));

const u32 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset).getUint32(at, true);
const u16 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset).getUint16(at, true);

/** Values that break naive arithmetic: zero, ones, page and RAM edges, sign bits. */
const EDGES = [0, 1, 0xfff, 0x1000, 0x7fffffff, 0x80000000, 0x80000001, 0x87fffffc, 0x88000000, 0xffffffff, 0xfffff000, 0x08000000, 0x10000000];

/** One seeded change to the structure of an ELF: its header, a program header or a section header. */
function mutateStructure(elf: Uint8Array, prng: Prng): { bytes: Uint8Array; what: string } {
  const bytes = Uint8Array.from(elf);
  const view = new DataView(bytes.buffer);
  const phoff = u32(elf, 0x1c), phnum = u16(elf, 0x2c), shoff = u32(elf, 0x20), shnum = u16(elf, 0x30);
  const changes: string[] = [];
  for (let n = prng.between(1, 3); n > 0; n--) {
    const where = prng.below(4);
    // A 32-bit field of a table entry set to an edge value, or a header byte set at random.
    const table = where === 0 ? { at: 0, fields: 13 } : where === 1 ? { at: phoff + 32 * prng.below(Math.max(1, phnum)), fields: 8 }
      : where === 2 ? { at: shoff + 40 * prng.below(Math.max(1, shnum)), fields: 10 } : undefined;
    if (table === undefined) {
      const at = prng.below(bytes.length);
      bytes[at] ^= 1 << prng.below(8);
      changes.push(`bit flipped at ${at}`);
      continue;
    }
    const at = table.at + 4 * prng.below(table.fields);
    if (at + 4 > bytes.length) continue;
    const value = prng.below(3) === 0 ? prng.below(2 ** 32) : EDGES[prng.below(EDGES.length)];
    view.setUint32(at, value, true);
    changes.push(`0x${value.toString(16)} at ${at}`);
  }
  return { bytes, what: changes.join(', ') || 'nothing' };
}

const quiet = { write: () => undefined };

test('real ELFs with changed headers: a program, an ElfError or the loader\'s sentence, and a short run', () => {
  const cases = fuzzCases(0.3);
  const seed = fuzzSeed(20_003);
  const outcomes = { refused: 0, notLoaded: 0, ran: 0 };
  for (let i = 0; i < cases; i++) {
    const prng = new Prng(seed + i);
    const name = PROGRAMS[i % PROGRAMS.length];
    const { bytes, what: change } = mutateStructure(elves.get(name)!, prng);
    const what = `case ${seed + i} (${name}.elf, ${change})`;
    const started = process.hrtime.bigint();
    let image: ElfImage;
    try {
      image = parseElf(bytes);
    } catch (e) {
      if (!(e instanceof ElfError)) assert.fail(`${what}: the parser threw ${(e as Error).stack}`);
      assertSentence(e.message, what);
      outcomes.refused++;
      continue;
    }
    // 8 MiB of RAM: the loader clips nothing for us; segments outside are refused with a sentence.
    const machine = new Machine(SMALL_CONFIG, new ScriptedOutside(), quiet);
    try {
      machine.loadProgram(image);
    } catch (e) {
      if (!(e instanceof RangeError && /^cannot load the program: /.test(e.message))) assert.fail(`${what}: the loader threw ${(e as Error).stack}`);
      assertSentence(e.message, what);
      outcomes.notLoaded++;
      continue;
    }
    try {
      machine.run(2000);
    } catch (e) {
      assert.fail(`${what}: the machine threw ${(e as Error).stack}`);
    }
    try {
      loadProgramSymbols(bytes, `/nowhere/${name}.elf`).functionAt(machine.pc >>> 0);
    } catch (e) {
      if (!(e instanceof ElfError)) assert.fail(`${what}: the symbol reader threw ${(e as Error).stack}`);
    }
    outcomes.ran++;
    withinBound(started, what);
  }
  assert.ok(outcomes.refused > 0 && outcomes.notLoaded > 0 && outcomes.ran > 0, JSON.stringify(outcomes));
});

const DWARF_PROGRAMS = ['bug', 'interactive'];

/** A machine a few thousand steps into the program, for unwinding and locating variables. */
function viewInto(name: string): MachineView {
  const machine = new Machine(SMALL_CONFIG, new ScriptedOutside(new TextEncoder().encode('1 + 2\n')), quiet);
  machine.loadProgram(parseElf(elves.get(name)!));
  machine.run(5000);
  return {
    register: (n) => (n === 0 ? 0 : machine.x[n] >>> 0),
    pc: machine.pc >>> 0,
    readMemory: (address, length) => machine.peek(address, Math.min(length, 1 << 16)),
    trapState: () => ({ mtvec: machine.csr.mtvec >>> 0, mepc: machine.csr.mepc >>> 0 }),
  };
}

/** The questions the debugger asks while stopped and while stepping. */
function ask(symbols: ProgramSymbols, view: MachineView, image: ElfImage): void {
  const text = image.sections.find((s) => s.name === '.text');
  const from = text?.addr ?? 0x80000000;
  for (let pc = from; pc < from + 0x400; pc += 10) {
    symbols.locationAt(pc);
    symbols.functionAt(pc);
    symbols.isStatementStart(pc);
  }
  for (const file of symbols.sourceFiles().slice(0, 4)) for (let line = 1; line < 200; line += 23) symbols.resolveLine(file, line);
  for (const frame of symbols.unwind(view, 8)) {
    for (const v of [...symbols.localsAt(frame), ...symbols.globals().slice(0, 10)]) {
      symbols.sizeOf(v.type);
      symbols.locate(v, frame, view);
    }
  }
  for (const problem of symbols.problems?.() ?? []) assertSentence(problem, 'a problem of the symbol reader');
}

test('DWARF sections of real programs damaged: read as far as it goes, every question answered', () => {
  const cases = fuzzCases(0.1);
  const seed = fuzzSeed(20_004);
  const views = new Map(DWARF_PROGRAMS.map((name) => [name, viewInto(name)]));
  let withProblems = 0;
  for (let i = 0; i < cases; i++) {
    const prng = new Prng(seed + i);
    const name = DWARF_PROGRAMS[i % DWARF_PROGRAMS.length];
    const elf = elves.get(name)!;
    const image = parseElf(elf);
    const debug = image.sections.filter((s) => s.name.startsWith('.debug_') && s.size > 0);
    const section = debug[prng.below(debug.length)];
    const bytes = Uint8Array.from(elf);
    // A few scattered bytes, or a run of garbage, or the section's size cut in its header.
    const style = prng.below(3);
    if (style === 2) {
      const index = image.sections.indexOf(section);
      new DataView(bytes.buffer).setUint32(u32(elf, 0x20) + 40 * index + 20, prng.below(section.size), true);
    } else {
      const start = section.offset + prng.below(section.size);
      for (let n = style === 0 ? prng.between(1, 6) : 48, k = 0; k < n; k++) {
        const at = style === 0 ? section.offset + prng.below(section.size) : start + k;
        if (at < section.offset + section.size) bytes[at] = prng.below(256);
      }
    }
    const what = `case ${seed + i} (${name}.elf, ${section.name} ${['bytes changed', 'overwritten', 'cut'][style]})`;
    const started = process.hrtime.bigint();
    let symbols: ProgramSymbols;
    try {
      symbols = loadProgramSymbols(bytes, `/nowhere/${name}.elf`);
      ask(symbols, views.get(name)!, image);
    } catch (e) {
      assert.fail(`${what}: threw ${(e as Error).stack}`);
    }
    if ((symbols.problems?.() ?? []).length > 0) withProblems++;
    withinBound(started, what);
  }
  assert.ok(withProblems > 0, 'no damage was ever reported');
});
