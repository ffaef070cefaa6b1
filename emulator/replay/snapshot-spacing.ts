/**
 * When the replay engine takes a snapshot while running forward: every `interval` steps, unless the
 * pages written since the last one would cost more to copy and hash than the run since has (a program
 * that rewrites 100 MiB every two million steps would otherwise spend most of a replay copying memory).
 */
import { SnapshotStore } from './snapshots';

/** Steps of running that pay for copying and hashing one page (about what either costs). */
const STEPS_PER_PAGE = 1024;
/**
 * Steps of running that pay for a page copied into memory the process never touched: ~13 µs a page on
 * the 2-core machine (a page fault in a small VM), ~100K steps of a plain run. A forward replay of
 * long.elf (64 pages every 2M steps) spent more than half of its time there (600 snapshots, 38K faults,
 * ~0.5 s), and a seek of long10.elf from its index ~1000 faults in 16 snapshots. Counted once the
 * snapshots hold `FRESH_FROM_BYTES`: below that (small programs, the first of any replay) spacing is as before.
 */
const STEPS_PER_FRESH_PAGE = 100_000;
const FRESH_FROM_BYTES = 16 << 20;

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
    const fresh = this.store.heldBytes >= FRESH_FROM_BYTES ? this.store.freshPagesSinceBase * STEPS_PER_FRESH_PAGE : 0;
    return this.last(step) + Math.max(this.interval, this.store.pagesSinceBase * STEPS_PER_PAGE, fresh);
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
