/**
 * Console output kept for a snapshot index: the bytes, in lines, each line with the step that printed
 * its first byte (what the Debug Console shows with a line). A line that goes on past a checkpoint step
 * goes on in a new record, so that the output before any index state is exactly the records before it.
 * Bounded in bytes and lines, in one buffer,
 * because a program may print a byte at a time for millions of steps; past a bound it says `overflow`
 * and keeps nothing more.
 */
import { CHECKPOINT_INTERVAL } from './recording-writer';

/** Output as an index stores it: a line (or the part of one printed within a checkpoint interval). */
export interface IndexOutput {
  step: number;
  stream: 'stdout' | 'stderr';
  bytes: Uint8Array;
}

/** Console output an index may hold; output past it ends the index's states there. */
export const INDEX_OUTPUT_BYTES = 8 << 20;
export const INDEX_OUTPUT_LINES = 200_000;

export class OutputLog {
  private data = new Uint8Array(4096);
  private length = 0;
  private readonly steps: number[] = [];
  private readonly streams: number[] = [];
  private readonly starts: number[] = [];
  /** The last line has no newline yet (the next write on its stream goes on with it). */
  private open = false;
  private lastStep = 0;
  overflow = false;

  add(step: number, stream: 'stdout' | 'stderr', bytes: Uint8Array): void {
    if (this.overflow) return;
    if (this.length + bytes.length > INDEX_OUTPUT_BYTES) { this.overflow = true; return; }
    const code = stream === 'stdout' ? 1 : 2;
    // A guest printing through the UART comes here a byte at a time (a live session's transcript): no
    // closure and no view of `bytes` made per call. 4M one-byte adds took 5.0 s with both, 1.5 without.
    const interval = Math.floor(step / CHECKPOINT_INTERVAL);
    let from = 0;
    while (from < bytes.length) {
      const newline = bytes.indexOf(10, from);
      const to = newline < 0 ? bytes.length : newline + 1;
      if (!this.open || this.streams[this.streams.length - 1] !== code || interval !== Math.floor(this.lastStep / CHECKPOINT_INTERVAL)) {
        if (this.steps.length >= INDEX_OUTPUT_LINES) { this.overflow = true; return; }
        this.steps.push(step);
        this.streams.push(code);
        this.starts.push(this.length);
      }
      this.append(bytes, from, to);
      this.open = newline < 0;
      this.lastStep = step;
      from = to;
    }
  }

  /** The lines printed before `step`. */
  before(step: number): IndexOutput[] {
    const out: IndexOutput[] = [];
    for (let i = 0; i < this.steps.length && this.steps[i] < step; i++) {
      const end = i + 1 < this.starts.length ? this.starts[i + 1] : this.length;
      out.push({ step: this.steps[i], stream: this.streams[i] === 1 ? 'stdout' : 'stderr', bytes: this.data.subarray(this.starts[i], end) });
    }
    return out;
  }

  /** Appends `bytes` from `from` up to `to`. */
  private append(bytes: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (this.length + n > this.data.length) {
      const bigger = new Uint8Array(Math.max(this.data.length * 2, this.length + n));
      bigger.set(this.data.subarray(0, this.length));
      this.data = bigger;
    }
    if (n === 1) this.data[this.length] = bytes[from];
    else this.data.set(from === 0 && to === bytes.length ? bytes : bytes.subarray(from, to), this.length);
    this.length += n;
  }
}
