/**
 * The one narrow door between the guest and the world outside it. Every value that does not follow from
 * the guest's own state comes through here, so that the replay layer can record it (with the step at
 * which it arrived) and feed it back exactly. Output goes the other way and needs no recording: it is a
 * pure function of the run.
 *
 * A method that returns `undefined` means "nothing yet": the instruction that asked waits, without
 * executing, and the machine stops with reason `input`. A live front end then asks the user and resumes.
 */

export interface OutsideWorld {
  /** Console input for semihosting reads: up to `max` bytes, an empty array at end of input. */
  readConsole(step: number, max: number): Uint8Array | undefined;
  /** One byte for the UART's receive register, or `null` if no byte is waiting (the guest polls). */
  pollUart(step: number): number | null;
  /**
   * For a guest that waits for the UART's receive interrupt instead of polling: the first step, at or
   * after `step`, at which a byte arrives by itself (Infinity while none is known to come). `idle`: how
   * many times the guest asks from `wfi`, with nothing else to do (a terminal may then block for input,
   * and a live session counts it as waiting): 0 when it does not, 1 for one `wfi`, more when the machine
   * skips the turns of an idle loop (cpu/idle-loop.ts) and asks once for all their `wfi`s. `timerDue`: a
   * timer interrupt will wake the guest anyway (an RTOS idle between its ticks), so it waits for time,
   * not only for input.
   */
  uartArrivalStep(step: number, idle: number, timerDue?: boolean): number;
  /**
   * How many more idle `wfi`s (each counted by `uartArrivalStep`'s `idle`) may pass before the outside
   * world hands the guest input that arrives by itself after a count of them (a terminal or pipe after
   * so many waits, cli/host-outside.ts): the run loop skips an idle loop's turns no further at once, and
   * runs the turn of the wait that reaches the count, so that the input comes right after that `wfi`
   * whoever runs the code. Infinity (or no such method): no count to keep to.
   */
  idleWaitsBeforeInput?(): number;
  /** The byte that arrives at `step`, where `uartArrivalStep` said one does. */
  uartArrival(step: number): number;
  /**
   * The UART's input has ended: no byte will ever arrive again (a --stdin file used up, a terminal or
   * pipe at its end). A world that cannot tell (a replay) leaves it out.
   */
  uartInputEnded?(): boolean;
  /**
   * The guest's date at the start of the run, in seconds since the Unix epoch: semihosting SYS_TIME
   * answers it plus the seconds of the guest's own clock since (its steps), so the date advances as the
   * guest's time does, whoever runs it.
   */
  dateAtStart(step: number): number;
}

/**
 * The guest's date at the start of a run unless the user gives one: 2000-01-01T00:00:00Z. Fixed, so that a
 * run and its recording observe the same date (see debugger/guest-date.ts).
 */
export const DEFAULT_DATE = 946_684_800;

/** Where the guest's output goes. */
export interface ConsoleSink {
  /** `step`: the step that printed it, when that is not the one running now (output passed on from a snapshot index). */
  write(stream: 'stdout' | 'stderr', bytes: Uint8Array, step?: number): void;
}

/** An outside world with fixed input: a byte string for the console and the UART, a given date (1970 unless told). */
export class ScriptedOutside implements OutsideWorld {
  private consoleOffset = 0;
  private uartOffset = 0;

  constructor(
    private readonly consoleInput: Uint8Array = new Uint8Array(0),
    private readonly uartInput: Uint8Array = consoleInput,
    private readonly date = 0,
  ) {}

  readConsole(_step: number, max: number): Uint8Array {
    // Deliver one line at a time, as a terminal does, so that interactive guests see realistic reads.
    const rest = this.consoleInput.subarray(this.consoleOffset);
    const newline = rest.indexOf(10);
    const lineEnd = newline < 0 ? rest.length : newline + 1;
    const chunk = rest.slice(0, Math.min(max, lineEnd));
    this.consoleOffset += chunk.length;
    return chunk;
  }

  pollUart(): number | null {
    return this.uartOffset < this.uartInput.length ? this.uartInput[this.uartOffset++] : null;
  }

  uartArrivalStep(step: number): number {
    return this.uartOffset < this.uartInput.length ? step : Infinity;
  }

  uartArrival(): number {
    return this.uartInput[this.uartOffset++];
  }

  /** The UART has taken every byte of its input: nothing more will ever arrive. */
  uartInputEnded(): boolean {
    return this.uartOffset >= this.uartInput.length;
  }

  dateAtStart(): number {
    return this.date;
  }
}
