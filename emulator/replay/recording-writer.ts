/**
 * The one writer of `.rewind` files, for the recorder (`rewind record`) and live sessions alike: the
 * header first, then events as they arrive and a checkpoint (a state hash) at every multiple of
 * `CHECKPOINT_INTERVAL`, then the end chunk. Every chunk is appended at once, so that a writer killed at
 * any moment leaves a readable prefix. The format itself is in recording-format.ts.
 */
import { Checkpoint, encodeCheckpoint, encodeEnd, encodeEvents, encodeHeader, InputEvent, Recording, RecordingHeader } from './recording-format';

/** Steps between checkpoints (a state hash in the log): about 1.3 bytes per million steps. */
export const CHECKPOINT_INTERVAL = 16_000_000;

/** The first checkpoint step after `step`. */
export function nextCheckpointStep(step: number): number {
  return (Math.floor(step / CHECKPOINT_INTERVAL) + 1) * CHECKPOINT_INTERVAL;
}

export class RecordingWriter {
  private lastEventStep = 0;
  private lastCheckpointStep = 0;
  private ended = false;

  constructor(private readonly append: (bytes: Uint8Array) => void, header: RecordingHeader) {
    append(encodeHeader(header));
  }

  get finished(): boolean {
    return this.ended;
  }

  /** Outside values, ascending by step, written at once (a writer killed while waiting keeps what was typed). */
  events(list: readonly InputEvent[]): void {
    if (list.length === 0) return;
    this.append(encodeEvents(list, this.lastEventStep));
    this.lastEventStep = list[list.length - 1].step;
  }

  /** Whether a checkpoint belongs at `step`: a multiple of the interval, past the last one written. */
  wantsCheckpoint(step: number): boolean {
    return step > this.lastCheckpointStep && step % CHECKPOINT_INTERVAL === 0;
  }

  checkpoint(c: Checkpoint): void {
    this.append(encodeCheckpoint(c));
    this.lastCheckpointStep = c.step;
  }

  /** The end chunk: the recording is complete up to `c.step`. */
  end(c: Checkpoint, reason: unknown): void {
    if (this.ended) return;
    this.append(encodeEnd(c, reason));
    this.ended = true;
  }
}

/** A whole recording as one `.rewind` file (complete when it has its end). */
export function encodeRecording(r: Recording): Uint8Array {
  const parts: Uint8Array[] = [];
  const writer = new RecordingWriter((bytes) => parts.push(bytes), r);
  writer.events(r.events);
  for (const c of r.checkpoints) writer.checkpoint(c);
  if (r.end) writer.end(r.end, r.end.reason);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) { out.set(p, offset); offset += p.length; }
  return out;
}
