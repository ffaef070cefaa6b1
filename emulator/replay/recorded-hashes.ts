/**
 * The state hashes the recorder wrote (checkpoints and the end), by step, until each is checked once.
 * A replay reaching one takes a snapshot there and compares: a replay that diverged from the recording
 * (a bug of ours, or a tampered file) is reported with the step, never followed silently.
 */
import { Recording } from './recording-format';
import { ReplayDivergenceError, Snapshot } from './snapshots';

export class RecordedHashes {
  private readonly unchecked = new Map<number, string>();
  private steps: number[];

  constructor(recording: Recording) {
    for (const c of [...recording.checkpoints, ...(recording.end ? [recording.end] : [])]) this.unchecked.set(c.step, c.hash);
    this.steps = [...this.unchecked.keys()].sort((a, b) => a - b);
  }

  /** A recorded hash waits to be checked at this step. */
  at(step: number): boolean {
    return this.unchecked.has(step);
  }

  /** The first step after `step` whose recorded hash is not checked yet (Infinity if none). */
  nextAfter(step: number): number {
    while (this.steps.length && this.steps[0] <= step && !this.unchecked.has(this.steps[0])) this.steps.shift();
    for (const s of this.steps) if (s > step) return s;
    return Infinity;
  }

  /** Compares a state (a snapshot, or a hash taken without one) with the hash recorded at its step, if any; a difference is a divergence. */
  check(snapshot: Pick<Snapshot, 'step' | 'hash'>): void {
    const expected = this.unchecked.get(snapshot.step);
    if (expected === undefined) return;
    this.unchecked.delete(snapshot.step);
    if (snapshot.hash !== expected) {
      throw new ReplayDivergenceError(`the replay diverged from the recording at step ${snapshot.step.toLocaleString('en-US')}: ` +
        `the machine state there differs from the one recorded (the recording may be damaged or made by another version of Rewind)`,
        { step: snapshot.step, hash: snapshot.hash, recorded: expected });
    }
  }
}
