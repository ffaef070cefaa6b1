/**
 * The outside world of a command-line run: console input from the terminal (read when the guest asks),
 * and the guest's date at the start. Reads block, which is what a user at a terminal expects.
 */
import { readSync } from 'node:fs';
import { OutsideWorld } from '../emulator/outside';

// A guest that polls the UART this many times without data, beyond one poll for each byte it prints (see
// noteOutput), or runs `wfi` this many times waiting for the receive interrupt, is waiting for input:
// block then.
const IDLE_POLLS_BEFORE_BLOCKING = 10_000;

export class HostOutside implements OutsideWorld {
  private uartBuffer: number[] = [];
  private idlePolls = 0;
  private ended = false;

  /** `beforeBlocking` runs before a blocking read, so that a prompt is on the screen first. */
  constructor(private readonly fd: number, private readonly beforeBlocking: () => void, private readonly date: number) {}

  readConsole(_step: number, max: number): Uint8Array {
    if (this.uartBuffer.length) return Uint8Array.from(this.uartBuffer.splice(0, max));
    return this.readBlocking(max);
  }

  pollUart(): number | null {
    if (this.uartBuffer.length) return this.uartBuffer.shift()!;
    if (this.ended || ++this.idlePolls < IDLE_POLLS_BEFORE_BLOCKING) return null;
    this.idlePolls = 0;
    this.uartBuffer.push(...this.readBlocking(4096));
    return this.uartBuffer.shift() ?? null;
  }

  uartArrivalStep(step: number, idle: number): number {
    if (this.uartBuffer.length) return step;
    // A guest in its idle loop, waiting for the receive interrupt, waits for the terminal: block then,
    // even with a timer interrupt due (an RTOS between ticks): a terminal cannot be polled without
    // blocking, and the guest cannot tell (its time is its step count), but its ticks pause meanwhile.
    if (idle === 0 || this.ended || (this.idlePolls += idle) < IDLE_POLLS_BEFORE_BLOCKING) return Infinity;
    this.idlePolls = 0;
    this.uartBuffer.push(...this.readBlocking(4096));
    return this.uartBuffer.length ? step : Infinity;
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
    return this.ended && this.uartBuffer.length === 0;
  }

  dateAtStart(): number {
    return this.date;
  }

  private readBlocking(max: number): Uint8Array {
    if (this.ended) return new Uint8Array(0);
    this.beforeBlocking();
    const buffer = Buffer.alloc(Math.max(1, Math.min(max, 65536)));
    let n: number;
    try {
      n = readSync(this.fd, buffer, 0, buffer.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') return new Uint8Array(0);
      if ((e as NodeJS.ErrnoException).code === 'EOF') n = 0;
      else throw e;
    }
    if (n === 0) this.ended = true;
    return new Uint8Array(buffer.subarray(0, n));
  }
}
