/**
 * The framing of the GDB remote serial protocol: `$payload#xx` packets with a two-hex-digit checksum,
 * `+`/`-` acknowledgements, and the bare 0x03 byte that asks a running target to stop.
 *
 * The reader never throws on bad input: a client may send anything (a torn packet, a wrong checksum, a
 * flood without `#`), and the stub must stay alive. It reports what it saw and the session decides.
 */

/** Payloads longer than this are dropped (we advertise `PacketSize` well below it). */
export const MAX_PACKET = 64 * 1024;

export type Framed =
  | { kind: 'packet'; payload: string }
  | { kind: 'badChecksum'; payload: string }
  | { kind: 'oversized'; length: number }
  | { kind: 'interrupt' }
  | { kind: 'ack' }
  | { kind: 'nack' };

type State = 'idle' | 'payload' | 'checksum1' | 'checksum2' | 'discarding';

export class PacketReader {
  private state: State = 'idle';
  private payload: number[] = [];
  private sum = 0;
  private checksumText = '';
  private discarded = 0;

  /** Feeds bytes from the socket; returns what they completed, in order. */
  push(bytes: Uint8Array): Framed[] {
    const out: Framed[] = [];
    for (const b of bytes) {
      switch (this.state) {
        case 'idle':
          if (b === 0x24 /* $ */) this.start();
          else if (b === 0x03) out.push({ kind: 'interrupt' });
          else if (b === 0x2b /* + */) out.push({ kind: 'ack' });
          else if (b === 0x2d /* - */) out.push({ kind: 'nack' });
          // Anything else between packets is line noise: ignored, as gdb's own stubs do.
          break;
        case 'payload':
          if (b === 0x23 /* # */) {
            this.state = 'checksum1';
          } else if (b === 0x24) {
            // A `$` inside a payload means the previous packet was torn: start over with this one.
            this.start();
          } else if (this.payload.length >= MAX_PACKET) {
            this.state = 'discarding';
            this.discarded = this.payload.length + 1;
            this.payload = [];
          } else {
            this.payload.push(b);
            this.sum = (this.sum + b) & 0xff;
          }
          break;
        case 'discarding':
          this.discarded++;
          if (b === 0x23) {
            this.state = 'checksum1';
            this.checksumText = 'oversized';
          }
          break;
        case 'checksum1':
          if (this.checksumText === 'oversized') {
            this.state = 'checksum2';
          } else {
            this.checksumText = String.fromCharCode(b);
            this.state = 'checksum2';
          }
          break;
        case 'checksum2':
          this.state = 'idle';
          if (this.checksumText === 'oversized') {
            out.push({ kind: 'oversized', length: this.discarded });
            break;
          }
          out.push(this.finish(this.checksumText + String.fromCharCode(b)));
          break;
      }
    }
    return out;
  }

  private start(): void {
    this.state = 'payload';
    this.payload = [];
    this.sum = 0;
    this.checksumText = '';
  }

  private finish(checksum: string): Framed {
    const payload = Buffer.from(this.payload).toString('latin1');
    this.payload = [];
    const expected = /^[0-9a-fA-F]{2}$/.test(checksum) ? parseInt(checksum, 16) : -1;
    return expected === this.sum ? { kind: 'packet', payload } : { kind: 'badChecksum', payload };
  }
}

/** `$payload#xx`, with the characters the protocol reserves escaped (`}` then the byte XOR 0x20). */
export function framePacket(payload: string): Buffer {
  let escaped = '';
  for (const ch of payload) {
    escaped += ch === '$' || ch === '#' || ch === '}' || ch === '*' ? '}' + String.fromCharCode(ch.charCodeAt(0) ^ 0x20) : ch;
  }
  let sum = 0;
  for (let i = 0; i < escaped.length; i++) sum = (sum + escaped.charCodeAt(i)) & 0xff;
  return Buffer.from(`$${escaped}#${sum.toString(16).padStart(2, '0')}`, 'latin1');
}

/** Undoes the binary escaping of a payload (the `X` packet's data). */
export function unescapeBinary(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out.push(c === 0x7d && i + 1 < text.length ? text.charCodeAt(++i) ^ 0x20 : c);
  }
  return Uint8Array.from(out);
}
