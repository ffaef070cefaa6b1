/**
 * ELF32 little-endian RISC-V reader: program headers (what to load), section headers and the symbol
 * table. Pure TypeScript on a Uint8Array (no Node), so it also runs in a browser.
 *
 * Every field that is used is checked before it is used: offsets and sizes against the file, indices
 * against their tables, counts against the room they need. Bad input gives an ElfError whose message is
 * one sentence a user can act on; nothing else is ever thrown (the unit test fuzzes this).
 */

import { ElfImage, ElfSection, ElfSegment, ElfSymbol, makeImage, SymbolTable } from './elf-image';
import { hexNumber as hex } from './hex';

export type { ElfImage, ElfSection, ElfSegment, ElfSymbol } from './elf-image';
export { codeBytes } from './elf-image';

export class ElfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ElfError';
  }
}


const MACHINES: Record<number, string> = {
  0: 'none', 2: 'SPARC', 3: 'x86', 4: 'Motorola 68000', 8: 'MIPS', 18: 'SPARC v8+', 20: 'PowerPC',
  21: 'PowerPC 64', 22: 'IBM S/390', 40: 'ARM', 42: 'SuperH', 43: 'SPARC v9', 50: 'IA-64', 62: 'x86-64',
  83: 'AVR', 94: 'Xtensa', 105: 'MSP430', 164: 'Hexagon', 183: 'AArch64', 190: 'CUDA', 224: 'AMD GPU',
  243: 'RISC-V', 247: 'BPF', 258: 'LoongArch',
};

const EM_RISCV = 243;
const ELFCLASS32 = 1;
const ELFCLASS64 = 2;
const ELFDATA2LSB = 1;
const ELFDATA2MSB = 2;
const EV_CURRENT = 1;
const ET_REL = 1;
const ET_EXEC = 2;
const ET_DYN = 3;
const ET_CORE = 4;
const PT_NULL = 0;
const PT_LOAD = 1;
const PN_XNUM = 0xffff;
const SHT_NULL = 0;
const SHT_SYMTAB = 2;
const SHT_STRTAB = 3;
const SHT_NOBITS = 8;
const SHT_SYMTAB_SHNDX = 18;
const SHN_UNDEF = 0;
const SHN_LORESERVE = 0xff00;
const SHN_XINDEX = 0xffff;
const STT_SECTION = 3;

const EHDR_SIZE = 52;
const PHDR_SIZE = 32;
const SHDR_SIZE = 40;
const SYM_SIZE = 16;
const ADDRESS_SPACE = 2 ** 32;

const TYPES: Record<number, ElfSymbol['type']> = { 0: 'notype', 1: 'object', 2: 'func', 3: 'section', 4: 'file' };
const BINDS: Record<number, ElfSymbol['bind']> = { 0: 'local', 1: 'global', 2: 'weak' };

const utf8 = new TextDecoder('utf-8');

interface RawSection {
  nameOffset: number; type: number; addr: number; offset: number; size: number; link: number; entsize: number;
}

/** A string table: a range of the file whose strings are NUL-terminated. */
/**
 * A string table, and its whole text once read (undefined: not yet; null: it has bytes above 0x7f, so
 * each name is decoded from its own bytes).
 */
interface StringTable { offset: number; size: number; what: string; text?: string | null }

/** The text of `length` bytes at `offset`, if all of them are ASCII (one character a byte), else null. */
function asciiText(bytes: Uint8Array, offset: number, length: number): string | null {
  for (let i = offset; i < offset + length; i++) if (bytes[i] > 0x7f) return null;
  return utf8.decode(bytes.subarray(offset, offset + length));
}

function machineName(machine: number): string {
  const name = MACHINES[machine];
  return name === undefined ? `machine number ${machine}` : `${name} (${machine})`;
}

export function parseElf(bytes: Uint8Array): ElfImage {
  const fileSize = bytes.length;

  // --- ELF identification and header -------------------------------------------------------------
  if (fileSize < 4 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw new ElfError('not an ELF file (bad magic)');
  }
  if (fileSize < 20) {
    throw new ElfError(`truncated ELF: the ELF header needs ${EHDR_SIZE} bytes, the file has ${fileSize}`);
  }
  const elfClass = bytes[4];
  const encoding = bytes[5];
  if (encoding !== ELFDATA2LSB && encoding !== ELFDATA2MSB) {
    throw new ElfError(`bad ELF: unknown data encoding ${encoding} (expected 1, little-endian)`);
  }
  // e_machine sits at the same place in 32- and 64-bit headers, so a foreign program is named as such
  // (an x86-64 executable is "not RISC-V" before it is "64-bit").
  const machine = encoding === ELFDATA2LSB ? bytes[18] | (bytes[19] << 8) : (bytes[18] << 8) | bytes[19];
  if (machine !== EM_RISCV) throw new ElfError(`not a RISC-V ELF: machine is ${machineName(machine)}`);
  if (elfClass === ELFCLASS64) throw new ElfError('64-bit ELF files are not supported: Rewind runs RV32 programs');
  if (elfClass !== ELFCLASS32) throw new ElfError(`bad ELF: unknown class ${elfClass} (expected 1, 32-bit)`);
  if (encoding === ELFDATA2MSB) {
    throw new ElfError('big-endian ELF files are not supported: RISC-V programs are little-endian');
  }
  if (bytes[6] !== EV_CURRENT) throw new ElfError(`bad ELF: unknown ELF version ${bytes[6]} (expected 1)`);
  if (fileSize < EHDR_SIZE) {
    throw new ElfError(`truncated ELF: the ELF header needs ${EHDR_SIZE} bytes, the file has ${fileSize}`);
  }

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number): number => view.getUint16(at, true);
  const u32 = (at: number): number => view.getUint32(at, true);

  /** Throws unless [offset, offset + size) lies within the file. */
  const within = (offset: number, size: number, what: string): void => {
    if (offset > fileSize || size > fileSize - offset) {
      throw new ElfError(`truncated ELF: ${what} extends past the end of the file (${fileSize} bytes)`);
    }
  };
  /** Throws unless `count` table entries of `entsize` bytes (of which `used` are read) at `offset` fit. */
  const tableWithin = (offset: number, count: number, entsize: number, used: number, what: string): void => {
    if (count === 0) return;
    if (offset > fileSize || used > fileSize - offset) {
      throw new ElfError(`truncated ELF: ${what} 0 extends past the end of the file (${fileSize} bytes)`);
    }
    // The first entry that does not fit, found without walking an absurd count.
    const fitting = Math.floor((fileSize - offset - used) / entsize) + 1;
    if (fitting < count) {
      throw new ElfError(`truncated ELF: ${what} ${fitting} extends past the end of the file (${fileSize} bytes)`);
    }
  };

  const type = u16(16);
  if (type === ET_REL) {
    throw new ElfError('this is a relocatable object file (.o), not a program: link it into an executable first');
  }
  if (type === ET_CORE) throw new ElfError('this is a core dump, not a program: Rewind runs executables');
  if (type !== ET_EXEC && type !== ET_DYN) {
    throw new ElfError(`bad ELF: unknown file type ${type} (expected 2, an executable)`);
  }
  const version = u32(20);
  if (version !== EV_CURRENT) throw new ElfError(`bad ELF: unknown ELF version ${version} in the header (expected 1)`);
  const entry = u32(24);
  const phoff = u32(28);
  const shoff = u32(32);
  const flags = u32(36);
  const ehsize = u16(40);
  const phentsize = u16(42);
  let phnum = u16(44);
  const shentsize = u16(46);
  let shnum = u16(48);
  let shstrndx = u16(50);
  if (ehsize < EHDR_SIZE) throw new ElfError(`bad ELF: the header size is ${ehsize} bytes, less than ${EHDR_SIZE}`);
  within(0, ehsize, 'the ELF header');

  // Extended numbering: more than 0xfeff sections or 0xfffe program headers are counted in section 0.
  if (shoff !== 0) {
    if (shentsize < SHDR_SIZE) {
      throw new ElfError(`bad ELF: the section header size is ${shentsize} bytes, less than ${SHDR_SIZE}`);
    }
    if (shnum === 0 || shstrndx === SHN_XINDEX || phnum === PN_XNUM) {
      within(shoff, SHDR_SIZE, 'section header 0');
      if (shnum === 0) shnum = u32(shoff + 20);
      if (shstrndx === SHN_XINDEX) shstrndx = u32(shoff + 24);
      if (phnum === PN_XNUM) phnum = u32(shoff + 28);
    }
  } else if (shnum !== 0) {
    throw new ElfError(`bad ELF: the header counts ${shnum} section headers but gives no section header table`);
  } else if (phnum === PN_XNUM) {
    throw new ElfError('bad ELF: the program header count is in section header 0, but there is no section header table');
  }

  // --- Program headers: what to load ----------------------------------------------------------------
  const segments: ElfSegment[] = [];
  if (phnum !== 0) {
    if (phentsize < PHDR_SIZE) {
      throw new ElfError(`bad ELF: the program header size is ${phentsize} bytes, less than ${PHDR_SIZE}`);
    }
    tableWithin(phoff, phnum, phentsize, PHDR_SIZE, 'program header');
  }
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    const ptype = u32(at);
    if (ptype === PT_NULL) continue;
    const offset = u32(at + 4);
    const vaddr = u32(at + 8);
    const paddr = u32(at + 12);
    const filesz = u32(at + 16);
    const memsz = u32(at + 20);
    within(offset, filesz, `the contents of program header ${i} (${filesz} bytes at offset ${offset})`);
    if (ptype !== PT_LOAD) continue;
    if (memsz < filesz) {
      throw new ElfError(`bad ELF: program header ${i} has a memory size (${memsz}) smaller than its file size (${filesz})`);
    }
    if (vaddr + memsz > ADDRESS_SPACE || paddr + memsz > ADDRESS_SPACE) {
      throw new ElfError(`bad ELF: program header ${i} (${memsz} bytes at ${hex(vaddr)}, loaded at ${hex(paddr)}) ` +
        'runs past the end of the 32-bit address space');
    }
    // A copy: Node's Buffer.slice would give a view.
    segments.push({ vaddr, paddr, data: new Uint8Array(bytes.subarray(offset, offset + filesz)), memsz, flags: u32(at + 24) });
  }

  // --- Section headers ------------------------------------------------------------------------------
  const raw: RawSection[] = [];
  if (shnum !== 0) tableWithin(shoff, shnum, shentsize, SHDR_SIZE, 'section header');
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize;
    raw.push({
      nameOffset: u32(at), type: u32(at + 4), addr: u32(at + 12), offset: u32(at + 16), size: u32(at + 20),
      link: u32(at + 24), entsize: u32(at + 36),
    });
  }
  const hasContents = (s: RawSection): boolean => s.type !== SHT_NOBITS && s.type !== SHT_NULL;

  /** The string table in section `index`, checked to be one and to lie within the file. */
  const stringTable = (index: number, what: string, user: string): StringTable => {
    const s = raw[index];
    if (index === SHN_UNDEF || s === undefined) {
      throw new ElfError(`bad ELF: ${user} names section ${index} as its ${what}, but the file has ${raw.length} sections`);
    }
    if (s.type !== SHT_STRTAB) {
      throw new ElfError(`bad ELF: ${user} names section ${index} as its ${what}, but that section is not a string table`);
    }
    within(s.offset, s.size, `the ${what} (section ${index})`);
    return { offset: s.offset, size: s.size, what };
  };

  /** The NUL-terminated string at `index` of `table`. */
  const readString = (table: StringTable, index: number, kind: string, number: number): string => {
    if (index >= table.size) {
      throw new ElfError(`bad ELF: the name of ${kind} ${number} is at offset ${index}, past the end of the ${table.what} ` +
        `(${table.size} bytes)`);
    }
    // A table read once and sliced by name: a large program's symbols (bench/bigcode: 1,825) each made
    // two views, a search and a decode, ~25K instructions a name in code V8 has not optimized at the start.
    const text = table.text === undefined ? (table.text = asciiText(bytes, table.offset, table.size)) : table.text;
    if (text !== null) {
      const end = text.indexOf('\0', index);
      if (end < 0) throw new ElfError(`bad ELF: the name of ${kind} ${number} runs past the end of the ${table.what}`);
      return text.slice(index, end);
    }
    const rest = bytes.subarray(table.offset + index, table.offset + table.size);
    const length = rest.indexOf(0);
    if (length < 0) throw new ElfError(`bad ELF: the name of ${kind} ${number} runs past the end of the ${table.what}`);
    return utf8.decode(rest.subarray(0, length));
  };

  const sectionNames: StringTable | undefined = shstrndx === SHN_UNDEF
    ? undefined : stringTable(shstrndx, 'section name table', 'the ELF header');
  const sections: ElfSection[] = raw.map((s, i) => {
    const name = sectionNames ? readString(sectionNames, s.nameOffset, 'section', i) : '';
    if (hasContents(s)) within(s.offset, s.size, `section ${i}${name ? ` (${name})` : ''}`);
    const data = hasContents(s) ? new Uint8Array(bytes.buffer, bytes.byteOffset + s.offset, s.size) : new Uint8Array(0);
    return { name, type: s.type, addr: s.addr, offset: s.offset, size: s.size, data };
  });

  // --- Symbols ----------------------------------------------------------------------------------------
  // Every entry is checked here (a malformed one is an ElfError at once, in table order), but a symbol's
  // object is made when it is asked for: `rewind run` asks only for `tohost` and `fromhost`
  // (devices/htif.ts), and making all of a large program's (bench/bigcode: 1,825) in code V8 has not
  // optimized was ~30M instructions of a fresh run (cachegrind, `rewind run --max-steps 1`: 566 -> 557M
  // with a table's text read once, -> 544M with this; 533M with no symbols at all).
  let table: SymbolTable = { all: () => [], named: () => [] };
  const symtabIndex = raw.findIndex((s) => s.type === SHT_SYMTAB);
  if (symtabIndex >= 0) {
    const symtab = raw[symtabIndex];
    if (symtab.entsize !== SYM_SIZE) {
      throw new ElfError(`bad ELF: the symbol table's entry size is ${symtab.entsize}, expected ${SYM_SIZE}`);
    }
    if (symtab.size % SYM_SIZE !== 0) {
      throw new ElfError(`bad ELF: the symbol table's size (${symtab.size}) is not a multiple of ${SYM_SIZE}`);
    }
    const count = symtab.size / SYM_SIZE;
    const names = stringTable(symtab.link, 'symbol name table', 'the symbol table');
    const xindexSection = raw.findIndex((s) => s.type === SHT_SYMTAB_SHNDX && s.link === symtabIndex);
    const xindex = xindexSection >= 0 ? raw[xindexSection] : undefined;
    if (xindex && xindex.size < count * 4) {
      throw new ElfError(`bad ELF: the extended section index table (section ${xindexSection}) is smaller than the symbol table`);
    }
    // A name that starts at or before the table's last NUL ends within the table.
    let lastNul = names.size - 1;
    while (lastNul >= 0 && bytes[names.offset + lastNul] !== 0) lastNul--;
    const at = (i: number): number => symtab.offset + i * SYM_SIZE;
    const nameOf = (i: number): string => readString(names, u32(at(i)), 'symbol', i);
    const sectionOf = (i: number): number => {
      const shndx = u16(at(i) + 14);
      return shndx === SHN_XINDEX && xindex ? u32(xindex.offset + i * 4) : shndx;
    };
    /** The entries that are symbols (not the null symbol, a section's or a nameless one), in table order. */
    const kept: number[] = [];
    // (Few calls a turn: this loop runs in V8's interpreter, at ~100 instructions a call.)
    for (let i = 1, entry = symtab.offset + SYM_SIZE; i < count; i++, entry += SYM_SIZE) {
      if ((bytes[entry + 12] & 0xf) === STT_SECTION) continue;
      const nameOffset = u32(entry);
      if (nameOffset >= names.size || nameOffset > lastNul) nameOf(i); // throws what is wrong with the name
      if (bytes[names.offset + nameOffset] === 0) continue;
      const shndx = bytes[entry + 14] | (bytes[entry + 15] << 8);
      if (shndx === SHN_XINDEX && !xindex) {
        throw new ElfError(`bad ELF: symbol ${nameOf(i)} has an extended section index, but there is no SHT_SYMTAB_SHNDX section`);
      }
      if (shndx === SHN_UNDEF || (shndx >= SHN_LORESERVE && shndx !== SHN_XINDEX)) {
        kept.push(i);
        continue;
      }
      const sectionIndex = sectionOf(i);
      if (sectionIndex >= raw.length) {
        throw new ElfError(`bad ELF: symbol ${nameOf(i)} belongs to section ${sectionIndex}, but the file has ${raw.length} sections`);
      }
      kept.push(i);
    }
    const made = new Map<number, ElfSymbol>();
    const symbolOf = (i: number): ElfSymbol => {
      let symbol = made.get(i);
      if (symbol === undefined) {
        const info = bytes[at(i) + 12];
        symbol = {
          name: nameOf(i), value: u32(at(i) + 4), size: u32(at(i) + 8), type: TYPES[info & 0xf] ?? 'other',
          bind: BINDS[info >> 4] ?? 'other', sectionIndex: sectionOf(i),
        };
        made.set(i, symbol);
      }
      return symbol;
    };
    let all: ElfSymbol[] | undefined;
    table = {
      all: () => (all ??= kept.map(symbolOf)),
      named: (name) => {
        // Where the names' text is known (ASCII), the places in it that hold exactly this name, and the
        // entries whose names start there; else every symbol's name.
        if (names.text === undefined) names.text = asciiText(bytes, names.offset, names.size);
        const text = names.text;
        if (text === null || name === '' || name.includes('\0')) return table.all().filter((s) => s.name === name);
        const places: number[] = [];
        for (let p = text.indexOf(`${name}\0`); p >= 0; p = text.indexOf(`${name}\0`, p + 1)) places.push(p);
        return places.length === 0 ? [] : kept.filter((i) => places.includes(u32(at(i)))).map(symbolOf);
      },
    };
  }

  return makeImage(entry, flags, segments, sections, table);
}
