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
  /** Steps of UART bytes that arrived by themselves (receive interrupts), ascending. */
  private readonly arrivals: number[] = [];
  /** The first step past the recording; input asked for from here on is not in the log. */
  end: number;

  constructor(events: readonly InputEvent[], end: number) {
    for (const e of events) this.add(e);
    this.end = end;
  }

  /** Adds an event recorded live (the live session grows its recording as it runs). */
  add(event: InputEvent): void {
    this.byStep.set(event.step, event);
    if (event.kind !== 'uart' || !event.arrived) return;
    // Events come in step order; a live session re-recording below its end is the exception.
    let i = this.arrivals.length;
    while (i > 0 && this.arrivals[i - 1] >= event.step) i--;
    if (this.arrivals[i] === event.step) return;
    this.arrivals.splice(i, 0, event.step);
  }

  readConsole(step: number): Uint8Array | undefined {
    const e = this.expect(step, 'console');
    return e?.kind === 'console' ? e.bytes : undefined;
  }

  pollUart(step: number): number | null {
    const e = this.expect(step, 'uart');
    if (e?.kind !== 'uart') return null;
    if (e.arrived) throw new ReplayDivergence(`the replay diverged at step ${step.toLocaleString('en-US')}: the program read the UART, and the recording has a byte that arrived by interrupt there`);
    return e.byte;
  }

  uartArrivalStep(step: number): number {
    // The first arrival at or after `step` (binary search).
    let lo = 0, hi = this.arrivals.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.arrivals[mid] < step) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.arrivals.length ? this.arrivals[lo] : Infinity;
  }

  uartArrival(step: number): number {
    const e = this.byStep.get(step);
    if (e?.kind !== 'uart' || !e.arrived) throw new ReplayDivergence(`the replay diverged at step ${step.toLocaleString('en-US')}: a UART byte arrived by interrupt in the replay, not in the recording`);
    return e.byte;
  }

  dateAtStart(step: number): number {
    const e = this.expect(step, 'clock');
    if (e?.kind !== 'clock') throw new ReplayDivergence(`the replay diverged at step ${step.toLocaleString('en-US')}: the program read the date, and the recording has no date there`);
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
