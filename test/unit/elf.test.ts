/**
 * The ELF reader: hand-built ELF32 files (a tiny builder below) for what must parse and for every kind
 * of bad input, prefixes and seeded random mutations (bad input must give an ElfError, never another
 * exception), and a cross-check against GNU readelf on ELFs that the real toolchain builds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ElfError, ElfImage, parseElf } from '../../emulator/elf';

// --- A tiny ELF32 little-endian builder ---------------------------------------------------------------

const PT_LOAD = 1;
const PT_NOTE = 4;
const SHT_PROGBITS = 1;
const SHT_SYMTAB = 2;
const SHT_STRTAB = 3;
const SHT_NOBITS = 8;
const SHN_ABS = 0xfff1;
const STT = { notype: 0, object: 1, func: 2, section: 3, file: 4 } as const;
const STB = { local: 0, global: 1, weak: 2 } as const;

interface SegmentSpec { type?: number; vaddr: number; paddr?: number; data: Uint8Array; memsz?: number; flags: number }
interface SectionSpec {
  name: string; type: number; addr?: number;
  /** Contents of its own; or `segment`, to share the file bytes of that segment; or `size` for NOBITS. */
  data?: Uint8Array; segment?: number; size?: number;
}
interface SymbolSpec {
  name: string; value: number; size?: number; type: number; bind: number;
  /** A section name (looked up among the built sections) or a raw st_shndx. */
  section: string | number;
}
interface ElfSpec {
  entry: number; flags?: number; machine?: number; elfClass?: number; encoding?: number; type?: number;
  segments: SegmentSpec[]; sections: SectionSpec[]; symbols?: SymbolSpec[];
}
interface Built {
  bytes: Uint8Array;
  phoff: number; shoff: number;
  /** File offset of each segment's data. */
  segmentOffsets: number[];
  /** Section index by name (including .symtab, .strtab and .shstrtab). */
  index: Map<string, number>;
  /** File offset of each section's header. */
  header(sectionIndex: number): number;
  symtabOffset: number;
}

class Writer {
  private chunks: number[] = [];
  get length(): number { return this.chunks.length; }
  align(n: number): void { while (this.chunks.length % n !== 0) this.chunks.push(0); }
  bytes(b: Uint8Array | number[]): number { const at = this.chunks.length; for (const x of b) this.chunks.push(x); return at; }
  u8(v: number): void { this.chunks.push(v & 0xff); }
  u16(v: number): void { this.u8(v); this.u8(v >>> 8); }
  u32(v: number): void { this.u16(v & 0xffff); this.u16(v >>> 16); }
  zeros(n: number): void { for (let i = 0; i < n; i++) this.chunks.push(0); }
  toBytes(): Uint8Array { return Uint8Array.from(this.chunks); }
}

class StrTab {
  readonly data: number[] = [0];
  add(s: string): number {
    if (s === '') return 0;
    const at = this.data.length;
    for (const b of Buffer.from(s, 'utf8')) this.data.push(b);
    this.data.push(0);
    return at;
  }
}

function buildElf(spec: ElfSpec): Built {
  const w = new Writer();
  w.zeros(52);
  const phoff = spec.segments.length ? w.length : 0;
  w.zeros(32 * spec.segments.length);
  const segmentOffsets = spec.segments.map((s) => { w.align(4); return w.bytes(s.data); });

  // Sections: the null one, the given ones, then .symtab/.strtab (with symbols) and .shstrtab.
  const shstr = new StrTab();
  interface Out { name: number; type: number; addr: number; offset: number; size: number; link: number; info: number; entsize: number }
  const out: Out[] = [{ name: 0, type: 0, addr: 0, offset: 0, size: 0, link: 0, info: 0, entsize: 0 }];
  const index = new Map<string, number>();
  for (const s of spec.sections) {
    index.set(s.name, out.length);
    let offset = w.length;
    let size = 0;
    if (s.segment !== undefined) { offset = segmentOffsets[s.segment]; size = spec.segments[s.segment].data.length; }
    else if (s.data) { w.align(4); offset = w.bytes(s.data); size = s.data.length; }
    else size = s.size ?? 0;
    out.push({ name: shstr.add(s.name), type: s.type, addr: s.addr ?? 0, offset, size, link: 0, info: 0, entsize: 0 });
  }
  let symtabOffset = 0;
  if (spec.symbols) {
    const strtab = new StrTab();
    const sym = new Writer();
    sym.zeros(16);
    let locals = 1;
    for (const s of spec.symbols) {
      const shndx = typeof s.section === 'number' ? s.section : index.get(s.section);
      assert.ok(shndx !== undefined, `no section ${String(s.section)}`);
      sym.u32(strtab.add(s.name)); sym.u32(s.value); sym.u32(s.size ?? 0);
      sym.u8((s.bind << 4) | s.type); sym.u8(0); sym.u16(shndx);
      if (s.bind === STB.local) locals++;
    }
    w.align(4);
    symtabOffset = w.bytes(sym.toBytes());
    const strtabOffset = w.bytes(strtab.data);
    index.set('.symtab', out.length);
    out.push({ name: shstr.add('.symtab'), type: SHT_SYMTAB, addr: 0, offset: symtabOffset, size: sym.length,
      link: out.length + 1, info: locals, entsize: 16 });
    index.set('.strtab', out.length);
    out.push({ name: shstr.add('.strtab'), type: SHT_STRTAB, addr: 0, offset: strtabOffset, size: strtab.data.length,
      link: 0, info: 0, entsize: 0 });
  }
  index.set('.shstrtab', out.length);
  const shstrndx = out.length;
  const shstrName = shstr.add('.shstrtab');
  const shstrOffset = w.bytes(shstr.data);
  out.push({ name: shstrName, type: SHT_STRTAB, addr: 0, offset: shstrOffset, size: shstr.data.length, link: 0, info: 0, entsize: 0 });
  w.align(4);
  const shoff = w.length;
  for (const s of out) {
    w.u32(s.name); w.u32(s.type); w.u32(0); w.u32(s.addr); w.u32(s.offset); w.u32(s.size);
    w.u32(s.link); w.u32(s.info); w.u32(4); w.u32(s.entsize);
  }
  const bytes = w.toBytes();

  const h = new Writer();
  h.bytes([0x7f, 0x45, 0x4c, 0x46, spec.elfClass ?? 1, spec.encoding ?? 1, 1, 0]);
  h.zeros(8);
  h.u16(spec.type ?? 2); h.u16(spec.machine ?? 243); h.u32(1);
  h.u32(spec.entry); h.u32(phoff); h.u32(shoff); h.u32(spec.flags ?? 0);
  h.u16(52); h.u16(32); h.u16(spec.segments.length); h.u16(40); h.u16(out.length); h.u16(shstrndx);
  bytes.set(h.toBytes(), 0);
  const p = new Writer();
  spec.segments.forEach((s, i) => {
    p.u32(s.type ?? PT_LOAD); p.u32(segmentOffsets[i]); p.u32(s.vaddr); p.u32(s.paddr ?? s.vaddr);
    p.u32(s.data.length); p.u32(s.memsz ?? s.data.length); p.u32(s.flags); p.u32(4);
  });
  bytes.set(p.toBytes(), phoff);
  return { bytes, phoff, shoff, segmentOffsets, index, header: (i) => shoff + 40 * i, symtabOffset };
}

function put32(bytes: Uint8Array, at: number, v: number): void {
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(at, v, true);
}
function put16(bytes: Uint8Array, at: number, v: number): void {
  new DataView(bytes.buffer, bytes.byteOffset).setUint16(at, v, true);
}

const TEXT = Uint8Array.from({ length: 64 }, (_, i) => (i * 7 + 0x13) & 0xff);
const DATA = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);

/** Two PT_LOAD segments (the second with memsz > filesz, loaded elsewhere than it runs) and a symtab. */
function sample(change: Partial<ElfSpec> = {}): Built {
  return buildElf({
    entry: 0x80000000,
    flags: 0x5, // RVC, double-float ABI
    segments: [
      { type: PT_NOTE, vaddr: 0, data: Uint8Array.from([1, 2, 3, 4]), flags: 4 },
      { vaddr: 0x80000000, data: TEXT, flags: 5 },
      { vaddr: 0x80001000, paddr: 0x80000040, data: DATA, memsz: 0x100, flags: 6 },
    ],
    sections: [
      { name: '.text', type: SHT_PROGBITS, addr: 0x80000000, segment: 1 },
      { name: '.data', type: SHT_PROGBITS, addr: 0x80001000, segment: 2 },
      { name: '.bss', type: SHT_NOBITS, addr: 0x80001010, size: 0xf0 },
      { name: '.comment', type: SHT_PROGBITS, data: Uint8Array.from(Buffer.from('GCC: 12\0')) },
    ],
    symbols: [
      { name: '.text', value: 0x80000000, type: STT.section, bind: STB.local, section: '.text' },
      { name: 'prog.c', value: 0, type: STT.file, bind: STB.local, section: SHN_ABS },
      { name: '', value: 0x80000004, type: STT.notype, bind: STB.local, section: '.text' },
      { name: '$x', value: 0x80000000, type: STT.notype, bind: STB.local, section: '.text' },
      { name: 'helper', value: 0x80000010, size: 0x10, type: STT.func, bind: STB.local, section: '.text' },
      { name: 'dup', value: 0x11, type: STT.object, bind: STB.local, section: SHN_ABS },
      { name: '_start', value: 0x80000000, type: STT.func, bind: STB.global, section: '.text' },
      { name: 'main', value: 0x80000020, size: 0x20, type: STT.func, bind: STB.global, section: '.text' },
      { name: 'counter', value: 0x80001000, size: 4, type: STT.object, bind: STB.global, section: '.data' },
      { name: 'buffer', value: 0x80001010, size: 0x80, type: STT.object, bind: STB.weak, section: '.bss' },
      { name: 'block', value: 0x80001020, size: 0x40, type: STT.object, bind: STB.global, section: '.bss' },
      { name: 'block_head', value: 0x80001020, size: 8, type: STT.object, bind: STB.global, section: '.bss' },
      { name: 'puts', value: 0, type: STT.notype, bind: STB.global, section: 0 },
      { name: 'dup', value: 0x22, type: STT.object, bind: STB.global, section: SHN_ABS },
      { name: 'högskola', value: 0xfffffff0, size: 0x10, type: STT.object, bind: STB.global, section: SHN_ABS },
    ],
    ...change,
  });
}

function throwsElf(bytes: Uint8Array, message: RegExp | string): void {
  assert.throws(() => parseElf(bytes), (e: unknown) => {
    assert.ok(e instanceof ElfError, `expected an ElfError, got ${String(e)}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

/** Parses `bytes`, which may be bad: returns the image or the ElfError; any other exception fails. */
function parseOrElfError(bytes: Uint8Array, what: string): ElfImage | ElfError {
  try {
    return parseElf(bytes);
  } catch (e) {
    if (!(e instanceof ElfError)) assert.fail(`${what}: ${e instanceof Error ? e.stack : String(e)}`);
    assert.ok(e.message.length > 10 && !e.message.includes('undefined') && !e.message.includes('NaN'),
      `${what}: unclear message "${e.message}"`);
    return e;
  }
}

/** Checks what a successful parse promises, and that its look-ups do not throw either. */
function checkImage(image: ElfImage, fileSize: number, random: () => number): void {
  const u32 = (n: number): boolean => Number.isInteger(n) && n >= 0 && n < 2 ** 32;
  assert.ok(u32(image.entry) && u32(image.flags));
  for (const s of image.segments) {
    assert.ok(u32(s.vaddr) && u32(s.paddr) && u32(s.memsz) && u32(s.flags));
    assert.ok(s.data.length <= s.memsz && s.vaddr + s.memsz <= 2 ** 32 && s.paddr + s.memsz <= 2 ** 32);
  }
  for (const s of image.sections) {
    assert.ok(u32(s.addr) && u32(s.offset) && u32(s.size) && u32(s.type));
    assert.ok(s.data.length === 0 || s.offset + s.size <= fileSize);
    image.section(s.name);
  }
  for (const s of image.symbols) {
    assert.ok(s.name !== '' && s.type !== 'section' && u32(s.value) && u32(s.size));
    assert.ok(image.symbol(s.name));
    image.symbolAt(s.value);
  }
  for (let i = 0; i < 8; i++) image.symbolAt(Math.floor(random() * 2 ** 32));
}

/** mulberry32: a small seeded PRNG, so that a failing mutation can be replayed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

// --- A valid image -------------------------------------------------------------------------------------

test('a valid image: header, PT_LOAD segments, sections', () => {
  const built = sample();
  const image = parseElf(built.bytes);
  assert.equal(image.entry, 0x80000000);
  assert.equal(image.flags, 0x5);
  assert.equal(image.segments.length, 2, 'PT_LOAD only (the PT_NOTE is left out)');
  const [text, data] = image.segments;
  assert.deepEqual({ ...text, data: [...text.data] }, { vaddr: 0x80000000, paddr: 0x80000000, data: [...TEXT], memsz: 64, flags: 5 });
  assert.deepEqual({ ...data, data: [...data.data] }, { vaddr: 0x80001000, paddr: 0x80000040, data: [...DATA], memsz: 0x100, flags: 6 });

  assert.deepEqual(image.sections.map((s) => s.name), ['', '.text', '.data', '.bss', '.comment', '.symtab', '.strtab', '.shstrtab']);
  const textSection = image.section('.text');
  assert.ok(textSection);
  assert.equal(textSection.type, SHT_PROGBITS);
  assert.equal(textSection.addr, 0x80000000);
  assert.equal(textSection.offset, built.segmentOffsets[1]);
  assert.equal(textSection.size, 64);
  assert.deepEqual([...textSection.data], [...TEXT]);
  const bss = image.section('.bss');
  assert.ok(bss);
  assert.equal(bss.type, SHT_NOBITS);
  assert.equal(bss.size, 0xf0);
  assert.equal(bss.data.length, 0, 'NOBITS has no file contents');
  assert.equal(Buffer.from(image.section('.comment')?.data ?? []).toString(), 'GCC: 12\0');
  assert.equal(image.section('.nothing'), undefined);
});

test('a valid image: symbols from .symtab, without section and nameless symbols', () => {
  const image = parseElf(sample().bytes);
  assert.deepEqual(image.symbols.map((s) => s.name),
    ['prog.c', '$x', 'helper', 'dup', '_start', 'main', 'counter', 'buffer', 'block', 'block_head', 'puts', 'dup', 'högskola']);
  assert.deepEqual(image.symbol('main'), { name: 'main', value: 0x80000020, size: 0x20, type: 'func', bind: 'global', sectionIndex: 1 });
  assert.deepEqual(image.symbol('prog.c'), { name: 'prog.c', value: 0, size: 0, type: 'file', bind: 'local', sectionIndex: SHN_ABS });
  assert.equal(image.symbol('buffer')?.bind, 'weak');
  assert.equal(image.symbol('buffer')?.sectionIndex, 3);
  assert.equal(image.symbol('puts')?.sectionIndex, 0);
  assert.equal(image.symbol('dup')?.value, 0x22, 'a global symbol wins over a local one of the same name');
  assert.equal(image.symbol('högskola')?.value, 0xfffffff0, 'values are unsigned 32-bit');
  assert.equal(image.symbol('.text'), undefined);
  assert.equal(image.symbol('nothing'), undefined);
});

test('symbolAt: the innermost function or object containing the address', () => {
  const image = parseElf(sample().bytes);
  const at = (a: number): string | undefined => image.symbolAt(a)?.name;
  assert.equal(at(0x80000000), '_start');
  assert.equal(at(0x8000000f), '_start', 'a sizeless symbol reaches up to the next one');
  assert.equal(at(0x80000010), 'helper');
  assert.equal(at(0x8000001f), 'helper');
  assert.equal(at(0x80000020), 'main');
  assert.equal(at(0x8000003f), 'main');
  assert.equal(at(0x80000040), undefined, 'past the end of main and of .text');
  assert.equal(at(0x80001003), 'counter');
  assert.equal(at(0x80001004), undefined, 'a gap between objects');
  assert.equal(at(0x80001010), 'buffer');
  assert.equal(at(0x80001024), 'block_head', 'of two at the same start, the smaller');
  assert.equal(at(0x80001030), 'block', 'the latest start (nested in buffer)');
  assert.equal(at(0x80001060), 'buffer');
  assert.equal(at(0x80001090), undefined);
  assert.equal(at(0xffffffff), 'högskola');
  assert.equal(at(-0x7ffffff0), 'helper', 'addresses are taken as unsigned 32-bit');
  assert.equal(at(0x22), 'dup', 'a sizeless symbol outside any section covers its own address');
  assert.equal(at(0x23), undefined, '... and only that');
  assert.equal(at(0), undefined);
});

test('segment data is a copy, section data a view, for any Uint8Array (Buffer, unaligned offset)', () => {
  const built = sample();
  const unaligned = new Uint8Array(built.bytes.length + 3).subarray(3);
  unaligned.set(built.bytes);
  for (const input of [Buffer.from(built.bytes), unaligned]) {
    const image = parseElf(input);
    assert.deepEqual([...image.segments[0].data], [...TEXT]);
    input[built.segmentOffsets[1]] ^= 0xff;
    assert.equal(image.segments[0].data[0], TEXT[0], 'the segment kept its bytes');
    assert.equal(image.section('.text')?.data[0], TEXT[0] ^ 0xff, 'the section sees the file');
    assert.equal(image.symbol('main')?.value, 0x80000020);
  }
});

test('no section header table: segments only', () => {
  const bytes = sample().bytes.slice();
  put32(bytes, 32, 0); put16(bytes, 48, 0); put16(bytes, 50, 0);
  const image = parseElf(bytes);
  assert.equal(image.segments.length, 2);
  assert.deepEqual(image.sections, []);
  assert.deepEqual(image.symbols, []);
  assert.equal(image.symbolAt(0x80000000), undefined);
});

// --- What is not a RISC-V RV32 program ------------------------------------------------------------------

test('bad magic', () => {
  throwsElf(new Uint8Array(0), 'not an ELF file (bad magic)');
  throwsElf(Uint8Array.from([0x7f, 0x45, 0x4c]), 'not an ELF file (bad magic)');
  throwsElf(Uint8Array.from(Buffer.from('MZ\x90\x00 this is a PE file, not an ELF file at all')), 'not an ELF file (bad magic)');
  const bytes = sample().bytes.slice();
  bytes[1] = 0x65;
  throwsElf(bytes, 'not an ELF file (bad magic)');
});

test('other machines are named', () => {
  throwsElf(sample({ machine: 62, elfClass: 2 }).bytes, 'not a RISC-V ELF: machine is x86-64 (62)');
  throwsElf(sample({ machine: 62 }).bytes, 'not a RISC-V ELF: machine is x86-64 (62)');
  throwsElf(sample({ machine: 183, elfClass: 2 }).bytes, 'not a RISC-V ELF: machine is AArch64 (183)');
  throwsElf(sample({ machine: 40 }).bytes, 'not a RISC-V ELF: machine is ARM (40)');
  throwsElf(sample({ machine: 3 }).bytes, 'not a RISC-V ELF: machine is x86 (3)');
  throwsElf(sample({ machine: 4242 }).bytes, 'not a RISC-V ELF: machine is machine number 4242');
  // A big-endian MIPS file: e_machine is read in the file's byte order.
  const mips = sample({ encoding: 2 }).bytes.slice();
  mips[18] = 0; mips[19] = 8;
  throwsElf(mips, 'not a RISC-V ELF: machine is MIPS (8)');
});

test('64-bit, big-endian and unknown class or encoding', () => {
  throwsElf(sample({ elfClass: 2 }).bytes, '64-bit ELF files are not supported: Rewind runs RV32 programs');
  const bigEndian = sample({ encoding: 2 }).bytes.slice();
  bigEndian[18] = 0; bigEndian[19] = 243;
  throwsElf(bigEndian, /^big-endian ELF files are not supported/);
  throwsElf(sample({ elfClass: 7 }).bytes, /^bad ELF: unknown class 7/);
  throwsElf(sample({ encoding: 0 }).bytes, /^bad ELF: unknown data encoding 0/);
});

test('object files, core dumps and unknown types are not programs', () => {
  throwsElf(sample({ type: 1 }).bytes, /relocatable object file \(\.o\).*link it/);
  throwsElf(sample({ type: 4 }).bytes, /core dump/);
  throwsElf(sample({ type: 0 }).bytes, /^bad ELF: unknown file type 0/);
  assert.equal(parseElf(sample({ type: 3 }).bytes).entry, 0x80000000, 'ET_DYN (PIE) loads');
});

// --- Truncated and corrupted files -----------------------------------------------------------------------

test('every prefix of a valid file is an ElfError, with a message about what is cut', () => {
  const built = sample();
  const { bytes } = built;
  for (let n = 0; n < bytes.length; n++) {
    const result = parseOrElfError(bytes.subarray(0, n), `prefix of ${n} bytes`);
    assert.ok(result instanceof ElfError, `prefix of ${n} bytes parsed`);
  }
  assert.ok(!(parseOrElfError(bytes, 'the whole file') instanceof ElfError));
  throwsElf(bytes.subarray(0, 30), `truncated ELF: the ELF header needs 52 bytes, the file has 30`);
  throwsElf(bytes.subarray(0, built.phoff + 32 + 31),
    `truncated ELF: program header 1 extends past the end of the file (${built.phoff + 63} bytes)`);
  throwsElf(bytes.subarray(0, built.segmentOffsets[2] + 3), /^truncated ELF: the contents of program header 2 .*extends past the end/);
  throwsElf(bytes.subarray(0, built.shoff + 40 * 3 + 5), /^truncated ELF: section header 3 extends past the end/);
  throwsElf(bytes.subarray(0, built.shoff), /^truncated ELF: section header 0 extends past the end/);
});

test('corrupted fields give clear errors', () => {
  const built = sample();
  const corrupt = (change: (b: Uint8Array) => void, message: RegExp): void => {
    const b = built.bytes.slice();
    change(b);
    throwsElf(b, message);
  };
  const ph = (i: number): number => built.phoff + 32 * i;
  const sh = (name: string): number => built.header(built.index.get(name) ?? -1);
  corrupt((b) => put32(b, ph(2) + 20, 8), /^bad ELF: program header 2 has a memory size \(8\) smaller than its file size \(16\)/);
  corrupt((b) => put32(b, ph(1) + 8, 0xfffffff0), /^bad ELF: program header 1 .*runs past the end of the 32-bit address space/);
  corrupt((b) => put32(b, ph(2) + 4, 0xfffffff0), /^truncated ELF: the contents of program header 2/);
  corrupt((b) => put16(b, 42, 16), /^bad ELF: the program header size is 16 bytes/);
  corrupt((b) => put16(b, 46, 20), /^bad ELF: the section header size is 20 bytes/);
  corrupt((b) => put16(b, 40, 20), /^bad ELF: the header size is 20 bytes/);
  corrupt((b) => put32(b, 20, 2), /^bad ELF: unknown ELF version 2/);
  corrupt((b) => put16(b, 44, 0xfffe), /^truncated ELF: program header \d+ extends past the end/);
  corrupt((b) => put16(b, 48, 0xfffe), /^truncated ELF: section header \d+ extends past the end/);
  corrupt((b) => put16(b, 50, 99), /^bad ELF: the ELF header names section 99 as its section name table, but the file has 8 sections/);
  corrupt((b) => put16(b, 50, 1), /^bad ELF: .*section 1 .*not a string table/);
  corrupt((b) => put32(b, sh('.data'), 5000), /^bad ELF: the name of section 2 is at offset 5000, past the end of the section name table/);
  corrupt((b) => put32(b, sh('.text') + 16, 0x7fffffff), /^truncated ELF: section 1 \(\.text\) extends past the end/);
  corrupt((b) => put32(b, sh('.symtab') + 24, 1), /^bad ELF: the symbol table names section 1 as its symbol name table, but that section is not a string table/);
  corrupt((b) => put32(b, sh('.symtab') + 36, 24), /^bad ELF: the symbol table's entry size is 24, expected 16/);
  corrupt((b) => put32(b, sh('.symtab') + 20, 17), /^bad ELF: the symbol table's size \(17\) is not a multiple of 16/);
  corrupt((b) => put32(b, built.symtabOffset + 16 * 7, 0xffff), /^bad ELF: the name of symbol 7 is at offset 65535, past the end of the symbol name table/);
  corrupt((b) => put16(b, built.symtabOffset + 16 * 8 + 14, 77), /^bad ELF: symbol main belongs to section 77, but the file has 8 sections/);
  corrupt((b) => put16(b, built.symtabOffset + 16 * 8 + 14, 0xffff), /^bad ELF: symbol main has an extended section index/);
  // The last byte of .strtab is the terminating NUL of 'högskola'.
  corrupt((b) => { const at = sh('.strtab'); b[new DataView(b.buffer).getUint32(at + 16, true) + new DataView(b.buffer).getUint32(at + 20, true) - 1] = 0x41; },
    /^bad ELF: the name of symbol 15 runs past the end of the symbol name table/);
  // Extended numbering: counts in section header 0, absurd ones included.
  corrupt((b) => { put16(b, 44, 0xffff); put32(b, built.shoff + 28, 0xffffffff); }, /^truncated ELF: program header \d+ extends past the end/);
  corrupt((b) => { put16(b, 48, 0); put32(b, built.shoff + 20, 0xffffffff); }, /^truncated ELF: section header \d+ extends past the end/);
  corrupt((b) => { put32(b, 32, 0); }, /^bad ELF: the header counts 8 section headers but gives no section header table/);
});

test('extended numbering that is in range is honoured', () => {
  const b = sample().bytes.slice();
  const shoff = new DataView(b.buffer).getUint32(32, true);
  put16(b, 44, 0xffff); put32(b, shoff + 28, 3);
  put16(b, 48, 0); put32(b, shoff + 20, 8);
  put16(b, 50, 0xffff); put32(b, shoff + 24, 7);
  const image = parseElf(b);
  assert.equal(image.segments.length, 2);
  assert.equal(image.sections.length, 8);
  assert.equal(image.symbol('main')?.value, 0x80000020);
});

test('extended symbol section indices (SHT_SYMTAB_SHNDX) are resolved', () => {
  const SHT_SYMTAB_SHNDX = 18;
  const indices = new Uint8Array(16 * 4);
  const base = sample();
  const withIndices = (table: Uint8Array): Built => sample({
    sections: [
      { name: '.text', type: SHT_PROGBITS, addr: 0x80000000, segment: 1 },
      { name: '.data', type: SHT_PROGBITS, addr: 0x80001000, segment: 2 },
      { name: '.bss', type: SHT_NOBITS, addr: 0x80001010, size: 0xf0 },
      { name: '.comment', type: SHT_PROGBITS, data: Uint8Array.from(Buffer.from('GCC: 12\0')) },
      { name: '.symtab_shndx', type: SHT_SYMTAB_SHNDX, data: table },
    ],
  });
  put32(indices, 8 * 4, 2); // symbol 8 (main) is in section 2, through the table
  const built = withIndices(indices);
  const link = (b: Built): Uint8Array => {
    const bytes = b.bytes.slice();
    put32(bytes, b.header(b.index.get('.symtab_shndx') ?? -1) + 24, b.index.get('.symtab') ?? -1);
    put16(bytes, b.symtabOffset + 16 * 8 + 14, 0xffff);
    return bytes;
  };
  assert.equal(parseElf(link(built)).symbol('main')?.sectionIndex, 2);
  assert.equal(parseElf(base.bytes).symbol('main')?.sectionIndex, 1);
  put32(indices, 8 * 4, 300);
  throwsElf(link(withIndices(indices)), /^bad ELF: symbol main belongs to section 300, but the file has 9 sections/);
  throwsElf(link(withIndices(indices.subarray(0, 20))), /^bad ELF: the extended section index table \(section 5\) is smaller than the symbol table/);
});

test('thousands of random mutations give a valid parse or an ElfError, never another exception', () => {
  const built = sample();
  const original = built.bytes;
  const random = prng(0x5eed1e);
  // Most mutations hit the structure (headers, tables, symbols): random bytes in contents prove little.
  const regions: Array<[number, number]> = [
    [0, 52], [built.phoff, built.phoff + 96], [built.shoff, original.length], [built.symtabOffset, built.symtabOffset + 16 * 16],
    [0, original.length],
  ];
  const interesting = [0, 1, 0x7f, 0x80, 0xff, 0xfe, 16, 40, 52];
  let parsed = 0;
  let failed = 0;
  for (let iteration = 0; iteration < 4000; iteration++) {
    const bytes = original.slice();
    const changes = 1 + Math.floor(random() * 4);
    for (let c = 0; c < changes; c++) {
      const [from, to] = regions[Math.floor(random() * regions.length)];
      const at = from + Math.floor(random() * (to - from));
      const how = random();
      if (how < 0.4) bytes[at] = Math.floor(random() * 256);
      else if (how < 0.7) bytes[at] = interesting[Math.floor(random() * interesting.length)];
      else bytes[at] ^= 1 << Math.floor(random() * 8);
    }
    const cut = random() < 0.1 ? Math.floor(random() * bytes.length) : bytes.length;
    const result = parseOrElfError(bytes.subarray(0, cut), `mutation ${iteration}`);
    if (result instanceof ElfError) failed++;
    else { parsed++; checkImage(result, cut, random); }
  }
  assert.ok(parsed > 100 && failed > 100, `a mix of outcomes (${parsed} parsed, ${failed} rejected)`);
});

test('random bytes behind a valid ELF identification are rejected or parsed, never crash', () => {
  const random = prng(42);
  for (let iteration = 0; iteration < 1000; iteration++) {
    const bytes = Uint8Array.from({ length: Math.floor(random() * 400) }, () => Math.floor(random() * 256));
    bytes.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1].slice(0, bytes.length));
    if (bytes.length > 19) { bytes[18] = 243; bytes[19] = 0; }
    const result = parseOrElfError(bytes, `random file ${iteration}`);
    if (!(result instanceof ElfError)) checkImage(result, bytes.length, random);
  }
});

// --- Cross-check against GNU readelf on real toolchain output ---------------------------------------------

const TYPE_NAMES: Record<string, string> = { FUNC: 'func', OBJECT: 'object', NOTYPE: 'notype', FILE: 'file', SECTION: 'section' };
const SPECIAL_INDEX: Record<string, number> = { UND: 0, ABS: 0xfff1, COM: 0xfff2 };

interface ReadElf {
  entry: number; flags: number;
  loads: Array<{ vaddr: number; paddr: number; filesz: number; memsz: number; flags: number }>;
  sections: Array<{ name: string; addr: number; offset: number; size: number }>;
  symbols: Array<{ name: string; value: number; size: number; type: string; bind: string; sectionIndex: number }>;
}

function readelf(path: string): ReadElf {
  let text: string;
  try {
    text = execFileSync('riscv64-unknown-elf-readelf', ['-W', '-h', '-l', '-S', '-s', path], { encoding: 'utf8' });
  } catch (e) {
    throw new Error(`riscv64-unknown-elf-readelf failed (apt-get install -y gcc-riscv64-unknown-elf): ${String(e)}`);
  }
  const num = (s: string): number => (s.startsWith('0x') ? parseInt(s, 16) : parseInt(s, 10));
  const entry = /Entry point address:\s+0x([0-9a-f]+)/.exec(text);
  const flags = /Flags:\s+0x([0-9a-f]+)/.exec(text);
  assert.ok(entry && flags, 'readelf printed a header');
  const result: ReadElf = { entry: parseInt(entry[1], 16), flags: parseInt(flags[1], 16), loads: [], sections: [], symbols: [] };
  for (const line of text.split('\n')) {
    let m = /^\s+LOAD\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s(.{3})\s+0x[0-9a-f]+$/.exec(line);
    if (m) {
      const f = m[5];
      result.loads.push({ vaddr: parseInt(m[1], 16), paddr: parseInt(m[2], 16), filesz: parseInt(m[3], 16), memsz: parseInt(m[4], 16),
        flags: (f[0] === 'R' ? 4 : 0) | (f[1] === 'W' ? 2 : 0) | (f[2] === 'E' ? 1 : 0) });
      continue;
    }
    m = /^\s*\[\s*\d+\]\s+(?:(\S+)\s+)?[A-Za-z_0-9+]+\s+([0-9a-f]{8})\s+([0-9a-f]+)\s+([0-9a-f]+)\s/.exec(line);
    if (m) {
      result.sections.push({ name: m[1] ?? '', addr: parseInt(m[2], 16), offset: parseInt(m[3], 16), size: parseInt(m[4], 16) });
      continue;
    }
    m = /^\s*(\d+): ([0-9a-f]{8})\s+(0x[0-9a-f]+|\d+)\s+(\w+)\s+(\w+)\s+\w+\s+(\w+)\s?(.*)$/.exec(line);
    if (m && m[1] !== '0' && m[4] !== 'SECTION' && m[7] !== '') {
      result.symbols.push({ name: m[7], value: parseInt(m[2], 16), size: num(m[3]), type: TYPE_NAMES[m[4]] ?? 'other',
        bind: ({ LOCAL: 'local', GLOBAL: 'global', WEAK: 'weak' } as Record<string, string>)[m[5]] ?? 'other', sectionIndex: SPECIAL_INDEX[m[6]] ?? parseInt(m[6], 10) });
    }
  }
  return result;
}

function crossCheck(path: string, expectStart: boolean): void {
  const bytes = readFileSync(path);
  const image = parseElf(bytes);
  const reference = readelf(path);
  assert.equal(image.entry, reference.entry, 'entry');
  assert.equal(image.flags, reference.flags, 'flags');
  assert.ok(reference.loads.length >= 2, 'readelf shows the PT_LOAD segments');
  assert.deepEqual(image.segments.map((s) => ({ vaddr: s.vaddr, paddr: s.paddr, filesz: s.data.length, memsz: s.memsz, flags: s.flags })),
    reference.loads);
  assert.ok(image.segments.some((s) => s.memsz > s.data.length), 'a segment with memsz > filesz (.bss)');
  for (const s of image.segments) {
    const offset = bytes.indexOf(Buffer.from(s.data.subarray(0, 64)));
    assert.ok(s.data.length === 0 || offset >= 0, 'segment data comes from the file');
  }
  assert.deepEqual(image.sections.map((s) => ({ name: s.name, addr: s.addr, offset: s.offset, size: s.size })), reference.sections);
  assert.ok(reference.symbols.length > 5, 'readelf shows the symbols');
  assert.deepEqual(image.symbols, reference.symbols);
  for (const name of expectStart ? ['main', '_start'] : ['main']) {
    const expected = reference.symbols.find((s) => s.name === name && s.bind === 'global');
    assert.ok(expected, `readelf shows ${name}`);
    assert.equal(image.symbol(name)?.value, expected.value, name);
    assert.equal(image.symbolAt(expected.value + 2)?.name, name, `symbolAt inside ${name}`);
  }
  // Prefixes and mutations of a real file: an ElfError or a parse, never another exception.
  const random = prng(7);
  for (let n = 0; n < bytes.length; n += 1 + Math.floor(bytes.length / 600)) parseOrElfError(bytes.subarray(0, n), `${path} cut at ${n}`);
  for (let iteration = 0; iteration < 300; iteration++) {
    const copy = Uint8Array.from(bytes);
    for (let c = 0; c < 3; c++) {
      const at = random() < 0.5 ? Math.floor(random() * 52) : copy.length - 1 - Math.floor(random() * Math.min(copy.length, 2000));
      copy[at] = Math.floor(random() * 256);
    }
    const result = parseOrElfError(copy, `${path} mutation ${iteration}`);
    if (!(result instanceof ElfError)) checkImage(result, copy.length, random);
  }
}

test('matches GNU readelf on a program built by the real toolchain', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-elf-'));
  try {
    const source = join(dir, 'tiny.c');
    const elf = join(dir, 'tiny.elf');
    writeFileSync(source, [
      'int counter = 42;',
      'int zeroes[64];',
      'int main(void) { for (int i = 0; i < 64; i++) zeroes[i] = i * counter; return zeroes[5]; }',
      'void _start(void) { main(); for (;;) {} }',
    ].join('\n'));
    try {
      execFileSync('riscv64-unknown-elf-gcc', ['-march=rv32imac', '-mabi=ilp32', '-nostdlib', '-nostartfiles',
        '-Ttext=0x80000000', '-O1', '-o', elf, source], { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      throw new Error(`riscv64-unknown-elf-gcc failed; this test needs it (apt-get install -y gcc-riscv64-unknown-elf): ${String(e)}`);
    }
    crossCheck(elf, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const HELLO = resolve(__dirname, '../../../examples/hello/hello.elf');
test('matches GNU readelf on examples/hello/hello.elf', () => {
  assert.ok(existsSync(HELLO), 'examples/hello/hello.elf is committed; rebuild it with npm run examples');
  crossCheck(HELLO, true);
});
