/**
 * The guest's console output and the adapter's own messages, as Debug Console text. The engine passes
 * on guest output once per step of history, so travelling back and forward again prints nothing twice.
 * Guest output goes out a line at a time, each line with the step that printed its first character
 * (`data: {step}`), so that a console line leads back to its moment; a partial line (a prompt) goes out
 * when the program stops.
 */
import { ConsoleSink } from '../emulator/outside';

type Category = 'stdout' | 'stderr' | 'console';

export class ConsoleOutput {
  private readonly decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  private readonly pending = { stdout: { text: '', step: 0 }, stderr: { text: '', step: 0 } };

  constructor(
    private readonly send: (text: string, category: Category, step?: number) => void,
    /** The step of the instruction writing now. */
    private readonly stepNow: () => number = () => 0,
  ) {}

  /** Where the engine writes the guest's output (UTF-8 split across writes is decoded whole). */
  readonly sink: ConsoleSink = {
    write: (stream, bytes) => {
      const text = this.decoders[stream].decode(bytes, { stream: true });
      if (!text) return;
      const pending = this.pending[stream];
      if (pending.text === '') pending.step = this.stepNow();
      let rest = text;
      for (let newline = rest.indexOf('\n'); newline >= 0; newline = rest.indexOf('\n')) {
        this.send(pending.text + rest.slice(0, newline + 1), stream, pending.step);
        pending.text = '';
        pending.step = this.stepNow();
        rest = rest.slice(newline + 1);
      }
      pending.text += rest;
    },
  };

  /** Sends the unfinished lines (the program stopped, or waits for input after a prompt). */
  flush(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const pending = this.pending[stream];
      if (pending.text) this.send(pending.text, stream, pending.step);
      pending.text = '';
    }
  }

  /** A message from Rewind itself (not the program). */
  console(text: string): void {
    this.send(text, 'console');
  }
}
