/**
 * The one writer of `.rewind` files, for the recorder (`rewind record`) and live sessions alike: the
 * header first, then events as they arrive and a checkpoint (a state hash) at multiples of
 * `CHECKPOINT_INTERVAL` (`checkpointDue` says which), then the end chunk. Every chunk is appended at once, so that a writer killed at
 * any moment leaves a readable prefix. The format itself is in recording-format.ts.
 */
import { Checkpoint, encodeCheckpoint, encodeEnd, encodeEvents, encodeHeader, InputEvent, Recording, RecordingHeader } from './recording-format';

/** Steps between checkpoints (a state hash in the log): about 1.3 bytes per million steps. */
export const CHECKPOINT_INTERVAL = 16_000_000;

/** The first checkpoint step after `step`. */
export function nextCheckpointStep(step: number): number {
  return (Math.floor(step / CHECKPOINT_INTERVAL) + 1) * CHECKPOINT_INTERVAL;
}

/** The widest gap between two checkpoints of a quiet program (about ten seconds of an idle loop). */
export const QUIET_GAP_MOST = 1024 * CHECKPOINT_INTERVAL;

/** The snapshot index takes an entry of more pages than this every two intervals only (snapshot-index.ts). */
export const FEW_PAGES = 16;

/**
 * Whether a `rewind record` checkpoint with `pages` pages to hash (written since the last one, or kept
 * as busy: see `Recorder.hash`) is due two intervals after the last only: more than `FEW_PAGES` (the
 * index takes such an entry every two intervals anyway), up to 4 MiB of them. A program that rewrites
 * more keeps a checkpoint at every multiple: a replay's snapshots of it are spaced by what they copy
 * (snapshot-spacing.ts) and fall on checkpoints, and bench/replay/churn.elf (100 MiB every 2M steps)
 * with half of them had its slowest random seek at 1.4 s instead of 0.45-0.6 (target 1 s).
 */
export const checkpointsApart = (pages: number): boolean => pages > FEW_PAGES && pages <= 1024;

/**
 * Whether a checkpoint belongs at `step`, the last two being at `last` and `previous`: every multiple
 * of the interval while the program changes something; while it is quiet (no RAM written, no input
 * since the last one: an idle loop), the gaps double up to `QUIET_GAP_MOST`, so that a program idling
 * for hours (a live session left open) adds a few checkpoints, not one every 16 million steps. The
 * rule of `rewind record` and live sessions alike; `rewind record` also says when a checkpoint is due
 * two intervals after the last only (`manyPages`: `checkpointsApart`).
 *
 * Why: a checkpoint of bench/replay/long.elf (64 pages, 16M steps in ~2 ms) took ~80 µs of the thread
 * that runs the guest (its pages hashed ~30, the core state saved, its JSON and digest ~20, the index
 * ~20 at every second), ~4% of a plain run; two intervals apart, ~2%.
 */
export function checkpointDue(step: number, last: number, previous: number, quiet: boolean, manyPages = false): boolean {
  if (step <= last || step % CHECKPOINT_INTERVAL !== 0) return false;
  if (manyPages) return step - last >= 2 * CHECKPOINT_INTERVAL;
  return !quiet || step - last >= Math.min(Math.max(CHECKPOINT_INTERVAL, 2 * (last - previous)), QUIET_GAP_MOST);
}

export class RecordingWriter {
  private lastEventStep = 0;
  private lastCheckpointStep = 0;
  private previousCheckpointStep = 0;
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

  /**
   * Whether a checkpoint belongs at `step` (`quiet`: nothing written or read since the last one;
   * `manyPages`: two intervals after the last, `checkpointsApart`).
   */
  wantsCheckpoint(step: number, quiet: boolean, manyPages = false): boolean {
    return checkpointDue(step, this.lastCheckpointStep, this.previousCheckpointStep, quiet, manyPages);
  }

  checkpoint(c: Checkpoint): void {
    this.taken(c.step);
    this.appendCheckpoint(c);
  }

  /** A checkpoint is taken at `step` (`wantsCheckpoint` counts from it); its chunk follows (`appendCheckpoint`). */
  taken(step: number): void {
    this.previousCheckpointStep = this.lastCheckpointStep;
    this.lastCheckpointStep = step;
  }

  /** The chunk of a checkpoint already `taken` (in the order they were taken). */
  appendCheckpoint(c: Checkpoint): void {
    this.append(encodeCheckpoint(c));
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
