/**
 * One stream of the guest's output that has not been sent yet, as bytes (decoded once per batch, not per
 * byte), with the step that printed the first byte of each line. It holds at most `KEPT_BYTES`: beyond
 * that the oldest lines are dropped and counted, so memory stays bounded whatever the program prints.
 */

/** The most output held unsent; under a flood the oldest lines are dropped beyond it. */
export const KEPT_BYTES = 1 << 20;
/** A line longer than this is sent in pieces (a program that never prints a newline). */
const PIECE_BYTES = 64 * 1024;

export interface Batch {
  text: string;
  /** The step of the first byte of each line in `text`, in order (the first: of the text's first byte). */
  starts: number[];
}

export class HeldOutput {
  private bytes = new Uint8Array(4096);
  private length = 0;
  /** Bytes before this end finished lines (or pieces of an overlong one): they can go now. */
  private finished = 0;
  /** Where each line (or piece) starts in `bytes`, and the step that printed its first byte. */
  private lineOffsets: number[] = [];
  private lineSteps: number[] = [];
  /** The last line has begun and not ended. */
  private lineOpen = false;
  private readonly decoder = new TextDecoder();
  /** Bytes dropped since the last batch. */
  dropped = 0;

  /** Takes what the program printed; `stepNow` gives the step printing, asked once per line. Returns true when a line was finished. */
  add(chunk: Uint8Array, stepNow: () => number): boolean {
    let finishedLine = false;
    // Byte by byte: the guest writes one byte at a time far more often than a block.
    for (let i = 0; i < chunk.length; i++) {
      if (this.length === this.bytes.length || this.length >= KEPT_BYTES + PIECE_BYTES) this.makeRoom();
      if (!this.lineOpen) this.startLine(stepNow());
      const byte = chunk[i];
      this.bytes[this.length++] = byte;
      // An overlong line goes in pieces: the rest of the line starts a piece of its own.
      if (byte === 10 || this.length - this.lineOffsets[this.lineOffsets.length - 1] >= PIECE_BYTES) {
        this.lineOpen = false;
        this.finished = this.length;
        finishedLine = true;
      }
    }
    return finishedLine;
  }

  /** True when some finished line waits. */
  get ready(): boolean {
    return this.finished > 0;
  }

  /** The finished lines (and with `unfinished`, the last line too), decoded; they leave the buffer. */
  take(unfinished: boolean): Batch | undefined {
    const end = unfinished ? this.length : this.finished;
    if (end === 0) return undefined;
    const count = this.lineOffsets.findIndex((offset) => offset >= end);
    const lines = count < 0 ? this.lineOffsets.length : count;
    // A piece that continues an overlong line starts no line of its own (but the batch's first byte has a step).
    const starts = this.lineSteps.slice(0, lines).filter((_, i) => i === 0 || this.bytes[this.lineOffsets[i] - 1] === 10);
    const batch = { text: this.decoder.decode(this.bytes.subarray(0, end), { stream: true }), starts };
    this.discard(end, lines);
    if (unfinished) this.lineOpen = false;
    return batch;
  }

  private startLine(step: number): void {
    this.lineOffsets.push(this.length);
    this.lineSteps.push(step);
    this.lineOpen = true;
  }

  /** Room for one more byte: a bigger buffer, up to the bound; at the bound, the oldest half held is dropped. */
  private makeRoom(): void {
    if (this.length >= KEPT_BYTES + PIECE_BYTES) {
      // The newest half stays, from a line start: a piece is at most PIECE_BYTES, so there is one.
      const keepFrom = this.length - KEPT_BYTES / 2;
      const lines = this.lineOffsets.findIndex((offset) => offset >= keepFrom);
      const cut = lines < 0 ? this.length : this.lineOffsets[lines];
      this.dropped += cut;
      this.discard(cut, lines < 0 ? this.lineOffsets.length : lines);
      this.decoder.decode(); // a character cut in two must not join the next text
    }
    if (this.length === this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
  }

  /** Removes the first `end` bytes, which hold the first `lines` line starts. */
  private discard(end: number, lines: number): void {
    this.bytes.copyWithin(0, end, this.length);
    this.length -= end;
    this.finished = Math.max(0, this.finished - end);
    this.lineOffsets = this.lineOffsets.slice(lines).map((offset) => offset - end);
    this.lineSteps = this.lineSteps.slice(lines);
    if (this.lineOffsets.length === 0) this.lineOpen = false;
  }
}
