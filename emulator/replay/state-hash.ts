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

/**
 * Two 32-bit hashes of the words in one pass, each word feeding both (a page has an even number of
 * words). Taken in pairs, the two multiply chains run side by side: this is on the recorder's path at
 * every checkpoint, for every page written since the last one.
 */
function hashWords2(words: Int32Array, out: Int32Array): void {
  let a = SEED_A, b = SEED_B;
  for (let i = 0; i < words.length; i += 2) {
    const w = words[i], x = words[i + 1];
    a = (Math.imul(a ^ w, 0x9e3779b1) + x) | 0;
    a ^= a >>> 15;
    b = (Math.imul(b ^ x, 0x85ebca6b) + w) | 0;
    b ^= b >>> 13;
  }
  out[0] = a;
  out[1] = b;
}

function hashString(text: string, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

const SEED_A = 0x811c9dc5 | 0;
const SEED_B = 0x2545f491 | 0;
const pair = new Int32Array(2);
hashWords2(new Int32Array(PAGE_SIZE / 4), pair);
const ZERO_A = pair[0];
const ZERO_B = pair[1];

export class StateHasher {
  private readonly pageA: Int32Array;
  private readonly pageB: Int32Array;
  private sumA = 0;
  private sumB = 0;

  constructor(private readonly machine: Machine) {
    this.pageA = new Int32Array(machine.ram.pageCount);
    this.pageB = new Int32Array(machine.ram.pageCount);
    // The loaded program's pages were written without the write barrier: hash them from the start.
    this.update(machine.loadedPages);
  }

  /** Re-hashes pages that were written (the list from `Ram.takeDirtyPages()`). */
  update(pages: Iterable<number>): void {
    const i32 = this.machine.ram.i32;
    for (const page of pages) {
      const words = i32.subarray(page * (PAGE_SIZE / 4), (page + 1) * (PAGE_SIZE / 4));
      hashWords2(words, pair);
      let a = pair[0];
      let b = pair[1];
      if (a === ZERO_A && b === ZERO_B) a = b = 0;
      else { a = Math.imul(a ^ page, 0x85ebca6b); b = Math.imul(b ^ page, 0xc2b2ae35); }
      this.sumA = (this.sumA - this.pageA[page] + a) | 0;
      this.sumB = (this.sumB - this.pageB[page] + b) | 0;
      this.pageA[page] = a;
      this.pageB[page] = b;
    }
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
