/**
 * The engine's use of a snapshot index (snapshot-index.ts): states are read from it only when a seek or
 * run needs one, and each is trusted only once restored and hashed to the recording's own state hash at
 * that step. An index of another recording, or one whose state does not match, is set aside with one
 * sentence, and the engine replays as if there were none: never a wrong result, at worst the old speed.
 */
import { CoreState } from '../machine';
import { ConsoleSink } from '../outside';
import { Recording } from './recording-format';
import { SnapshotIndex } from './snapshot-index';
import { SnapshotStore } from './snapshots';

export class IndexedSnapshots {
  private readonly hashes = new Map<number, string>();
  private readonly tried = new Set<number>();
  /** Steps of the states put in the store (and not released since). */
  private readonly kept = new Set<number>();
  private problem: string | undefined;
  /** Index states put in the store (for tests and the bench: how far a session did not replay). */
  adopted = 0;

  constructor(private readonly index: SnapshotIndex, recording: Recording, private readonly store: SnapshotStore, private readonly say: (text: string) => void,
    private readonly pageCount: number) {
    for (const c of [...recording.checkpoints, ...(recording.end ? [recording.end] : [])]) this.hashes.set(c.step, c.hash);
    if (!index.belongsTo(recording)) this.setAside('it was made for another recording (or an earlier version of this one)');
  }

  /** Why the index is not used (undefined while it is). */
  get unusable(): string | undefined {
    return this.problem;
  }

  /**
   * Puts the index state nearest at or before `step` in the snapshot store, when it is later than
   * `after` and than every snapshot the store has there (the replay it saves is worth the read). True when
   * the machine moved (to that state, or to step 0 when it was set aside).
   */
  loadBefore(step: number, after: number): boolean {
    if (this.problem) return false;
    const entry = this.index.atOrBefore(step);
    if (!entry || entry.step <= after || this.tried.has(entry.step)) return false;
    if ((this.store.atOrBefore(step)?.step ?? -1) >= entry.step) return false;
    this.tried.add(entry.step);
    const expected = this.hashes.get(entry.step);
    if (expected !== entry.hash) return this.setAside(`its state at step ${entry.step.toLocaleString('en-US')} is not one the recording has a hash for`, false);
    let core: CoreState, pages: Map<number, Uint8Array>;
    try {
      core = JSON.parse(entry.core) as CoreState;
      pages = this.index.pagesAt(entry);
      if ([...pages.keys()].some((p) => !(p >= 0 && p < this.pageCount)) || core.step !== entry.step) throw new Error('a page or step out of range');
    } catch (e) {
      return this.setAside(`its state at step ${entry.step.toLocaleString('en-US')} cannot be read (${(e as Error).message})`, false);
    }
    if (!this.store.adopt(core, pages, expected)) {
      return this.setAside(`its state at step ${entry.step.toLocaleString('en-US')} does not match the recording's state hash there`, true);
    }
    this.adopted++;
    this.kept.add(entry.step);
    return true;
  }

  /** Whether the store's state at `step` came from the index; if so it may leave the store, to be read again when needed. */
  release(step: number): boolean {
    if (!this.kept.delete(step)) return false;
    this.tried.delete(step);
    return true;
  }

  /** Passes on the console output the program printed in `[from, to)` (a session starting past it still shows it). */
  replayOutput(from: number, to: number, console: ConsoleSink): void {
    for (const o of this.index.outputBetween(from, to)) console.write(o.stream, o.bytes, o.step);
  }

  private setAside(why: string, moved = false): boolean {
    this.problem = why;
    this.say(`Rewind: the snapshot index is not used: ${why}; travel replays from the start of the recording instead.\n`);
    return moved;
  }
}
