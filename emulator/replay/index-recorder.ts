/**
 * Builds a snapshot index while a recording is made: at every checkpoint the recorder hashes the state
 * anyway, so the state there goes in the index as well (the pages written since the entry before), as
 * long as the index's budget allows; at the end, the final state and the table.
 */
import { Machine } from '../machine';
import { PAGE_SHIFT } from '../memory/ram';
import { IndexEntry, IndexIdentity, IndexWriter } from './snapshot-index';
import { profileOf, RegionProfile } from '../cpu/region-profile';

/** Where an index goes: its writer, and what completes or discards it. */
export interface IndexSink {
  readonly writer: IndexWriter;
  finish(identity: IndexIdentity, regions?: RegionProfile): void;
  abandon(): void;
}

export class IndexRecorder {
  /**
   * Pages written since the last entry (they may differ from it), each listed once: marked in `noted`
   * (a byte a RAM page, made at the first). A Set of them, emptied and filled again at every checkpoint,
   * built its table anew each time (~3 KB). The first `changedCount` of `changed`: the list is kept
   * (emptied by its length, its backing store went and grew again at every checkpoint).
   */
  private readonly changed: number[] = [];
  private changedCount = 0;
  private noted?: Uint8Array;
  private lastStep = 0;

  constructor(private readonly sink: IndexSink, private readonly machine: Machine, private readonly programHash: string) {}

  /** Console output, stamped with the step of the instruction that wrote it. */
  output(stream: 'stdout' | 'stderr', bytes: Uint8Array): void {
    this.sink.writer.output(this.machine.exactStep(), stream, bytes);
  }

  /** Pages the hasher was just given (written since the last hash). */
  written(pages: readonly number[]): void {
    const noted = this.noted ??= new Uint8Array(this.machine.ram.pageCount);
    for (let i = 0; i < pages.length; i++) {
      const page = pages[i];
      if (noted[page] === 0) { noted[page] = 1; this.changed[this.changedCount++] = page; }
    }
  }

  /**
   * The state now, with its hash and its core state as JSON: an entry, when it fits the budget; its
   * pages are copied now, and the hash and core state may be set on it later (before `end`).
   */
  checkpoint(hash = '', core = '', end = false): IndexEntry | undefined {
    const step = this.machine.step;
    const count = this.changedCount;
    if (step <= this.lastStep || !this.sink.writer.accepts(count, end, step)) return undefined;
    // Runs of consecutive pages, each as one view of RAM (a table, a heap: one piece, not a view a page).
    const u8 = this.machine.ram.u8;
    const sorted = sortedPages(this.changed, count);
    const pages: Array<[number, Uint8Array]> = [];
    for (let i = 0; i < count;) {
      const first = sorted[i];
      for (i++; i < count && sorted[i] === sorted[i - 1] + 1; i++);
      pages.push([first, u8.subarray(first << PAGE_SHIFT, (sorted[i - 1] + 1) << PAGE_SHIFT)]);
    }
    const entry = this.sink.writer.entry(step, hash, core, pages);
    const noted = this.noted;
    if (noted) for (let i = 0; i < count; i++) noted[sorted[i]] = 0;
    this.changedCount = 0;
    this.lastStep = step;
    return entry;
  }

  /** The recording ended with `hash` (and `core`): the last entry and the table. */
  end(hash: string, core: string): void {
    this.checkpoint(hash, core, true);
    if (this.sink.writer.entryCount === 0) return this.sink.abandon();
    this.sink.finish({ programHash: this.programHash, endStep: this.machine.step, endHash: hash }, profileOf(this.machine.code.store.blocks));
  }
}

/**
 * The first `count` of `pages` in ascending order: the list itself when they are in order already (a program that writes the
 * same pages in every interval lists them in the same order each time), else a sorted copy. Not
 * `Int32Array.from(pages).sort()`: the iterator's generic path and an array buffer of its own (malloc,
 * and V8's bookkeeping of it) were ~8% of a checkpoint's samples on long.elf.
 */
function sortedPages(pages: readonly number[], count: number): readonly number[] {
  for (let i = 1; i < count; i++) if (pages[i] < pages[i - 1]) return pages.slice(0, count).sort((a, b) => a - b);
  return pages;
}
