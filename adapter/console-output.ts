/**
 * The guest's console output and the adapter's own messages, as Debug Console text. The engine passes
 * on guest output once per step of history, so travelling back and forward again prints nothing twice.
 *
 * Guest output goes out in batches: the lines the program printed since the last batch, at most every
 * FLUSH_MS, one output event per stream. So a program that prints a byte at a time, or megabytes a
 * second, costs the client about 20 events a second. A batch carries the step that printed each of its
 * lines (`data: {step, lineSteps}`), so that a console line still leads back to its moment; an
 * unfinished line (a prompt) goes out when the program stops.
 *
 * Memory stays bounded under any flood: while the client has not read what was sent (`canSend` false),
 * output waits in `HeldOutput`, which drops the oldest lines past its bound; one line in the console says
 * how much was left out, and that the recording has the full text (`rewind replay` prints it).
 */
import { ConsoleSink } from '../emulator/outside';
import { OutputData } from './custom-requests';
import { Batch, HeldOutput } from './held-output';
import { countText } from '../debugger/count-text';

type Stream = 'stdout' | 'stderr';
type Category = Stream | 'console';

/** Guest output waits at most this long before it is sent. */
export const FLUSH_MS = 50;

export interface OutputHost {
  send(text: string, category: Category, data?: OutputData): void;
  /** The step of the instruction writing now. */
  stepNow(): number;
  /** False while the client has not read what was sent: guest output then waits (within its bound). */
  canSend(): boolean;
  /** The recording that holds the full text of what was left out. */
  recordingPath(): string | undefined;
}

export class ConsoleOutput {
  private readonly held = { stdout: new HeldOutput(), stderr: new HeldOutput() };
  private lastSent = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly host: OutputHost) {}

  /** Where the engine writes the guest's output (UTF-8 split across writes is decoded whole). */
  readonly sink: ConsoleSink = {
    // `step` is given for output passed on from a snapshot index (printed before the step the machine is at).
    write: (stream, bytes, step) => {
      if (this.held[stream].add(bytes, step === undefined ? this.host.stepNow : () => step)) this.sendSoon();
    },
  };

  /** Sends everything held, unfinished lines too (the program stopped, or waits for input after a prompt). */
  flush(): void {
    this.send(true);
  }

  /** A message from Rewind itself (not the program), after the program's lines printed before it. */
  console(text: string): void {
    this.send(false);
    this.host.send(text, 'console');
  }

  /** Sends the finished lines now if the last batch went long enough ago, else when it is time. */
  private sendSoon(): void {
    if (performance.now() - this.lastSent >= FLUSH_MS && this.host.canSend()) return this.send(false);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.sendSoon();
    }, FLUSH_MS).unref();
  }

  private send(unfinished: boolean): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.lastSent = performance.now();
    for (const stream of ['stdout', 'stderr'] as const) {
      const held = this.held[stream];
      if (held.dropped > 0) {
        const where = this.host.recordingPath();
        this.host.send(`Rewind: ${countText(held.dropped)} bytes of the program's ${stream} were left out here to keep up with it; the recording has them all${where ? ` (rewind replay "${where}" prints them)` : ''}.\n`, 'console');
        held.dropped = 0;
      }
      const batch = held.take(unfinished);
      if (batch) this.host.send(batch.text, stream, outputData(batch));
    }
  }
}

/** The step of the batch's first byte, and with several lines the step of each line's start. */
function outputData(batch: Batch): OutputData {
  return batch.starts.length > 1 ? { step: batch.starts[0], lineSteps: batch.starts } : { step: batch.starts[0] };
}
