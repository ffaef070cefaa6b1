/**
 * When the replay engine takes a snapshot while running forward: every `interval` steps, unless the
 * pages written since the last one would cost more to copy and hash than the run since has (a program
 * that rewrites 100 MiB every two million steps would otherwise spend most of a replay copying memory).
 */
import { SnapshotStore } from './snapshots';

/** Steps of running that pay for copying and hashing one page (about what either costs). */
const STEPS_PER_PAGE = 1024;

export class SnapshotSpacing {
  /** The step of the last snapshot taken (kept or not: a budget too small for one drops it at once). */
  private lastTaken = 0;

  constructor(private readonly store: SnapshotStore, private readonly interval: number) {}

  /** A snapshot was taken (or its hash alone) at `step`. */
  taken(step: number): void {
    this.lastTaken = step;
  }

  /** Where the next snapshot is due, the machine being at `step`. */
  next(step: number): number {
    return this.last(step) + Math.max(this.interval, this.store.pagesSinceBase * STEPS_PER_PAGE);
  }

  /** Whether the run since the last snapshot pays for copying the pages written since. */
  affordable(step: number): boolean {
    return this.store.pagesSinceBase * STEPS_PER_PAGE <= step - this.last(step);
  }

  /** Where the snapshot before `step` was taken: spacing counts from there. */
  private last(step: number): number {
    const kept = this.store.atOrBefore(step)!.step;
    return this.lastTaken <= step ? Math.max(kept, this.lastTaken) : kept;
  }
}
