/**
 * The state hash: a 64-bit digest (16 hex digits) of the whole machine, registers, CSRs, devices and RAM,
 * so that a replay that diverges from its recording is caught at the next checkpoint.
 *
 * RAM is hashed incrementally: each page has a hash, refreshed only when the page was written, and the
 * digest combines them by page number. An all-zero page contributes nothing, so a fresh machine only
 * hashes the pages its program was loaded into.
 */
import { Machine } from '../machine';
import { PAGE_SIZE } from '../memory/ram';

function hashWords(words: Int32Array, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < words.length; i++) {
    h = Math.imul(h ^ words[i], 0x9e3779b1);
    h ^= h >>> 15;
  }
  return h;
}

function hashString(text: string, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

const SEED_A = 0x811c9dc5;
const SEED_B = 0x2545f491;
const ZERO_PAGE = new Int32Array(PAGE_SIZE / 4);
const ZERO_A = hashWords(ZERO_PAGE, SEED_A);
const ZERO_B = hashWords(ZERO_PAGE, SEED_B);

export class StateHasher {
  private readonly pageA: Int32Array;
  private readonly pageB: Int32Array;
  private sumA = 0;
  private sumB = 0;

  constructor(private readonly machine: Machine) {
    this.pageA = new Int32Array(machine.ram.pageCount);
    this.pageB = new Int32Array(machine.ram.pageCount);
  }

  /** Re-hashes pages that were written (the list from `Ram.takeDirtyPages()`). */
  update(pages: Iterable<number>): void {
    const i32 = this.machine.ram.i32;
    for (const page of pages) {
      const words = i32.subarray(page * (PAGE_SIZE / 4), (page + 1) * (PAGE_SIZE / 4));
      let a = hashWords(words, SEED_A);
      let b = hashWords(words, SEED_B);
      if (a === ZERO_A && b === ZERO_B) a = b = 0;
      else { a = Math.imul(a ^ page, 0x85ebca6b); b = Math.imul(b ^ page, 0xc2b2ae35); }
      this.sumA = (this.sumA - this.pageA[page] + a) | 0;
      this.sumB = (this.sumB - this.pageB[page] + b) | 0;
      this.pageA[page] = a;
      this.pageB[page] = b;
    }
  }

  /** The digest of the machine now; the caller must have passed every written page to `update`. */
  digest(): string {
    const core = JSON.stringify(this.machine.saveCore());
    const a = hashString(core, this.sumA) >>> 0;
    const b = hashString(core, this.sumB) >>> 0;
    return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
  }
}
