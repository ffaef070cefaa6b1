/**
 * The outside world of a command-line run: console input from the terminal or a pipe (read when the
 * guest asks), and the guest's date at the start. Reads block, which is what a user at a terminal expects.
 *
 * When input reaches the guest depends only on the guest and the input, never on how the run is sliced,
 * which tier runs the code, where a recording puts its checkpoints or how fast the host is, so that a run
 * and the recording of the same program with the same input see it at the same steps:
 * - input comes a line at a time (bytes up to a newline, at most 4096, or what is left at the end), as a
 *   terminal gives it: from a pipe, the reader waits for the whole line, however the writer's bytes
 *   happened to come in;
 * - a semihosting read takes the next line at its step;
 * - the UART gets the next line once the guest has asked for input 10,000 times since the last line
 *   (each read of the receive buffer or line status with no byte waiting counts one, and so does each
 *   `wfi` while it awaits the receive interrupt; each byte it prints takes one back, see noteOutput): a
 *   poll gets the line's first byte at its step, a guest in `wfi` takes the receive interrupt right after
 *   the `wfi` that made the count. The run loop skips the turns of an idle loop at once, so it is told
 *   how many waits are left (idleWaitsBeforeInput) and runs the turn that reaches the count as is.
 */
import { fstatSync, readSync } from 'node:fs';
import { OutsideWorld } from '../emulator/outside';
import { withDefaultStopSignals } from './stop-signals';

// A guest that polls the UART this many times without data, beyond one poll for each byte it prints (see
// noteOutput), or runs `wfi` this many times waiting for the receive interrupt, is waiting for input:
// block then.
const IDLE_POLLS_BEFORE_BLOCKING = 10_000;
/** The longest line handed on at once (a longer one comes in pieces of this size). */
const LINE_LIMIT = 4096;
const NEWLINE = 10;

export class HostOutside implements OutsideWorld {
  /** Input handed to the guest, which it has not taken yet. */
  private uartBuffer: number[] = [];
  /** Input read from the host, not yet handed to the guest. */
  private unread: number[] = [];
  private idlePolls = 0;
  private ended = false;
  /** A terminal gives its input a line at a time already (and whatever the user ends with ctrl-D). */
  private readonly terminal: boolean;

  /** `beforeBlocking` runs before a blocking read, so that a prompt is on the screen first. */
  constructor(private readonly fd: number, private readonly beforeBlocking: () => void, private readonly date: number) {
    let terminal = false;
    try {
      terminal = fstatSync(fd).isCharacterDevice();
    } catch {
      // No standard input at all (closed): reads say so.
    }
    this.terminal = terminal;
  }

  readConsole(_step: number, max: number): Uint8Array {
    if (this.uartBuffer.length === 0) this.handOnLine();
    return Uint8Array.from(this.uartBuffer.splice(0, max));
  }

  pollUart(): number | null {
    if (this.uartBuffer.length) return this.uartBuffer.shift()!;
    if (this.ended && this.unread.length === 0) return null;
    if (++this.idlePolls < IDLE_POLLS_BEFORE_BLOCKING) return null;
    this.handOnLine();
    return this.uartBuffer.shift() ?? null;
  }

  uartArrivalStep(step: number, idle: number): number {
    if (this.uartBuffer.length) return step;
    // A guest in its idle loop, waiting for the receive interrupt, waits for the terminal: block then,
    // even with a timer interrupt due (an RTOS between ticks): a terminal cannot be polled without
    // blocking, and the guest cannot tell (its time is its step count), but its ticks pause meanwhile.
    if (idle === 0 || (this.ended && this.unread.length === 0)) return Infinity;
    if ((this.idlePolls += idle) < IDLE_POLLS_BEFORE_BLOCKING) return Infinity;
    this.handOnLine();
    return this.uartBuffer.length ? step : Infinity;
  }

  /**
   * How many more idle `wfi`s (see uartArrivalStep) the guest may run before the next line is read: the
   * run loop skips no further in one go (Infinity: no count is running, input is waiting or has ended).
   */
  idleWaitsBeforeInput(): number {
    if (this.uartBuffer.length || (this.ended && this.unread.length === 0)) return Infinity;
    return IDLE_POLLS_BEFORE_BLOCKING - this.idlePolls;
  }

  uartArrival(): number {
    return this.uartBuffer.shift()!;
  }

  /**
   * The guest printed `bytes` bytes. A console driver reads the line status before every byte it sends
   * (polling for an empty transmitter), and those reads come here as UART polls: each byte printed
   * takes back one poll, so a program that only prints never counts as waiting for input (a megabyte
   * printed through the polled UART made `rewind run` stop to read the terminal after 10,000 bytes).
   */
  noteOutput(bytes: number): void {
    this.idlePolls = Math.max(0, this.idlePolls - bytes);
  }

  /** The terminal (or the file or pipe on stdin) has ended: nothing more will ever arrive. */
  uartInputEnded(): boolean {
    return this.ended && this.uartBuffer.length === 0 && this.unread.length === 0;
  }

  dateAtStart(): number {
    return this.date;
  }

  /** Hands the guest the next line of input, reading (and blocking) as long as it takes to have one. */
  private handOnLine(): void {
    this.idlePolls = 0;
    while (!this.ended && !this.lineWaits()) {
      const bytes = this.readBlocking();
      for (const b of bytes) this.unread.push(b);
      if (this.terminal || bytes.length === 0) break;
    }
    const newline = this.unread.indexOf(NEWLINE);
    const end = Math.min(newline < 0 ? this.unread.length : newline + 1, LINE_LIMIT);
    for (const b of this.unread.splice(0, end)) this.uartBuffer.push(b);
  }

  /** A whole line (or the most handed on at once) has been read. */
  private lineWaits(): boolean {
    return this.unread.includes(NEWLINE) || this.unread.length >= LINE_LIMIT;
  }

  private readBlocking(): Uint8Array {
    this.beforeBlocking();
    const buffer = Buffer.alloc(LINE_LIMIT);
    let n: number;
    try {
      // A signal while it blocks ends the process at once (stop-signals.ts).
      n = withDefaultStopSignals(() => readSync(this.fd, buffer, 0, buffer.length, null));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') return new Uint8Array(0);
      if ((e as NodeJS.ErrnoException).code === 'EOF') n = 0;
      else throw e;
    }
    if (n === 0) this.ended = true;
    return new Uint8Array(buffer.subarray(0, n));
  }
}
