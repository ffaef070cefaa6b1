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
import { hashWords, TwoPageHash, twoPageHash } from './page-hash';

function hashString(text: string, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

const [ZERO_A, ZERO_B] = hashWords(new Int32Array(PAGE_SIZE / 4));

export class StateHasher {
  private readonly pageA: Int32Array;
  private readonly pageB: Int32Array;
  private sumA = 0;
  private sumB = 0;
  private readonly hashTwo: TwoPageHash;

  constructor(private readonly machine: Machine) {
    this.hashTwo = twoPageHash(machine.ram.memory);
    this.pageA = new Int32Array(machine.ram.pageCount);
    this.pageB = new Int32Array(machine.ram.pageCount);
    // The loaded program's pages were written without the write barrier: hash them from the start.
    this.update(machine.loadedPages);
  }

  /**
   * Re-hashes pages that were written (the list from `Ram.takeDirtyPages()`); those that hash as before
   * (written back as they were, or not written at all) are added to `same` when it is given.
   */
  update(pages: Iterable<number>, same?: number[]): void {
    const list = Array.isArray(pages) ? pages as number[] : [...pages];
    for (let i = 0; i < list.length; i += 2) {
      // Two at a time (page-hash.ts); an odd one out goes twice.
      const p = list[i], q = i + 1 < list.length ? list[i + 1] : p;
      const [a, b, c, d] = this.hashTwo(p * PAGE_SIZE, q * PAGE_SIZE);
      this.set(p, a, b, same);
      if (q !== p) this.set(q, c, d, same);
    }
  }

  /** Page `page` hashes to `a`, `b` now (as `hashWords` gives them). */
  private set(page: number, a: number, b: number, same?: number[]): void {
    if (a === ZERO_A && b === ZERO_B) a = b = 0;
    else { a = Math.imul(a ^ page, 0x85ebca6b); b = Math.imul(b ^ page, 0xc2b2ae35); }
    if (same && a === this.pageA[page] && b === this.pageB[page]) same.push(page);
    this.sumA = (this.sumA - this.pageA[page] + a) | 0;
    this.sumB = (this.sumB - this.pageB[page] + b) | 0;
    this.pageA[page] = a;
    this.pageB[page] = b;
  }

  /**
   * The digest of the machine now; the caller must have passed every written page to `update`. `core`:
   * the machine's core state as JSON, when the caller has it already.
   */
  digest(core = JSON.stringify(this.machine.saveCore())): string {
    const a = hashString(core, this.sumA) >>> 0;
    const b = hashString(core, this.sumB) >>> 0;
    return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
  }
}
