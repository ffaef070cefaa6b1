/**
 * A growable byte buffer: what the recording format's writer (replay/bytes.ts) and the WebAssembly
 * writer (cpu/wasm/wasm-binary.ts) both append to. Each adds its own number encodings on top.
 */
/**
 * `buffer`, `capacity` and `reserve` are public for the wasm writer's Code (cpu/wasm/wasm-binary.ts),
 * which writes its commonest two bytes straight in: a call fewer per op, in code that runs cold.
 */
export class GrowableBytes {
  buffer: Uint8Array;
  /**
   * `buffer.length`, kept: a typed array's length is a getter, which V8's first tiers call through an
   * inline cache at every read, and the wasm writer runs there (cold, for every warm case: bench/LOG.md,
   * session 27).
   */
  capacity: number;
  length = 0;

  /** `capacity`: the bytes expected, when the writer knows (each time it runs out it doubles, a copy and a new zero-filled buffer). */
  constructor(capacity = 256) {
    this.buffer = new Uint8Array(capacity);
    this.capacity = capacity;
  }

  reserve(n: number): void {
    if (this.length + n <= this.capacity) return;
    const bigger = new Uint8Array(Math.max(this.capacity * 2, this.length + n));
    bigger.set(this.buffer.subarray(0, this.length));
    this.buffer = bigger;
    this.capacity = bigger.length;
  }

  byte(value: number): this {
    if (this.length === this.capacity) this.reserve(1);
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
