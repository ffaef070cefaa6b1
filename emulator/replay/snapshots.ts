/**
 * Snapshots: the machine's full state at a step, kept in memory and cheap to take. A snapshot stores the
 * core state (registers, CSRs, devices: a few hundred bytes) and only the RAM pages written since the
 * snapshot before it on the timeline, so memory grows with what the program changes, never with RAM
 * size. Restoring rewrites only the pages that differ between where the machine is and the target.
 *
 * The store keeps snapshots dense near the current position and sparse far from it (rr's scheme):
 * when the memory budget is exceeded it drops the snapshot whose loss costs least, weighing the gap its
 * removal opens against its distance from the current step. The budget holds whatever the program
 * does: only the snapshot at step 0 (the program as loaded) is always kept; the latest and the one the
 * machine's RAM is based on go too when nothing else is left to drop (a program that rewrites more
 * memory between two snapshots than the budget allows then replays from further back).
 *
 * Every snapshot carries the state hash; taking one again at the same step (after going back and
 * replaying) compares hashes, which is how a diverging replay is caught.
 */
import { Machine, CoreState } from '../machine';
import { PAGE_SHIFT, PAGE_SIZE } from '../memory/ram';
import { StateHasher } from './state-hash';
import { PagePool, PageSlot } from './page-pool';
import type { Recording } from './recording-format';

export interface Snapshot {
  readonly step: number;
  /** The core state (CoreState) as JSON: the text the state hash is made of, in half the heap of the object. */
  readonly core: string;
  readonly hash: string;
  /** Pages that differ from the previous snapshot on the timeline, with their content at this one (in the pool). */
  readonly pages: Map<number, PageSlot>;
}

/** A replay that left the recorded path; `step`, `hash` and `recorded` say where and how, when a recorded hash differs. */
export class ReplayDivergenceError extends Error {
  constructor(message: string, readonly at?: { step: number; hash: string; recorded: string }) {
    super(message);
  }
}

/**
 * A replay that stops (the program ended, or waits for input the log does not have) before a state hash
 * the recorder wrote has parted ways with the recording: the error that says so, or undefined.
 */
export function stoppedBeforeRecorded(recording: Recording, step: number): ReplayDivergenceError | undefined {
  const missed = [...recording.checkpoints, ...(recording.end ? [recording.end] : [])].find((c) => c.step > step);
  if (missed === undefined) return undefined;
  return new ReplayDivergenceError(`the replay diverged from the recording at the checkpoint at step ${missed.step.toLocaleString('en-US')} ` +
    `(the replay stopped at step ${step.toLocaleString('en-US')} before reaching it)`);
}

/**
 * What the budget counts: a page's bytes and its bookkeeping (the map entry, about 60 bytes), and per
 * snapshot its core state, hash and map, with room for the garbage the collector lets pile up beside
 * them (old snapshots dropped as new ones come: about as much again). Counting only the page bytes let
 * the process grow well past the budget.
 */
const PAGE_COST = PAGE_SIZE + 192;
const CORE_BYTES = 4096;
/**
 * Of a large budget, this much is left to the garbage collector's young generation: while snapshots
 * are taken and dropped at a high rate (a reverse continue over ten billion steps), V8 grows it to its
 * most (two 16 MiB semi-spaces on a 64-bit Node), ~30 MB of the process beside the pages. A session of
 * long10.elf with the 512 MiB budget peaked at ~600 MB: ~41 MB of Node's own code (the binary and its
 * libraries), ~482 MiB of pages, ~55-68 MB of heap (20-45 live) and ~10 MB of machine and code.
 */
const YOUNG_GENERATION_BYTES = 32 << 20;

export class SnapshotStore {
  /** Sorted by step; the first is step 0 and is never dropped. */
  private readonly snapshots: Snapshot[] = [];
  /** The snapshot the machine's RAM is "based on": RAM = its pages plus those dirty since (and `differing`). */
  private base: Snapshot | null = null;
  /** Pages that may differ between RAM and the base besides the RAM's dirty ones (hashed already, or from a dropped base). */
  private readonly differing = new Set<number>();
  private readonly pool = new PagePool();
  private bytes = 0;
  readonly hasher: StateHasher;

  /** What the snapshots may cost: the budget, less the collector's room (a sixteenth of it at most). */
  private readonly budgetBytes: number;

  constructor(private readonly machine: Machine, budgetBytes: number, private readonly mostKept = Infinity) {
    this.budgetBytes = budgetBytes - Math.min(YOUNG_GENERATION_BYTES, Math.floor(budgetBytes / 16));
    this.hasher = new StateHasher(machine);
  }

  get count(): number {
    return this.snapshots.length;
  }

  /** What the snapshots kept now cost, by the budget's count. */
  get memoryBytes(): number {
    return this.bytes;
  }

  /** Page memory the store holds from the process, kept pages and pages free for reuse. */
  get heldBytes(): number {
    return this.pool.heldBytes;
  }

  /** About how many pages a snapshot taken now would copy (a cost, for spacing snapshots). */
  get pagesSinceBase(): number {
    return this.machine.ram.dirtyCount + this.differing.size;
  }

  /** Pages written so far, counted each time the RAM's written pages are collected, and those written since. */
  get pagesWritten(): number {
    return this.collected + this.machine.ram.dirtyCount;
  }
  private collected = 0;

  /** Whether a snapshot taken now would fit the budget on its own. */
  fits(): boolean {
    return this.pagesSinceBase * PAGE_COST + CORE_BYTES <= this.budgetBytes;
  }

  steps(): number[] {
    return this.snapshots.map((s) => s.step);
  }

  /** The latest snapshot at or before `step`. */
  atOrBefore(step: number): Snapshot | undefined {
    const i = this.indexAtOrBefore(step);
    return i < 0 ? undefined : this.snapshots[i];
  }

  /** The index of the latest snapshot at or before `step` (-1: none). */
  private indexAtOrBefore(step: number): number {
    let lo = 0, hi = this.snapshots.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.snapshots[mid].step <= step) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }

  /**
   * The stretches between consecutive snapshots, each with the RAM pages that may have been written in
   * it (a superset: every page written there is among them). A history query skips a stretch that
   * wrote none of the pages it watches.
   */
  stretches(): Array<{ from: number; to: number; pages: { has(page: number): boolean } }> {
    return this.snapshots.slice(1).map((s, i) => ({ from: this.snapshots[i].step, to: s.step, pages: s.pages }));
  }

  /**
   * The pages that may have been written between `snapshot` and the next one on the timeline (a superset,
   * as in `stretches()`), with that next one's step; undefined when `snapshot` is the latest (what was
   * written since is known only to the RAM).
   */
  writtenAfter(snapshot: Snapshot): { to: number; pages: { has(page: number): boolean } } | undefined {
    const i = this.indexAtOrBefore(snapshot.step);
    // A snapshot dropped since it was looked up has no stretch of its own any more.
    const next = this.snapshots[i] === snapshot ? this.snapshots[i + 1] : undefined;
    return next && { to: next.step, pages: next.pages };
  }

  has(step: number): boolean {
    return this.atOrBefore(step)?.step === step;
  }

  /**
   * Takes a snapshot of the machine now. If one exists at this step already, checks the state against
   * its hash instead (a replay that diverged is an error naming the step).
   */
  take(written: number[] = []): Snapshot {
    const m = this.machine;
    const dirty = [...this.collect(), ...written];
    this.hasher.update(dirty);
    const core = JSON.stringify(m.saveCore());
    const hash = this.hasher.digest(core);
    for (const page of this.differing) dirty.push(page);
    this.differing.clear();
    const existing = this.atOrBefore(m.step);
    if (existing && existing.step === m.step) {
      if (existing.hash !== hash) {
        throw new ReplayDivergenceError(`the replay diverged from the recording: the state at step ${m.step} differs from the first time (hash ${hash}, expected ${existing.hash})`);
      }
      this.rebase(existing, dirty);
      return existing;
    }
    const index = existing ? this.snapshots.indexOf(existing) + 1 : 0;
    // Pages written since the base, relative to the snapshot before this one on the timeline.
    const pages = new Map<number, PageSlot>();
    for (const page of this.pagesChangedSince(this.base, existing ?? null, dirty)) pages.set(page, this.copyPage(page));
    // The first snapshot is the base of every page: it must hold what the program loader put in RAM
    // (written without dirty tracking), or restoring it would zero code that shares a page with data.
    if (!existing) for (const page of m.loadedPages) if (!pages.has(page)) pages.set(page, this.copyPage(page));
    const snapshot: Snapshot = { step: m.step, core, hash, pages };
    const next = this.snapshots[index];
    if (next) this.keepValidAfterInsert(next, pages, existing ?? null);
    this.snapshots.splice(index, 0, snapshot);
    this.bytes += pages.size * PAGE_COST + CORE_BYTES;
    this.base = snapshot;
    this.thin(m.step);
    return snapshot;
  }

  /**
   * The state hash now, without a snapshot (a recorded hash to check where a snapshot would cost too
   * much): the pages written since the base stay noted as differing from it.
   */
  hashNow(): string {
    const dirty = this.collect();
    this.hasher.update(dirty);
    for (const page of dirty) this.differing.add(page);
    return this.hasher.digest();
  }

  /** Puts the machine in the state of `target`. */
  restore(target: Snapshot, written: number[] = []): void {
    const m = this.machine;
    const dirty = [...this.collect(), ...written, ...this.differing];
    this.differing.clear();
    const pages = this.pagesBetween(this.base, target);
    for (const page of dirty) pages.add(page);
    const rewritten: number[] = [];
    for (const page of pages) {
      const content = this.contentAt(target, page);
      const offset = page << PAGE_SHIFT;
      if (content !== undefined) m.ram.u8.set(this.pool.bytes(content), offset);
      else m.ram.u8.fill(0, offset, offset + PAGE_SIZE);
      rewritten.push(page);
    }
    m.memoryReplaced(rewritten);
    m.restoreCore(JSON.parse(target.core) as CoreState);
    this.hasher.update(rewritten);
    this.base = target;
  }

  /**
   * Adds a state from outside the store (the snapshot index): the machine is put at step 0, the pages
   * that differ from it are written, and the state is kept only if its hash is `expected`. Either way the
   * machine is left somewhere the caller then restores from; the result says whether the state was kept.
   */
  adopt(core: CoreState, pages: Map<number, Uint8Array>, expected: string): Snapshot | undefined {
    const m = this.machine;
    const first = this.snapshots[0];
    this.restore(first);
    const written = [...pages.keys()];
    for (const [page, content] of pages) m.ram.u8.set(content, page << PAGE_SHIFT);
    m.memoryReplaced(written);
    let restored = true;
    try {
      m.restoreCore(core);
    } catch {
      restored = false; // a core state of the wrong shape (a damaged index): rejected like a wrong hash
    }
    this.hasher.update(written);
    if (!restored || this.hasher.digest() !== expected) {
      this.restore(first, written);
      return undefined;
    }
    return this.take(written);
  }

  /**
   * The snapshots at `steps` (those the store has and `accept` takes, given their page count), each with
   * the pages that may differ from the one before it in the list (the first: from step 0), with their
   * content there: what an index stores.
   */
  *export(steps: ReadonlySet<number>, accept: (pageCount: number, step: number) => boolean): Generator<{ snapshot: Snapshot; pages: Array<[number, Uint8Array]> }> {
    let previous = this.snapshots[0];
    for (const snapshot of this.snapshots.slice(1)) {
      if (!steps.has(snapshot.step)) continue;
      const pages = [...this.pagesBetween(previous, snapshot)].sort((a, b) => a - b);
      if (!accept(pages.length, snapshot.step)) continue;
      yield { snapshot, pages: pages.map((page) => [page, this.bytesAt(snapshot, page)]) };
      previous = snapshot;
    }
  }

  /** The page's content at `snapshot` (undefined: all zero). */
  private contentAt(snapshot: Snapshot, page: number): PageSlot | undefined {
    for (let i = this.snapshots.indexOf(snapshot); i >= 0; i--) {
      const content = this.snapshots[i].pages.get(page);
      if (content !== undefined) return content;
    }
    return undefined;
  }

  /** The page's bytes at `snapshot`. */
  private bytesAt(snapshot: Snapshot, page: number): Uint8Array {
    const content = this.contentAt(snapshot, page);
    return content === undefined ? new Uint8Array(PAGE_SIZE) : this.pool.bytes(content);
  }

  /** Pages that may differ between two snapshots: those in the deltas after the earlier one up to the later. */
  private pagesBetween(a: Snapshot | null, b: Snapshot): Set<number> {
    const pages = new Set<number>();
    const ia = a ? this.snapshots.indexOf(a) : -1;
    const ib = this.snapshots.indexOf(b);
    for (let i = Math.min(ia, ib) + 1; i <= Math.max(ia, ib); i++) for (const p of this.snapshots[i].pages.keys()) pages.add(p);
    return pages;
  }

  private pagesChangedSince(base: Snapshot | null, previous: Snapshot | null, dirty: number[]): Set<number> {
    const pages = new Set<number>(dirty);
    // The machine may be based on a snapshot other than the one just before the new one (it went
    // back, then forward past others): pages differing between those two differ from `previous` too.
    if (base && previous && base !== previous) for (const p of this.pagesBetween(base, previous)) pages.add(p);
    return pages;
  }

  /**
   * `next` stored its pages relative to the snapshot before the new one. A page the new snapshot stores
   * but `next` does not must now be stored in `next` too, with its content there (unchanged since before).
   */
  private keepValidAfterInsert(next: Snapshot, inserted: Map<number, PageSlot>, previous: Snapshot | null): void {
    for (const page of inserted.keys()) {
      if (next.pages.has(page)) continue;
      const before = previous ? this.contentAt(previous, page) : undefined;
      // A copy: every page has one owner, so that dropping a snapshot can give its pages back.
      next.pages.set(page, before !== undefined ? this.pool.duplicate(before) : this.pool.zero());
      this.bytes += PAGE_COST;
    }
  }

  private rebase(snapshot: Snapshot, dirty: number[]): void {
    // The machine is exactly at `snapshot`: its dirty pages match it; forget them.
    void dirty;
    this.base = snapshot;
  }

  /** The RAM's pages written since the last collection. */
  private collect(): number[] {
    const pages = this.machine.ram.takeDirtyPages();
    this.collected += pages.length;
    return pages;
  }

  private copyPage(page: number): PageSlot {
    return this.pool.copy(this.machine.ram.u8, page << PAGE_SHIFT);
  }

  /**
   * Drops snapshots until the store fits its budget and count: the cheapest loss among those between
   * the first and the last (the base last of all), then, with only those two left, the last.
   */
  private thin(current: number): void {
    while ((this.bytes > this.budgetBytes || this.snapshots.length > this.mostKept) && this.snapshots.length > 1) {
      let worst = this.snapshots.length - 1;
      let worstScore = Infinity;
      for (let i = 1; i < this.snapshots.length - 1; i++) {
        const s = this.snapshots[i];
        const gap = this.snapshots[i + 1].step - this.snapshots[i - 1].step;
        const score = (s === this.base ? Number.MAX_VALUE : 0) + gap / Math.max(1, Math.abs(s.step - current));
        if (score < worstScore) { worstScore = score; worst = i; }
      }
      this.dropAt(worst);
    }
  }

  /** Removes `snapshot` (not the first) from the store: what it held goes to the next one or back to the pool. */
  drop(snapshot: Snapshot): void {
    const i = this.indexAtOrBefore(snapshot.step);
    if (i > 0 && this.snapshots[i] === snapshot) this.dropAt(i);
  }

  /**
   * Removes snapshot `i`, moving its pages into the next one where that one does not have them (the
   * last has no next: they go). Dropping the base rebases RAM on the one before, its pages noted as differing.
   */
  private dropAt(i: number): void {
    const gone = this.snapshots[i];
    const next = this.snapshots[i + 1] as Snapshot | undefined;
    for (const [page, content] of gone.pages) {
      if (next && !next.pages.has(page)) next.pages.set(page, content);
      else { this.bytes -= PAGE_COST; this.pool.release(content); }
    }
    if (gone === this.base) {
      for (const page of gone.pages.keys()) this.differing.add(page);
      this.base = this.snapshots[i - 1];
    }
    this.bytes -= CORE_BYTES;
    this.snapshots.splice(i, 1);
  }
}
