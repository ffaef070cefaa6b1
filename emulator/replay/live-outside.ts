/**
 * The outside world of a live session: the program runs and is recorded as it runs, and the user may
 * travel back into what has been recorded at any moment. Below the frontier (the furthest step ever
 * run) every question is answered from the recording, exactly as in a replay; at the frontier and
 * beyond, the question goes to the real world (input the user typed, the date) and the answer is
 * recorded.
 *
 * Input typed by the user waits in a queue until the guest asks for it. Console reads take one line at a
 * time, as from a terminal; UART polls take one byte, and so does a byte arriving for a guest that waits
 * for the UART's receive interrupt. A guest that keeps polling an empty UART (or executing `wfi` while
 * only a UART byte could wake it: no timer interrupt is due), and prints nothing meanwhile, is waiting
 * for input: `waitingForUart` tells the engine to stop and say so. (A guest that checks the line status
 * before each byte it sends polls as often, but it prints.)
 */
import { DEFAULT_DATE, OutsideWorld } from '../outside';
import { InputEvent } from './recording-format';
import { ReplayOutside } from './replay-outside';

/** Empty UART polls (or idle `wfi`s) in a row at the frontier after which the guest counts as waiting for input. */
const IDLE_POLLS_BEFORE_WAITING = 10_000;

export class LiveOutside implements OutsideWorld {
  private readonly recorded: ReplayOutside;
  /** Steps below this have run before: their answers come from the recording. */
  frontier = 0;
  private typed: number[] = [];
  private inputEnded = false;
  private idlePolls = 0;

  constructor(
    events: InputEvent[],
    private readonly onEvent: (event: InputEvent) => void,
    /** The guest's date at the start (seconds since the epoch); the front ends pass the default (2000-01-01) or the user's. */
    private readonly date: number = DEFAULT_DATE,
  ) {
    this.recorded = new ReplayOutside(events, Infinity);
  }

  /** Input typed by the user (or a file given as stdin), for the guest's next reads. */
  sendInput(bytes: Uint8Array): void {
    for (const b of bytes) this.typed.push(b);
    this.idlePolls = 0;
  }

  /** No more input will come: console reads at the frontier now get end of file. */
  endInput(): void {
    this.inputEnded = true;
  }

  /** The guest printed: its polls so far were for sending, not waiting for input. */
  noteOutput(): void {
    this.idlePolls = 0;
  }

  /** The guest has polled an empty UART for a long time at the frontier. */
  get waitingForUart(): boolean {
    return this.idlePolls >= IDLE_POLLS_BEFORE_WAITING;
  }

  readConsole(step: number, max: number): Uint8Array | undefined {
    if (step < this.frontier) return this.recorded.readConsole(step);
    let bytes: Uint8Array;
    if (this.typed.length > 0) {
      const newline = this.typed.indexOf(10);
      const lineEnd = newline < 0 ? this.typed.length : newline + 1;
      bytes = Uint8Array.from(this.typed.splice(0, Math.min(max, lineEnd)));
    } else if (this.inputEnded) {
      bytes = new Uint8Array(0);
    } else {
      return undefined;
    }
    this.record({ step, kind: 'console', bytes });
    return bytes;
  }

  pollUart(step: number): number | null {
    if (step < this.frontier) return this.recorded.pollUart(step);
    const byte = this.typed.shift();
    if (byte === undefined) {
      this.idlePolls++;
      return null;
    }
    this.idlePolls = 0;
    this.record({ step, kind: 'uart', byte });
    return byte;
  }

  uartArrivalStep(step: number, idle: number, timerDue = false): number {
    if (step < this.frontier) {
      const recorded = this.recorded.uartArrivalStep(step);
      if (recorded < this.frontier) return recorded;
      step = this.frontier;
    }
    if (this.typed.length > 0) return step;
    // Waiting for input only if nothing else will wake the guest: an RTOS idle between timer ticks keeps
    // running (and printing its status) until the user types, as it would on a board.
    if (!timerDue) this.idlePolls += idle;
    return Infinity;
  }

  uartArrival(step: number): number {
    if (step < this.frontier) return this.recorded.uartArrival(step);
    const byte = this.typed.shift()!;
    this.idlePolls = 0;
    this.record({ step, kind: 'uart', byte, arrived: true });
    return byte;
  }

  dateAtStart(step: number): number {
    if (step < this.frontier) return this.recorded.dateAtStart(step);
    const seconds = Math.max(0, Math.floor(this.date));
    this.record({ step, kind: 'clock', seconds });
    return seconds;
  }

  private record(event: InputEvent): void {
    this.recorded.add(event);
    this.onEvent(event);
  }
}
