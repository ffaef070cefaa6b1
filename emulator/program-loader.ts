/**
 * Placing an ELF's PT_LOAD segments in a fresh RAM, as QEMU's `-kernel` does, at a cost bounded by the
 * bytes in the file, not by what the headers claim: a crafted ELF of a few hundred bytes may declare
 * many segments that each cover all of RAM. A fresh RAM is already zero, so a segment's zero fill
 * (memsz beyond filesz) only has to clear the bytes earlier segments wrote there; the loaded pages are
 * counted from the merged address ranges, once.
 */
import { ElfSegment } from './elf';
import { PAGE_SHIFT, Ram } from './memory/ram';
import { hexAddress as hex } from './hex';

export interface LoadedProgram {
  /** RAM pages the segments cover, ascending. */
  pages: number[];
  /** The first address after the highest segment. */
  imageEnd: number;
}

interface Range { start: number; end: number }

export function loadSegments(ram: Ram, segments: readonly ElfSegment[]): LoadedProgram {
  const written: Range[] = [];
  const covered: Range[] = [];
  let imageEnd = 0;
  for (const segment of segments) {
    if (segment.memsz === 0) continue;
    const offset = ram.offsetOf(segment.paddr, Math.max(segment.memsz, 1));
    if (offset < 0) {
      throw new RangeError(`cannot load the program: a segment at ${hex(segment.paddr)} (${segment.memsz} bytes) ` +
        `is outside RAM (${hex(ram.base)}–${hex(ram.base + ram.size - 1)})`);
    }
    const dataEnd = offset + segment.data.length;
    const end = offset + segment.memsz;
    // The zero fill: only where an earlier segment put bytes (the rest of a fresh RAM is zero).
    for (const w of written) {
      const from = Math.max(w.start, dataEnd);
      const to = Math.min(w.end, end);
      if (from < to) ram.u8.fill(0, from, to);
    }
    ram.u8.set(segment.data, offset);
    if (segment.data.length > 0) written.push({ start: offset, end: dataEnd });
    covered.push({ start: offset, end });
    imageEnd = Math.max(imageEnd, segment.paddr + segment.memsz);
  }
  return { pages: pagesOf(covered), imageEnd };
}

/**
 * Where the program's first step is: the DRAM base (RAM's first byte) when a segment put bytes there,
 * else the ELF's entry. QEMU's virt board with `-bios none` starts there whatever the entry says (its
 * reset ROM jumps to the DRAM base, where firmware would be): a program made for it has its start code
 * there, and an ELF entry elsewhere (a vector table first, an ENTRY() naming a later routine) would skip
 * it. With nothing loaded there QEMU runs zeros and traps for ever; Rewind runs the program from its entry.
 */
export function startAddress(ram: Ram, segments: readonly ElfSegment[], entry: number): number {
  const base = ram.base >>> 0;
  const there = segments.some((s) => s.data.length > 0 && s.paddr >>> 0 <= base && base < (s.paddr >>> 0) + s.data.length);
  return there ? base : entry >>> 0;
}

/** The pages touched by a set of byte ranges, each once, ascending. */
function pagesOf(ranges: Range[]): number[] {
  const pages: number[] = [];
  let next = 0;
  for (const r of [...ranges].sort((a, b) => a.start - b.start)) {
    for (let page = Math.max(next, r.start >>> PAGE_SHIFT); page <= (r.end - 1) >>> PAGE_SHIFT; page++) pages.push(page);
    next = Math.max(next, ((r.end - 1) >>> PAGE_SHIFT) + 1);
  }
  return pages;
}
