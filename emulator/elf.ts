/**
 * ELF32 little-endian RISC-V reader: program headers (what to load), section headers and the symbol
 * table. Pure TypeScript on a Uint8Array (no Node), so it also runs in a browser. Every offset is checked
 * against the file: bad input gives an ElfError with one sentence a user can act on, never a RangeError.
 */

export class ElfError extends Error {}

export interface ElfSegment { vaddr: number; paddr: number; data: Uint8Array; memsz: number; flags: number }
export interface ElfSection { name: string; type: number; addr: number; offset: number; size: number; data: Uint8Array }
export interface ElfSymbol {
  name: string; value: number; size: number;
  type: 'func' | 'object' | 'notype' | 'section' | 'file' | 'other';
  bind: 'local' | 'global' | 'weak' | 'other';
  sectionIndex: number;
}

export interface ElfImage {
  entry: number;
  flags: number;
  segments: ElfSegment[];
  sections: ElfSection[];
  symbols: ElfSymbol[];
  section(name: string): ElfSection | undefined;
  symbol(name: string): ElfSymbol | undefined;
  /** The function or object symbol whose range contains `address` (the closest one before it if none does). */
  symbolAt(address: number): ElfSymbol | undefined;
}

const MACHINES: Record<number, string> = {
  3: 'x86 (3)', 8: 'MIPS (8)', 20: 'PowerPC (20)', 21: 'PowerPC 64 (21)', 40: 'ARM (40)', 62: 'x86-64 (62)',
  183: 'AArch64 (183)', 243: 'RISC-V (243)', 258: 'LoongArch (258)',
};
const EM_RISCV = 243;
const PT_LOAD = 1;
const SHT_SYMTAB = 2;
const SHT_NOBITS = 8;
const MAX_HEADERS = 65535;

export function parseElf(bytes: Uint8Array): ElfImage {
  if (bytes.length < 16 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw new ElfError('not an ELF file (bad magic)');
  }
  if (bytes[4] === 2) throw new ElfError('64-bit ELF files are not supported: Rewind runs RV32 programs');
  if (bytes[4] !== 1) throw new ElfError(`unknown ELF class ${bytes[4]}`);
  if (bytes[5] !== 1) throw new ElfError('big-endian ELF files are not supported: RISC-V is little-endian');
  if (bytes.length < 52) throw new ElfError(`truncated ELF: the header needs 52 bytes, the file has ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number): number => view.getUint16(o, true);
  const u32 = (o: number): number => view.getUint32(o, true);
  const machine = u16(18);
  if (machine !== EM_RISCV) throw new ElfError(`not a RISC-V ELF: machine is ${MACHINES[machine] ?? `number ${machine}`}`);

  const within = (offset: number, size: number, what: string): void => {
    if (offset > bytes.length || size > bytes.length - offset) {
      throw new ElfError(`truncated ELF: ${what} extends past the end of the file (${bytes.length} bytes)`);
    }
  };

  const entry = u32(24);
  const phoff = u32(28);
  const shoff = u32(32);
  const flags = u32(36);
  const phentsize = u16(42);
  const phnum = u16(44);
  const shentsize = u16(46);
  const shnum = u16(48);
  const shstrndx = u16(50);

  const segments: ElfSegment[] = [];
  if (phnum > 0) {
    if (phentsize < 32) throw new ElfError(`bad ELF: program header size ${phentsize} is too small`);
    for (let i = 0; i < Math.min(phnum, MAX_HEADERS); i++) {
      const at = phoff + i * phentsize;
      within(at, 32, `program header ${i}`);
      if (u32(at) !== PT_LOAD) continue;
      const offset = u32(at + 4);
      const filesz = u32(at + 16);
      const memsz = u32(at + 20);
      within(offset, filesz, `the data of program header ${i}`);
      if (memsz < filesz) throw new ElfError(`bad ELF: program header ${i} has memsz ${memsz} smaller than filesz ${filesz}`);
      segments.push({ vaddr: u32(at + 8), paddr: u32(at + 12), data: bytes.slice(offset, offset + filesz), memsz, flags: u32(at + 24) });
    }
  }

  const sections: ElfSection[] = [];
  const raw: Array<{ nameOffset: number; type: number; addr: number; offset: number; size: number; link: number; entsize: number }> = [];
  if (shnum > 0 && shoff !== 0) {
    if (shentsize < 40) throw new ElfError(`bad ELF: section header size ${shentsize} is too small`);
    for (let i = 0; i < shnum; i++) {
      const at = shoff + i * shentsize;
      within(at, 40, `section header ${i}`);
      const type = u32(at + 4);
      const offset = u32(at + 16);
      const size = u32(at + 20);
      if (type !== SHT_NOBITS && type !== 0) within(offset, size, `section ${i}`);
      raw.push({ nameOffset: u32(at), type, addr: u32(at + 12), offset, size, link: u32(at + 24), entsize: u32(at + 36) });
    }
    const strtab = (index: number): { offset: number; size: number } => {
      const s = raw[index];
      if (!s) throw new ElfError(`bad ELF: string table section ${index} does not exist`);
      return { offset: s.offset, size: s.type === SHT_NOBITS ? 0 : s.size };
    };
    const names = shstrndx < raw.length ? strtab(shstrndx) : { offset: 0, size: 0 };
    for (const s of raw) {
      const data = s.type === SHT_NOBITS || s.type === 0 ? new Uint8Array(0) : bytes.subarray(s.offset, s.offset + s.size);
      sections.push({ name: readString(bytes, names, s.nameOffset), type: s.type, addr: s.addr, offset: s.offset, size: s.size, data });
    }
  }

  const symbols: ElfSymbol[] = [];
  const symtabIndex = raw.findIndex((s) => s.type === SHT_SYMTAB);
  if (symtabIndex >= 0) {
    const symtab = raw[symtabIndex];
    const names = raw[symtab.link] ? { offset: raw[symtab.link].offset, size: raw[symtab.link].size } : { offset: 0, size: 0 };
    const count = Math.floor(symtab.size / 16);
    for (let i = 1; i < count; i++) {
      const at = symtab.offset + i * 16;
      const info = bytes[at + 12];
      const type = TYPES[info & 0xf] ?? 'other';
      if (type === 'section') continue;
      const name = readString(bytes, names, u32(at));
      if (!name) continue;
      symbols.push({ name, value: u32(at + 4), size: u32(at + 8), type, bind: BINDS[info >> 4] ?? 'other', sectionIndex: u16(at + 14) });
    }
  }

  const byName = new Map<string, ElfSymbol>();
  for (const s of symbols) if (!byName.has(s.name) || s.bind === 'global') byName.set(s.name, s);
  const located = symbols.filter((s) => (s.type === 'func' || s.type === 'object') && s.sectionIndex !== 0).sort((a, b) => a.value - b.value);

  return {
    entry, flags, segments, sections, symbols,
    section: (name) => sections.find((s) => s.name === name),
    symbol: (name) => byName.get(name),
    symbolAt: (address) => {
      address >>>= 0;
      let best: ElfSymbol | undefined;
      for (const s of located) {
        if (s.value > address) break;
        if (address < s.value + Math.max(s.size, 1)) best = s;
        else if (!best || best.value + Math.max(best.size, 1) <= address) best = s;
      }
      return best;
    },
  };
}

const TYPES: Record<number, ElfSymbol['type']> = { 0: 'notype', 1: 'object', 2: 'func', 3: 'section', 4: 'file' };
const BINDS: Record<number, ElfSymbol['bind']> = { 0: 'local', 1: 'global', 2: 'weak' };

function readString(bytes: Uint8Array, table: { offset: number; size: number }, index: number): string {
  if (index >= table.size) return '';
  const start = table.offset + index;
  let end = start;
  const limit = table.offset + table.size;
  while (end < limit && bytes[end] !== 0) end++;
  return new TextDecoder().decode(bytes.subarray(start, end));
}
