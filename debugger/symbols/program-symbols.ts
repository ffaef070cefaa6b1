/**
 * `loadProgramSymbols`: everything the debugger knows about a program beyond its bytes, built once from
 * its ELF image: the ELF symbols, the DWARF line table, functions, variables and types, and the call
 * frame information for unwinding. Damaged debug info is read as far as it goes (see `problems()`);
 * only an unreadable ELF file is an error.
 */
import { dirname, resolve } from 'node:path';
import { parseElf } from '../../emulator/elf';
import { CallFrames } from './call-frames';
import { readDebugInfo, Die } from './debug-info';
import { DieAttributes } from './die-attributes';
import { dwarfSections } from './dwarf-sections';
import { dwarfFunctions, FunctionIndex, symbolFunctions } from './functions';
import { readProgramLines } from './program-lines';
import { LineTable } from './line-table';
import { locateVariable } from './variable-location';
import { TypeReader } from './types';
import { FrameDetail, unwindStack } from './unwinder';
import { VariableScopes } from './variables';
import { NearestSymbols } from './nearest-symbol';
import { CodeLabels } from './code-labels';
import { Frame, MachineView, ProgramSymbols, SourceLocation } from './api';

export function loadProgramSymbols(elf: Uint8Array, elfPath: string, options?: { sourceRoot?: string }): ProgramSymbols {
  const image = parseElf(elf);
  const nearest = new NearestSymbols(image.symbols, image.sections);
  const labels = new CodeLabels(image);
  const sections = dwarfSections(image);
  const root = options?.sourceRoot !== undefined ? resolve(options.sourceRoot) : dirname(resolve(elfPath));
  const info = readDebugInfo(sections);
  const problems = [...info.problems];
  const attrs = new DieAttributes(info, sections);

  const { programs, programOf } = readProgramLines(sections, info, attrs, root, problems);
  // Code the program really has: functions discarded by the linker keep debug info at address 0.
  const isCode = (address: number): boolean =>
    image.segments.some((seg) => (seg.flags & 1) !== 0 && address >= seg.vaddr && address < seg.vaddr + seg.memsz);
  const lines = new LineTable(programs.map((p) => p.rows), isCode);

  const declarationOf = (die: Die): SourceLocation | undefined => {
    const d = attrs.declaration(die);
    const file = d && programOf.get(die.unit)?.files[d.file];
    return d && file ? { file, line: d.line } : undefined;
  };
  const dwarf = new FunctionIndex(dwarfFunctions(info, attrs, declarationOf).filter((f) => isCode(f.low)));
  const functions = new FunctionIndex([...dwarf.all(), ...symbolFunctions(image, (a) => dwarf.at(a) !== undefined)]);
  const types = new TypeReader(attrs);
  const scopes = new VariableScopes(info, attrs, types, declarationOf);
  const frames = new CallFrames(sections.frame);
  problems.push(...frames.problems);
  const details = new WeakMap<Frame, FrameDetail>();
  /** The address to look up for a frame: an outer frame's pc is a return address, its call is just before. */
  const lookupPc = (frame: Frame): number => ((details.get(frame)?.index ?? 0) > 0 ? frame.pc - 1 : frame.pc) >>> 0;

  const symbols: ProgramSymbols = {
    sourceFiles: () => lines.files(),
    locationAt: (pc) => lines.locationAt(pc),
    isStatementStart: (pc) => lines.isStatementStart(pc),
    resolveLine: (file, line) => {
      const known = lines.matchFile(resolve(root, file));
      if (!known) return undefined;
      const target = lines.linesOf(known).find((l) => l.line >= line);
      if (!target) return undefined;
      // One address per function: a line's code can be split (a loop's test), a breakpoint takes its first part.
      const firstPerFunction = new Map<string, number>();
      for (const address of target.addresses) {
        const key = functions.at(address)?.info.name ?? `@${address}`;
        if (!firstPerFunction.has(key)) firstPerFunction.set(key, address);
      }
      return { line: target.line, addresses: [...firstPerFunction.values()].sort((a, b) => a - b) };
    },
    functionAt: (pc) => functions.at(pc)?.info,
    functionNamed: (name) => functions.named(name)?.info,
    symbolAt: (address) => {
      const s = image.symbolAt(address);
      if (s) return { name: s.name, offset: (address - s.value) >>> 0 };
      const fn = functions.at(address);
      return fn ? { name: fn.info.name, offset: (address - fn.low) >>> 0 } : undefined;
    },
    labelAt: (address) => labels.at(address),
    nearestSymbol: (address, from) => {
      const s = nearest.at(address >>> 0, from);
      return s ? { name: s.name, offset: (address >>> 0) - (s.value >>> 0) } : undefined;
    },
    addressOf: (name) => {
      const s = image.symbol(name);
      return s && s.sectionIndex !== 0 ? s.value >>> 0 : undefined;
    },
    unwind: (view: MachineView, maxFrames = 64) => unwindStack(frames, symbols, view, maxFrames, details),
    localsAt: (frame) => {
      const pc = lookupPc(frame);
      const fn = functions.at(pc);
      return fn?.die ? scopes.localsAt(fn.die, pc) : [];
    },
    globals: () => scopes.globals(),
    locate: (variable, frame, view) => {
      const die = scopes.die(variable);
      if (!die) return { kind: 'unavailable' };
      const pc = frame ? lookupPc(frame) : view.pc >>> 0;
      const functionDie = functions.at(pc)?.die;
      return locateVariable({ attrs, types, die, functionDie, pc, frame, detail: frame ? details.get(frame) : undefined, view,
        innermostCfa: () => symbols.unwind(view, 1)[0]?.cfa });
    },
    sizeOf: (type) => types.sizeOf(type),
    problems: () => [...problems],
  };
  return symbols;
}
