/**
 * Builds a snapshot index while a recording is made: at every checkpoint the recorder hashes the state
 * anyway, so the state there goes in the index as well (the pages written since the entry before), as
 * long as the index's budget allows; at the end, the final state and the table.
 */
import { Machine } from '../machine';
import { PAGE_SHIFT } from '../memory/ram';
import { IndexIdentity, IndexWriter } from './snapshot-index';

/** Where an index goes: its writer, and what completes or discards it. */
export interface IndexSink {
  readonly writer: IndexWriter;
  finish(identity: IndexIdentity): void;
  abandon(): void;
}

export class IndexRecorder {
  /**
   * Pages written since the last entry (they may differ from it), each listed once: marked in `noted`
   * (a byte a RAM page, made at the first). A Set of them, emptied and filled again at every checkpoint,
   * built its table anew each time (~3 KB).
   */
  private readonly changed: number[] = [];
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
      if (noted[page] === 0) { noted[page] = 1; this.changed.push(page); }
    }
  }

  /** The state now, with its hash and its core state as JSON: an entry, when it fits the budget. */
  checkpoint(hash: string, core: string, end = false): void {
    const step = this.machine.step;
    if (step <= this.lastStep || !this.sink.writer.accepts(this.changed.length, end, step)) return;
    // Runs of consecutive pages, each as one view of RAM (a table, a heap: one piece, not a view a page).
    const u8 = this.machine.ram.u8;
    const sorted = Int32Array.from(this.changed).sort();
    const pages: Array<[number, Uint8Array]> = [];
    for (let i = 0; i < sorted.length;) {
      const first = sorted[i];
      for (i++; i < sorted.length && sorted[i] === sorted[i - 1] + 1; i++);
      pages.push([first, u8.subarray(first << PAGE_SHIFT, (sorted[i - 1] + 1) << PAGE_SHIFT)]);
    }
    this.sink.writer.entry(step, hash, core, pages);
    const noted = this.noted;
    if (noted) for (let i = 0; i < sorted.length; i++) noted[sorted[i]] = 0;
    this.changed.length = 0;
    this.lastStep = step;
  }

  /** The recording ended with `hash` (and `core`): the last entry and the table. */
  end(hash: string, core: string): void {
    this.checkpoint(hash, core, true);
    if (this.sink.writer.entryCount === 0) return this.sink.abandon();
    this.sink.finish({ programHash: this.programHash, endStep: this.machine.step, endHash: hash });
  }
}
