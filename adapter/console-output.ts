/**
 * The guest's console output and the adapter's own messages, as Debug Console text. The engine passes
 * on guest output once per step of history, so travelling back and forward again prints nothing twice.
 */
import { ConsoleSink } from '../emulator/outside';

type Category = 'stdout' | 'stderr' | 'console';

export class ConsoleOutput {
  private readonly decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };

  constructor(private readonly send: (text: string, category: Category) => void) {}

  /** Where the engine writes the guest's output (UTF-8 split across writes is decoded whole). */
  readonly sink: ConsoleSink = {
    write: (stream, bytes) => {
      const text = this.decoders[stream].decode(bytes, { stream: true });
      if (text) this.send(text, stream);
    },
  };

  /** A message from Rewind itself (not the program). */
  console(text: string): void {
    this.send(text, 'console');
  }
}
