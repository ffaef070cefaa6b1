/**
 * The byte cursor every DWARF section is read with: fixed-size little-endian integers, LEB128, C strings.
 * Every read is checked against the end of the section, so malformed debug info gives a DwarfError that
 * names the section and offset (never a RangeError from a DataView, never a read of another section).
 */

export class DwarfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DwarfError';
  }
}

const utf8 = new TextDecoder('utf-8');

export class DwarfReader {
  private readonly view: DataView;
  /** Offset within `bytes`. */
  offset: number;

  /** `section` names the section in error messages; `offset` is where reading starts. */
  constructor(readonly bytes: Uint8Array, readonly section: string, offset = 0) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = offset;
  }

  get atEnd(): boolean {
    return this.offset >= this.bytes.length;
  }

  get remaining(): number {
    return Math.max(0, this.bytes.length - this.offset);
  }

  /** A reader over the next `length` bytes (for a unit or an expression), so that it cannot read past them. */
  sub(length: number, what: string): DwarfReader {
    this.need(length, what);
    const sub = new DwarfReader(this.bytes.subarray(this.offset, this.offset + length), this.section);
    this.offset += length;
    return sub;
  }

  need(size: number, what: string): void {
    if (size < 0 || this.offset < 0 || this.offset + size > this.bytes.length) {
      throw new DwarfError(`malformed debug info: ${what} at offset 0x${this.offset.toString(16)} of ${this.section} ` +
        `runs past its end (${this.bytes.length} bytes)`);
    }
  }

  u8(): number {
    this.need(1, 'a byte');
    return this.bytes[this.offset++];
  }

  i8(): number {
    const v = this.u8();
    return v >= 0x80 ? v - 0x100 : v;
  }

  u16(): number {
    this.need(2, 'a 2-byte value');
    const v = this.view.getUint16(this.offset, true);
    this.offset += 2;
    return v;
  }

  i16(): number {
    const v = this.u16();
    return v >= 0x8000 ? v - 0x10000 : v;
  }

  u24(): number {
    this.need(3, 'a 3-byte value');
    const v = this.bytes[this.offset] | (this.bytes[this.offset + 1] << 8) | (this.bytes[this.offset + 2] << 16);
    this.offset += 3;
    return v;
  }

  u32(): number {
    this.need(4, 'a 4-byte value');
    const v = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return v;
  }

  i32(): number {
    return this.u32() | 0;
  }

  /** A 64-bit value as a number; exact up to 2^53, which covers every address and offset of RV32 DWARF. */
  u64(): number {
    const low = this.u32();
    const high = this.u32();
    return high * 2 ** 32 + low;
  }

  i64(): number {
    const low = this.u32();
    const high = this.i32();
    return high * 2 ** 32 + low;
  }

  /** An unsigned LEB128; values beyond 2^53 lose precision, which no field we use reaches. */
  uleb(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const byte = this.u8();
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return result;
      scale *= 128;
    }
  }

  sleb(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const byte = this.u8();
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) return (byte & 0x40) !== 0 ? result - scale : result;
    }
  }

  /** A NUL-terminated UTF-8 string. */
  cstring(): string {
    const end = this.bytes.indexOf(0, this.offset);
    if (end < 0) {
      throw new DwarfError(`malformed debug info: a string at offset 0x${this.offset.toString(16)} of ${this.section} has no end`);
    }
    const s = utf8.decode(this.bytes.subarray(this.offset, end));
    this.offset = end + 1;
    return s;
  }

  bytesOf(length: number): Uint8Array {
    this.need(length, `a block of ${length} bytes`);
    const b = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return b;
  }

  /** An unsigned integer of `size` bytes (1, 2, 4 or 8). */
  unsigned(size: number): number {
    switch (size) {
      case 1: return this.u8();
      case 2: return this.u16();
      case 4: return this.u32();
      case 8: return this.u64();
      default: throw new DwarfError(`malformed debug info: unsupported value size ${size} in ${this.section}`);
    }
  }

  /**
   * A unit's initial length: returns the unit's length and whether it is 64-bit DWARF (offsets of 8
   * bytes). 0xffffffff announces 64-bit DWARF; 0xfffffff0..0xfffffffe are reserved.
   */
  initialLength(): { length: number; offsetSize: 4 | 8 } {
    const length = this.u32();
    if (length === 0xffffffff) return { length: this.u64(), offsetSize: 8 };
    if (length >= 0xfffffff0) {
      throw new DwarfError(`malformed debug info: reserved unit length 0x${length.toString(16)} in ${this.section}`);
    }
    return { length, offsetSize: 4 };
  }
}

/** A NUL-terminated string at `offset` of a string section (.debug_str, .debug_line_str). */
export function stringAt(section: Uint8Array, name: string, offset: number): string {
  if (offset >= section.length) {
    throw new DwarfError(`malformed debug info: string offset 0x${offset.toString(16)} is past the end of ${name} ` +
      `(${section.length} bytes)`);
  }
  return new DwarfReader(section, name, offset).cstring();
}

/**
 * The section offset of a DWARF 5 list (.debug_rnglists, .debug_loclists) given by index: the unit's
 * offset table at `base` holds, per index, the list's offset relative to `base`.
 */
export function listOffsetFromIndex(section: Uint8Array, name: string, base: number, index: number, offsetSize: 4 | 8): number {
  return base + new DwarfReader(section, name, base + index * offsetSize).unsigned(offsetSize);
}
