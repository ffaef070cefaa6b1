/**
 * A growable byte buffer: what the recording format's writer (replay/bytes.ts) and the WebAssembly
 * writer (cpu/wasm/wasm-binary.ts) both append to. Each adds its own number encodings on top.
 */
export class GrowableBytes {
  protected buffer: Uint8Array;
  length = 0;

  /** `capacity`: the bytes expected, when the writer knows (each time it runs out it doubles, a copy and a new zero-filled buffer). */
  constructor(capacity = 256) {
    this.buffer = new Uint8Array(capacity);
  }

  protected reserve(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    const bigger = new Uint8Array(Math.max(this.buffer.length * 2, this.length + n));
    bigger.set(this.buffer.subarray(0, this.length));
    this.buffer = bigger;
  }

  byte(value: number): this {
    if (this.length === this.buffer.length) this.reserve(1);
    this.buffer[this.length++] = value;
    return this;
  }

  bytes(data: ArrayLike<number>): this {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
    return this;
  }

  /** The bytes written so far, without copying (valid until the next append). */
  view(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}
