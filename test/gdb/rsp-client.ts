/**
 * A raw remote-protocol client over a TCP socket, for the tests that send what gdb never would:
 * bad checksums, torn and oversized packets, interrupts, a disconnect in the middle of a command.
 */
import { connect, Socket } from 'node:net';

export class RspClient {
  private buffer = '';
  private waiters: Array<() => void> = [];
  private constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      this.buffer += d;
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('error', () => undefined);
  }

  static open(port: number): Promise<RspClient> {
    return new Promise((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => resolve(new RspClient(s)));
      s.once('error', reject);
    });
  }

  static frame(payload: string): string {
    let sum = 0;
    for (const c of payload) sum = (sum + c.charCodeAt(0)) & 0xff;
    return `$${payload}#${sum.toString(16).padStart(2, '0')}`;
  }

  raw(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** Sends a packet and returns the next reply packet's payload (acknowledgements are skipped). */
  async request(payload: string): Promise<string> {
    this.raw(RspClient.frame(payload));
    return this.nextPacket();
  }

  /** The next packet from the stub (acks dropped; `O` console packets kept unless `skipConsole`). */
  async nextPacket(skipConsole = true, timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.buffer = this.buffer.replace(/^[+-]+/, '');
      const m = /^\$([^#]*)#([0-9a-f]{2})/.exec(this.buffer);
      if (m) {
        this.buffer = this.buffer.slice(m[0].length);
        this.raw('+');
        if (skipConsole && m[1].startsWith('O') && m[1] !== 'OK') continue;
        return m[1];
      }
      if (Date.now() > deadline) throw new Error(`no reply from the stub within ${timeoutMs} ms (buffer ${JSON.stringify(this.buffer)})`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 200);
        this.waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
  }

  /** Waits until the stub sent `text` (e.g. a lone `-`), consuming everything up to it. */
  async expectRaw(text: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.buffer.includes(text)) {
      if (Date.now() > deadline) throw new Error(`the stub did not send ${JSON.stringify(text)} (buffer ${JSON.stringify(this.buffer)})`);
      await new Promise((r) => setTimeout(r, 20));
    }
    this.buffer = this.buffer.slice(this.buffer.indexOf(text) + text.length);
  }

  close(): void {
    this.socket.destroy();
  }
}
