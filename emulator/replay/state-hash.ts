/**
 * The state hash: a 64-bit digest (16 hex digits) of the whole machine, registers, CSRs, devices and RAM,
 * so that a replay that diverges from its recording is caught at the next checkpoint.
 *
 * RAM is hashed incrementally: each page has a hash, refreshed only when the page was written, and the
 * digest combines them by page number. An all-zero page contributes nothing. A new hasher starts from
 * the pages the program was loaded into; after that, the caller passes every page written since.
 */
import { Machine } from '../machine';
import { PAGE_SIZE } from '../memory/ram';
import { hashWords, PAGES_AT_ONCE, PageHash, pageHash } from './page-hash';

const [ZERO_A, ZERO_B] = hashWords(new Int32Array(PAGE_SIZE / 4));

/** Pages a chunk of the hash tables holds (4 MiB of RAM, a chunk of 8 KiB). */
const CHUNK_SHIFT = 10;
const CHUNK_PAGES = 1 << CHUNK_SHIFT;

export class StateHasher {
  /**
   * Each page's two hashes, `[a, b]` of page p at 2p and 2p+1 of its chunk (`CHUNK_PAGES` pages a chunk,
   * made when a page of it is first hashed). Not two tables of a word per RAM page: V8 zero-fills them
   * (2 x 128 KiB for 128 MiB of RAM), and a fresh `rewind record` or `rewind replay` paid ~0.5-1.1 ms
   * of its main thread and 38-68 page faults for them (session 16), where a program's pages lie in a
   * few stretches (its image, its heap, its stack).
   */
  private readonly chunks: Array<Int32Array | undefined>;
  private sumA = 0;
  private sumB = 0;
  private readonly hashPages: PageHash;
  /** The offsets of the pages of one call to `hashPages`. */
  private readonly offsets: number[] = new Array<number>(PAGES_AT_ONCE).fill(0);

  constructor(private readonly machine: Machine) {
    this.hashPages = pageHash(machine.ram.memory, machine.ram.hashResultsOffset);
    this.chunks = new Array<Int32Array | undefined>(Math.ceil(machine.ram.pageCount / CHUNK_PAGES)).fill(undefined);
    // The loaded program's pages were written without the write barrier: hash them from the start.
    this.update(machine.loadedPages);
  }

  /**
   * Re-hashes pages that were written (the list from `Ram.takeDirtyPages()`); those that hash as before
   * (written back as they were, or not written at all) are added to `same` when it is given.
   */
  update(pages: Iterable<number>, same?: number[]): void {
    const list = Array.isArray(pages) ? pages as number[] : [...pages];
    const offsets = this.offsets;
    for (let i = 0; i < list.length; i += PAGES_AT_ONCE) {
      // Eight at a time (page-hash.ts); the last call's places left over take its last page again.
      const count = Math.min(PAGES_AT_ONCE, list.length - i);
      for (let k = 0; k < PAGES_AT_ONCE; k++) offsets[k] = list[i + Math.min(k, count - 1)] * PAGE_SIZE;
      const h = this.hashPages(offsets[0], offsets[1], offsets[2], offsets[3], offsets[4], offsets[5], offsets[6], offsets[7]);
      for (let k = 0; k < count; k++) this.set(list[i + k], h[k], h[PAGES_AT_ONCE + k], same);
    }
  }

  /** Page `page` hashes to `a`, `b` now (as `hashWords` gives them). */
  private set(page: number, a: number, b: number, same?: number[]): void {
    if (a === ZERO_A && b === ZERO_B) a = b = 0;
    else { a = Math.imul(a ^ page, 0x85ebca6b); b = Math.imul(b ^ page, 0xc2b2ae35); }
    const chunk = this.chunks[page >>> CHUNK_SHIFT] ??= new Int32Array(2 * CHUNK_PAGES);
    const at = 2 * (page & (CHUNK_PAGES - 1));
    const oldA = chunk[at], oldB = chunk[at + 1];
    if (same && a === oldA && b === oldB) same.push(page);
    this.sumA = (this.sumA - oldA + a) | 0;
    this.sumB = (this.sumB - oldB + b) | 0;
    chunk[at] = a;
    chunk[at + 1] = b;
  }

  /**
   * The digest of the machine now; the caller must have passed every written page to `update`. `core`:
   * the machine's core state as JSON, when the caller has it already.
   */
  digest(core = JSON.stringify(this.machine.saveCore())): string {
    return this.digestOf([this.sumA, this.sumB], core);
  }

  /** The RAM's part of the digest now (every written page passed to `update`), for `digestOf` later. */
  sums(): readonly [number, number] {
    return [this.sumA, this.sumB];
  }

  /** The digest of a state whose RAM gave `sums` and whose core state is `core` (as JSON). */
  digestOf(sums: readonly [number, number], core: string): string {
    // The core state's characters folded into each sum (FNV-1a's step), both in one pass.
    let a = sums[0], b = sums[1];
    for (let i = 0; i < core.length; i++) {
      const c = core.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x01000193);
    }
    return hex16(a, b);
  }
}

/** The character codes of the hex digits (lower case). */
const HEX = [...'0123456789abcdef'].map((c) => c.charCodeAt(0));

/**
 * Two 32-bit values as 16 hex digits (lower case), one string made at once. Not `toString(16)`: that
 * goes through V8's runtime in doubles (fmod, a digit at a time), ~2% of a recording's checkpoint
 * samples with its code cold; nor a digit at a time with `+=`: each of those 16 short strings is a copy
 * of its own (~0.5 KB of garbage a digest, ~55 KB a recording of long.elf that the young generation
 * collects).
 */
function hex16(a: number, b: number): string {
  return String.fromCharCode(
    HEX[a >>> 28], HEX[(a >>> 24) & 15], HEX[(a >>> 20) & 15], HEX[(a >>> 16) & 15], HEX[(a >>> 12) & 15], HEX[(a >>> 8) & 15], HEX[(a >>> 4) & 15], HEX[a & 15],
    HEX[b >>> 28], HEX[(b >>> 24) & 15], HEX[(b >>> 20) & 15], HEX[(b >>> 16) & 15], HEX[(b >>> 12) & 15], HEX[(b >>> 8) & 15], HEX[(b >>> 4) & 15], HEX[b & 15],
  );
}
