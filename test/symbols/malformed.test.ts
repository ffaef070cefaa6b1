/**
 * Damaged debug info: every DWARF section of bug.elf truncated (its size cut in the section header) or
 * overwritten with random bytes (seeded, so a failure repeats). Loading must not throw, and every
 * question asked afterwards (lines, functions, scopes, values, unwinding) must answer, with partial
 * data, without throwing or hanging; what could not be read is told in problems().
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseElf } from '../../emulator/elf';
import { loadProgramSymbols } from '../../debugger/symbols/program-symbols';
import { MachineView, ProgramSymbols } from '../../debugger/symbols/api';
import { examplePath, exampleSymbols, markerLine } from './examples';
import { runToBreakpoint, startMachine, viewOf } from './machine-view';

const ELF = examplePath('bug/bug.elf');
const SECTIONS = ['.debug_info', '.debug_abbrev', '.debug_line', '.debug_str', '.debug_line_str', '.debug_loclists',
  '.debug_rnglists', '.debug_frame'];

/** A deterministic pseudo-random sequence (xorshift32). */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x;
  };
}

/** bug.elf stopped in remember(), as a view that outlives the machine's later changes. */
function stoppedView(): MachineView {
  const symbols = exampleSymbols('bug/bug.elf');
  const { machine } = startMachine(ELF);
  const source = examplePath('bug/bug.c');
  machine.setBreakpoints(symbols.resolveLine(source, markerLine(source, '#BP_CORRUPT'))!.addresses);
  runToBreakpoint(machine);
  return viewOf(machine);
}

/** Asks everything; returns how many answers were not empty (partial data is fine, throwing is not). */
function exercise(symbols: ProgramSymbols, view: MachineView): number {
  let answers = 0;
  const source = examplePath('bug/bug.c');
  for (const file of symbols.sourceFiles().slice(0, 20)) if (symbols.resolveLine(file, 1)) answers++;
  for (let line = 1; line < 130; line += 7) if (symbols.resolveLine(source, line)) answers++;
  for (let pc = 0x80000000; pc < 0x80000800; pc += 6) {
    if (symbols.locationAt(pc)) answers++;
    if (symbols.functionAt(pc)) answers++;
    symbols.isStatementStart(pc);
    symbols.symbolAt(pc);
  }
  symbols.functionNamed('main');
  symbols.addressOf('bank');
  const frames = symbols.unwind(view, 16);
  answers += frames.length;
  for (const frame of frames) {
    for (const v of [...symbols.localsAt(frame), ...symbols.globals().slice(0, 30)]) {
      symbols.sizeOf(v.type);
      if (symbols.locate(v, frame, view).kind !== 'unavailable') answers++;
    }
  }
  assert.ok(Array.isArray(symbols.problems?.()));
  return answers;
}

/** A copy of the ELF with one section's size in its header set to `size`. */
function withSectionSize(bytes: Uint8Array, name: string, size: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  const index = parseElf(bytes).sections.findIndex((s) => s.name === name);
  const view = new DataView(copy.buffer);
  const shoff = view.getUint32(32, true);
  view.setUint32(shoff + index * 40 + 20, size, true);
  return copy;
}

test('the undamaged program answers everything, with no problems', () => {
  const symbols = loadProgramSymbols(readFileSync(ELF), ELF);
  assert.deepEqual(symbols.problems?.(), []);
  assert.ok(exercise(symbols, stoppedView()) > 200);
});

for (const name of SECTIONS) {
  test(`${name} truncated: partial data, never a crash`, () => {
    const bytes = readFileSync(ELF);
    const size = parseElf(bytes).section(name)!.size;
    const view = stoppedView();
    for (const cut of [0, 1, 3, 11, Math.floor(size / 3), Math.floor(size / 2), size - 1]) {
      const symbols = loadProgramSymbols(withSectionSize(bytes, name, cut), ELF);
      exercise(symbols, view);
    }
    // Cut in the middle of the line table or the units, what was before the cut is still there.
    if (name === '.debug_line' || name === '.debug_info') {
      const half = loadProgramSymbols(withSectionSize(bytes, name, Math.floor(size / 2)), ELF);
      assert.ok(half.problems!().length > 0, 'the damage is reported');
      assert.ok(half.sourceFiles().length > 0 || half.functionNamed('_start'), 'something survives the cut');
    }
  });

  test(`${name} overwritten with random bytes: partial data, never a crash`, () => {
    const bytes = readFileSync(ELF);
    const section = parseElf(bytes).section(name)!;
    const next = random(0x5eed + section.offset);
    const view = stoppedView();
    for (let round = 0; round < 12; round++) {
      const copy = new Uint8Array(bytes);
      // A few scattered bytes, then (every third round) a whole run of garbage.
      const flips = round % 3 === 2 ? 64 : 4;
      const start = section.offset + (next() % section.size);
      for (let i = 0; i < flips; i++) {
        const at = round % 3 === 2 ? start + i : section.offset + (next() % section.size);
        if (at < section.offset + section.size) copy[at] = next() & 0xff;
      }
      let symbols: ProgramSymbols;
      try {
        symbols = loadProgramSymbols(copy, ELF);
      } catch (e) {
        assert.fail(`round ${round}: loading threw ${(e as Error).stack}`);
      }
      try {
        exercise(symbols, view);
      } catch (e) {
        assert.fail(`round ${round}: a question threw ${(e as Error).stack}`);
      }
    }
  });
}

test('a file that is not an ELF is an error a user can act on', () => {
  assert.throws(() => loadProgramSymbols(new TextEncoder().encode('hello'), '/tmp/x.elf'), /not an ELF file/);
});
