/**
 * The guest's console on the host's stdout/stderr, buffered: guests print a byte at a time through the
 * UART, and one write system call per byte would dominate a run.
 */
import { writeSync } from 'node:fs';
import { ConsoleSink } from '../emulator/outside';

export class BufferedConsole implements ConsoleSink {
  /**
   * The reader of our output has gone (EPIPE), seen by a console made to go on then (`record`, whose
   * recording is finished where it stops: run-slices.ts); what the guest prints after that is dropped.
   * Any other console throws the EPIPE, which ends the command (cli/main.ts).
   */
  closed = false;
  private pending: { stdout: Uint8Array[]; stderr: Uint8Array[] } = { stdout: [], stderr: [] };
  private pendingBytes = 0;
  /** Told of every write (its byte count): the terminal's reader tells polls for sending from waits for input. */
  onWrite: (bytes: number) => void = () => undefined;

  constructor(private readonly goOnWhenClosed = false) {}

  write(stream: 'stdout' | 'stderr', bytes: Uint8Array): void {
    this.onWrite(bytes.length);
    if (this.closed) return;
    // In the order the program wrote them: with both streams on one terminal or file (2>&1), stdout's
    // bytes and stderr's must not come out grouped by stream at each flush (the flushes of a run and of a
    // replay come at different steps, so their combined output differed too).
    if (this.pending[stream === 'stdout' ? 'stderr' : 'stdout'].length > 0) this.flush();
    this.pending[stream].push(bytes.slice());
    this.pendingBytes += bytes.length;
    if (this.pendingBytes > 1 << 16) this.flush();
  }

  flush(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const chunks = this.pending[stream];
      if (chunks.length === 0) continue;
      this.pending[stream] = [];
      try {
        writeSync(stream === 'stdout' ? 1 : 2, Buffer.concat(chunks));
      } catch (e) {
        if (!this.goOnWhenClosed || (e as NodeJS.ErrnoException).code !== 'EPIPE') throw e;
        this.closed = true;
        this.pending = { stdout: [], stderr: [] };
        break;
      }
    }
    this.pendingBytes = 0;
  }
}
