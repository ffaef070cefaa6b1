/**
 * What the ELF reader gives: segments to load, sections, symbols, and the look-ups over them (a symbol
 * by name, the symbol that contains an address). The reader itself is elf.ts.
 */

const SHN_UNDEF = 0;
const SHN_LORESERVE = 0xff00;
const SHN_COMMON = 0xfff2;
const ADDRESS_SPACE = 2 ** 32;

export interface ElfSegment {
  vaddr: number;
  paddr: number;
  /** The p_filesz bytes of the file (a copy); the rest of memsz is zero-filled when loading. */
  data: Uint8Array;
  memsz: number;
  /** PF_R = 4, PF_W = 2, PF_X = 1. */
  flags: number;
}

export interface ElfSection {
  name: string;
  type: number;
  addr: number;
  offset: number;
  size: number;
  /** A view into the file (not a copy); empty for SHT_NOBITS and SHT_NULL. */
  data: Uint8Array;
}

export interface ElfSymbol {
  name: string;
  value: number;
  size: number;
  type: 'func' | 'object' | 'notype' | 'section' | 'file' | 'other';
  bind: 'local' | 'global' | 'weak' | 'other';
  /** st_shndx (resolved through SHT_SYMTAB_SHNDX); 0 is undefined, 0xfff1 absolute, 0xfff2 common. */
  sectionIndex: number;
}

export interface ElfImage {
  entry: number;
  /** e_flags: EF_RISCV_RVC = 1, float ABI in bits 1–2, RVE = 8, TSO = 16. */
  flags: number;
  /** PT_LOAD segments, in program header order. */
  segments: ElfSegment[];
  sections: ElfSection[];
  /** From the symbol table, without the null symbol, section symbols and nameless symbols. */
  symbols: ElfSymbol[];
  /** The first section with this name. */
  section(name: string): ElfSection | undefined;
  /** The symbol with this name: defined before undefined, then global before weak before local. */
  symbol(name: string): ElfSymbol | undefined;
  /**
   * The function or object symbol whose range contains `address`: the innermost one (latest start) if
   * several do. A symbol without a size covers up to the next function or object symbol or the end of
   * its section, whichever is first (only its own address if it lies in no section).
   */
  symbolAt(address: number): ElfSymbol | undefined;
}

/** An ELF segment's flag: executable (code). */
const PF_X = 1;

/** The program's bytes of code: its executable segments' bytes in the file. */
export function codeBytes(image: ElfImage): number {
  return image.segments.reduce((sum, s) => sum + ((s.flags & PF_X) !== 0 ? s.data.length : 0), 0);
}

const BIND_RANK: Record<ElfSymbol['bind'], number> = { global: 0, weak: 1, local: 2, other: 3 };

/** Lower is better for symbol(name). */
function nameRank(s: ElfSymbol): number {
  return (s.sectionIndex === SHN_UNDEF ? 10 : 0) + (s.type === 'file' ? 5 : 0) + BIND_RANK[s.bind];
}

interface Range { symbol: ElfSymbol; start: number; end: number; sized: boolean }

/** A program's symbols as the reader keeps them: checked, each made into an object when first asked for. */
export interface SymbolTable {
  /** Every symbol, in table order (ElfImage.symbols). */
  all(): ElfSymbol[];
  /** The symbols with this name, in table order, made without making the others where the reader can. */
  named(name: string): ElfSymbol[];
}

/** Names looked up one by one (a run's `tohost` and `fromhost`) before a map of all of them is made. */
const NAMED_LOOKUPS = 2;

export function makeImage(entry: number, flags: number, segments: ElfSegment[], sections: ElfSection[],
  table: SymbolTable): ElfImage {
  const sectionsByName = new Map<string, ElfSection>();
  for (const s of sections) if (!sectionsByName.has(s.name)) sectionsByName.set(s.name, s);

  // Address ranges of the defined functions and objects, sorted by start, with the running maximum of
  // their ends so that a look-up walks back only over ranges that can still contain the address. Made
  // at the first look-up: a run that never asks (rewind run, record) does not sort thousands of symbols.
  let ranges: { ranges: Range[]; maxEnd: number[] } | undefined;
  const addressTable = (): { ranges: Range[]; maxEnd: number[] } => (ranges ??= addressRanges(table.all(), sections));

  // The map by name, made at the first look-up after NAMED_LOOKUPS (the same symbol either way).
  let byName: Map<string, ElfSymbol> | undefined;
  let lookups = 0;
  const best = (symbols: ElfSymbol[]): ElfSymbol | undefined => {
    let found: ElfSymbol | undefined;
    for (const s of symbols) if (!found || nameRank(s) < nameRank(found)) found = s;
    return found;
  };

  return {
    entry, flags, segments, sections,
    get symbols() { return table.all(); },
    section: (name) => sectionsByName.get(name),
    symbol: (name) => {
      if (byName === undefined && ++lookups <= NAMED_LOOKUPS) return best(table.named(name));
      if (byName === undefined) {
        byName = new Map<string, ElfSymbol>();
        for (const s of table.all()) {
          const known = byName.get(s.name);
          if (!known || nameRank(s) < nameRank(known)) byName.set(s.name, s);
        }
      }
      return byName.get(name);
    },
    symbolAt: (address) => {
      const { ranges, maxEnd } = addressTable();
      address >>>= 0;
      // The last range starting at or before the address.
      let lo = 0;
      let hi = ranges.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (ranges[mid].start <= address) lo = mid + 1;
        else hi = mid;
      }
      let best: Range | undefined;
      for (let i = lo - 1; i >= 0 && maxEnd[i] > address; i--) {
        const r = ranges[i];
        if (address < r.end && (!best || better(r, best))) best = r;
      }
      return best?.symbol;
    },
  };
}

/** Of two ranges holding an address, the one that names it better. */
function better(a: Range, b: Range): boolean {
  if (a.start !== b.start) return a.start > b.start;
  if (a.sized !== b.sized) return a.sized;
  if (a.end !== b.end) return a.end < b.end;
  if (a.symbol.bind !== b.symbol.bind) return BIND_RANK[a.symbol.bind] < BIND_RANK[b.symbol.bind];
  return a.symbol.type === 'func' && b.symbol.type !== 'func';
}

function addressRanges(symbols: ElfSymbol[], sections: ElfSection[]): { ranges: Range[]; maxEnd: number[] } {
  const located = symbols
    .filter((s) => (s.type === 'func' || s.type === 'object') && s.sectionIndex !== SHN_UNDEF && s.sectionIndex !== SHN_COMMON)
    .sort((a, b) => a.value - b.value);
  const ranges: Range[] = located.map((symbol, i) => {
    const start = symbol.value;
    if (symbol.size > 0) return { symbol, start, end: Math.min(start + symbol.size, ADDRESS_SPACE), sized: true };
    // Without a size: up to the next one or the end of its section; outside any section, the address only.
    const section = symbol.sectionIndex < SHN_LORESERVE ? sections[symbol.sectionIndex] : undefined;
    let end = start + 1;
    if (section && start >= section.addr && start < section.addr + section.size) {
      end = section.addr + section.size;
      for (let j = i + 1; j < located.length; j++) {
        if (located[j].value > start) { end = Math.min(end, located[j].value); break; }
      }
    }
    return { symbol, start, end, sized: false };
  });
  const maxEnd: number[] = [];
  for (let i = 0; i < ranges.length; i++) maxEnd.push(Math.max(ranges[i].end, i > 0 ? maxEnd[i - 1] : 0));
  return { ranges, maxEnd };
}
