/**
 * When the replay engine takes a snapshot while running forward: every `interval` steps, unless the
 * pages written since the last one would cost more to copy and hash than the run since has (a program
 * that rewrites 100 MiB every two million steps would otherwise spend most of a replay copying memory).
 *
 * A run that knows where the user will be afterwards (its focus: the target of a seek, the end of a run
 * with nothing to stop at, the start of a reverse search) spaces its snapshots by their distance from it
 * too, rr's density: one every `interval` steps near the focus, a gap of a `FOCUS_DENSITY`th of the
 * distance far from it. Snapshots far from the user are the ones the store drops first anyway, and each
 * costs its pages' memory: in this VM a 4 KiB page the process never touched costs a page fault of
 * ~13 µs of CPU (more of wall time), so a forward replay of long.elf taking one every 2M steps spent
 * ~0.55 s of its ~0.85 s on 38K fresh pages.
 */
import { SnapshotStore } from './snapshots';

/** Steps of running that pay for copying and hashing one page (about what either costs). */
const STEPS_PER_PAGE = 1024;
/** Far from the focus, a snapshot every distance / FOCUS_DENSITY steps. */
const FOCUS_DENSITY = 32;

export class SnapshotSpacing {
  /** The step of the last snapshot taken (kept or not: a budget too small for one drops it at once). */
  private lastTaken = 0;

  constructor(private readonly store: SnapshotStore, private readonly interval: number) {}

  /** A snapshot was taken (or its hash alone) at `step`. */
  taken(step: number): void {
    this.lastTaken = step;
  }

  /** Where the next snapshot is due, the machine being at `step` (running towards or away from `focus`, if known). */
  next(step: number, focus?: number): number {
    const last = this.last(step);
    return last + Math.max(this.interval, this.store.pagesSinceBase * STEPS_PER_PAGE, this.focusGap(last, focus));
  }

  /** Whether the run since the last snapshot pays for copying the pages written since (and is far enough from it, given the focus). */
  affordable(step: number, focus?: number): boolean {
    const last = this.last(step);
    return Math.max(this.store.pagesSinceBase * STEPS_PER_PAGE, this.focusGap(last, focus)) <= step - last;
  }

  /** Whether `step` lies beyond the dense stretch around `focus` (a snapshot there is one of the sparse ones). */
  far(step: number, focus: number): boolean {
    return this.focusGap(step, focus) > this.interval;
  }

  /** The gap the distance from the focus asks for after a snapshot at `last` (0: none known). */
  private focusGap(last: number, focus: number | undefined): number {
    return focus === undefined ? 0 : Math.floor(Math.abs(focus - last) / FOCUS_DENSITY);
  }

  /** Where the snapshot before `step` was taken: spacing counts from there. */
  private last(step: number): number {
    const kept = this.store.atOrBefore(step)!.step;
    return this.lastTaken <= step ? Math.max(kept, this.lastTaken) : kept;
  }
}
