/**
 * Which function holds an address: DWARF subprograms first (C code, and picolibc's), then ELF symbols for
 * code without DWARF functions (hand-written assembly: its labels are NOTYPE symbols in .text). A local
 * label inside assembly code (a loop, say) does not start a function; a global one, or a typed local
 * function symbol, does.
 */
import { ElfImage, ElfSymbol } from '../../emulator/elf';
import { rangesOf } from './address-ranges';
import { At, Tag } from './dwarf-constants';
import { Die, DebugInfo } from './debug-info';
import { DieAttributes } from './die-attributes';
import { FunctionInfo, SourceLocation } from './api';
import { lastStartingAtOrBefore } from './sorted-spans';

export interface FunctionEntry {
  info: FunctionInfo;
  /** The subprogram DIE, when the function comes from DWARF. */
  die?: Die;
  /** This entry's range (a function split into several ranges has an entry per range). */
  low: number;
  high: number;
}

export class FunctionIndex {
  private readonly entries: FunctionEntry[];
  private readonly byName = new Map<string, FunctionEntry>();

  constructor(entries: FunctionEntry[]) {
    this.entries = entries.filter((e) => e.high > e.low).sort((a, b) => a.low - b.low || a.high - b.high);
    for (const e of this.entries) {
      const known = this.byName.get(e.info.name);
      // A name defined in DWARF wins over an ELF-only one; otherwise the first (lowest address) stays.
      if (!known || (!known.die && e.die)) this.byName.set(e.info.name, e);
    }
  }

  all(): FunctionEntry[] {
    return this.entries;
  }

  /** The innermost entry containing `pc` (the latest start among those that contain it). */
  at(pc: number): FunctionEntry | undefined {
    pc >>>= 0;
    const last = lastStartingAtOrBefore(this.entries, pc);
    // Entries do not nest in C, but be safe with overlaps: walk back a few to find one that contains pc.
    for (let i = last; i >= 0 && i >= last - 7; i--) {
      const e = this.entries[i];
      if (pc < e.high) return e;
    }
    return undefined;
  }

  named(name: string): FunctionEntry | undefined {
    return this.byName.get(name);
  }
}

/** Every concrete (non-declaration) subprogram with code. */
export function dwarfFunctions(info: DebugInfo, attrs: DieAttributes,
  declarationOf: (die: Die) => SourceLocation | undefined): FunctionEntry[] {
  const out: FunctionEntry[] = [];
  // Iterative: a damaged tree can nest thousands deep.
  const pending: Die[] = info.units.flatMap((u) => (u.root ? [u.root] : [])).reverse();
  for (let die = pending.pop(); die; die = pending.pop()) {
    if (die.tag === Tag.subprogram && !attrs.flag(die, At.declaration)) {
      const name = attrs.name(die);
      const ranges = safeRanges(attrs, die);
      if (name && ranges.length > 0) {
        for (const range of ranges) {
          const fn: FunctionInfo = { name, low: range.low, high: range.high };
          const declaration = declarationOf(die);
          if (declaration) fn.declaration = declaration;
          out.push({ info: fn, die, low: range.low, high: range.high });
        }
      }
    }
    for (let i = die.children.length - 1; i >= 0; i--) pending.push(die.children[i]);
  }
  return out;
}

function safeRanges(attrs: DieAttributes, die: Die): Array<{ low: number; high: number }> {
  try {
    return rangesOf(attrs, die);
  } catch {
    return []; // a damaged range list loses this function, not the program
  }
}

/** Whether a symbol lies in a section of code (.text*, .init, .fini). */
export function inCodeSection(image: ElfImage, s: ElfSymbol): boolean {
  const section = s.sectionIndex > 0 && s.sectionIndex < 0xff00 ? image.sections[s.sectionIndex] : undefined;
  return !!section && (section.name.startsWith('.text') || section.name === '.init' || section.name === '.fini');
}

/** Functions from ELF symbols, for code that DWARF describes no function for. */
export function symbolFunctions(image: ElfImage, covered: (address: number) => boolean): FunctionEntry[] {
  const starts = image.symbols.filter((s) =>
    inCodeSection(image, s) && !s.name.startsWith('$') && !s.name.startsWith('.L') &&
    (s.type === 'func' || (s.type === 'notype' && s.bind !== 'local')));
  starts.sort((a, b) => a.value - b.value);
  const out: FunctionEntry[] = [];
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i];
    if (covered(s.value)) continue;
    if (i > 0 && starts[i - 1].value === s.value && !covered(starts[i - 1].value)) continue; // an alias
    const section = image.sections[s.sectionIndex];
    let high = s.size > 0 ? s.value + s.size : section.addr + section.size;
    if (s.size === 0) {
      const next = starts.find((n) => n.value > s.value);
      if (next && next.value < high) high = next.value;
    }
    const info: FunctionInfo = { name: s.name, low: s.value, high };
    if (s.size === 0) info.unsized = true;
    out.push({ info, low: s.value, high });
  }
  return out;
}
