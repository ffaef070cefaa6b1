/**
 * Replay: an OutsideWorld that answers from a recording's events, by step. It has no cursor, so a
 * machine restored to any snapshot asks it correctly at once.
 *
 * A question at a step where the log has an answer of another kind means the replay diverged from the
 * recording (a bug of ours): it is reported, never papered over. Console input asked for after the
 * recording's last input is "not yet": the machine stops there, at the end of what was recorded.
 */
import { OutsideWorld } from '../outside';
import { InputEvent } from './recording-format';

export class ReplayDivergence extends Error {}

export class ReplayOutside implements OutsideWorld {
  private readonly byStep = new Map<number, InputEvent>();
  /** The first step past the recording; input asked for from here on is not in the log. */
  end: number;

  constructor(events: readonly InputEvent[], end: number) {
    for (const e of events) this.byStep.set(e.step, e);
    this.end = end;
  }

  /** Adds an event recorded live (the live session grows its recording as it runs). */
  add(event: InputEvent): void {
    this.byStep.set(event.step, event);
  }

  readConsole(step: number): Uint8Array | undefined {
    const e = this.expect(step, 'console');
    return e?.kind === 'console' ? e.bytes : undefined;
  }

  pollUart(step: number): number | null {
    const e = this.expect(step, 'uart');
    return e?.kind === 'uart' ? e.byte : null;
  }

  wallClockSeconds(step: number): number {
    const e = this.expect(step, 'clock');
    if (e?.kind !== 'clock') throw new ReplayDivergence(`the replay diverged at step ${step.toLocaleString('en-US')}: the program read the clock, and the recording has no clock reading there`);
    return e.seconds;
  }

  private expect(step: number, kind: InputEvent['kind']): InputEvent | undefined {
    const e = this.byStep.get(step);
    if (e !== undefined && e.kind !== kind) {
      throw new ReplayDivergence(`the replay diverged at step ${step.toLocaleString('en-US')}: the program asked for ${kind} input, the recording has ${e.kind} input there`);
    }
    return e;
  }
}
