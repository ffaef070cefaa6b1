/** Growable byte writer and bounds-checked reader with unsigned LEB128 varints, for the log format. */
import { GrowableBytes } from '../growable-bytes';

export class ByteWriter extends GrowableBytes {
  u32(value: number): this {
    this.reserve(4);
    this.length += 4;
    return this.setU32(this.length - 4, value);
  }

  /** Overwrites the u32 at `at`, already written: a length known only once what follows it is written. */
  setU32(at: number, value: number): this {
    if (at < 0 || at + 4 > this.length) throw new RangeError(`setU32 at ${at} outside the ${this.length} bytes written`);
    // Byte by byte, not through a DataView: one less object for each (a checkpoint's chunk writes two).
    const buffer = this.buffer;
    buffer[at] = value; buffer[at + 1] = value >>> 8; buffer[at + 2] = value >>> 16; buffer[at + 3] = value >>> 24;
    return this;
  }

  /** The characters of `s`, each below 0x80 (the caller checks), a byte each: no TextEncoder and its buffer. */
  ascii(s: string): this {
    this.reserve(s.length);
    const buffer = this.buffer;
    let at = this.length;
    for (let i = 0; i < s.length; i++) buffer[at++] = s.charCodeAt(i);
    this.length = at;
    return this;
  }

  /** Unsigned varint; exact for any safe integer. */
  varint(value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`varint out of range: ${value}`);
    while (value >= 0x80) {
      this.byte((value % 0x80) | 0x80);
      value = Math.floor(value / 0x80);
    }
    return this.byte(value);
  }

  /** A varint length, then the bytes. */
  blob(data: Uint8Array): this {
    return this.varint(data.length).bytes(data);
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

export class FormatError extends Error {}

export class ByteReader {
  offset = 0;
  constructor(private readonly data: Uint8Array, private readonly what: string) {}

  get remaining(): number {
    return this.data.length - this.offset;
  }

  byte(): number {
    if (this.offset >= this.data.length) throw new FormatError(`${this.what} ends early`);
    return this.data[this.offset++];
  }

  u32(): number {
    if (this.remaining < 4) throw new FormatError(`${this.what} ends early`);
    const value = new DataView(this.data.buffer, this.data.byteOffset).getUint32(this.offset, true);
    this.offset += 4;
    return value;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return value;
      scale *= 0x80;
    }
    throw new FormatError(`${this.what} has a number that is too long`);
  }

  bytes(n: number): Uint8Array {
    if (n > this.remaining) throw new FormatError(`${this.what} ends early`);
    const out = this.data.slice(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  blob(limit: number): Uint8Array {
    const n = this.varint();
    if (n > limit) throw new FormatError(`${this.what} has a field of ${n} bytes (limit ${limit})`);
    return this.bytes(n);
  }
}
