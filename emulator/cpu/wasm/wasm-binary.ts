/**
 * A small WebAssembly binary writer: just what the compiled tier (wasm-region.ts) emits, one module with
 * imported memory and functions and exported functions. Written by hand: the format is a few pages of the
 * spec (LEB128 numbers, length-prefixed sections), and a general assembler library would be larger than
 * the code it writes.
 *
 * This file holds the numbers' encodings (`Bytes`) and the instructions: `Code` is a function body
 * being written, its methods append one instruction each, with the opcodes as numbers (const enums Op and
 * Mem, named after the spec's text format). wasm-module.ts lays out a module's sections around the bodies.
 */

import { GrowableBytes } from '../../growable-bytes';

export const I32 = 0x7f;
export const I64 = 0x7e;
/** Block type of a block, loop or if that leaves nothing on the stack. */
export const VOID = 0x40;

/** Writes `v`'s unsigned LEB128 at `at` (room for 5 bytes checked by the caller); returns where it ends. */
function unsignedAt(buffer: Uint8Array, at: number, v: number): number {
  // One compare a byte (the writer runs cold, where each operation is a call: see Code.op).
  v >>>= 0;
  while (v >= 0x80) { buffer[at++] = (v & 0x7f) | 0x80; v >>>= 7; }
  buffer[at] = v;
  return at + 1;
}

/** Writes `v`'s signed LEB128 (a 32-bit integer) at `at` (room for 5 bytes checked by the caller); returns where it ends. */
function signedAt(buffer: Uint8Array, at: number, v: number): number {
  // Seven bits a byte until what is left fits one byte's seven, signed (as unsignedAt).
  v |= 0;
  if (v >= 0x8000000 || v < -0x8000000) {
    // Five bytes (pcs and addresses above RAM's base, the commonest constants beyond one byte), unrolled:
    // the loop's compares and stores each a call into V8's builtins in cold code.
    buffer[at] = (v & 0x7f) | 0x80; buffer[at + 1] = ((v >> 7) & 0x7f) | 0x80; buffer[at + 2] = ((v >> 14) & 0x7f) | 0x80;
    buffer[at + 3] = ((v >> 21) & 0x7f) | 0x80; buffer[at + 4] = (v >> 28) & 0x7f;
    return at + 5;
  }
  while (v >= 0x40 || v < -0x40) { buffer[at++] = (v & 0x7f) | 0x80; v >>= 7; }
  buffer[at] = v & 0x7f;
  return at + 1;
}

/** A growable byte buffer with the spec's number encodings. */
export class Bytes extends GrowableBytes {
  /** Unsigned LEB128 (sizes, indices, label depths). */
  u32(v: number): this {
    // Most numbers are small (local indices, label depths): one byte, no loop (the writer runs cold).
    if (v >= 0 && v < 0x80) return this.byte(v);
    // Straight into the buffer (at most 5 bytes), not a call per byte.
    if (this.length + 5 > this.capacity) this.reserve(5);
    this.length = unsignedAt(this.buffer, this.length, v);
    return this;
  }

  /** Signed LEB128 of a 32-bit integer (i32.const). */
  s32(v: number): this {
    if (v >= -0x40 && v < 0x40) return this.byte(v & 0x7f);
    // Addresses and pcs take 5 bytes: straight into the buffer, not a call per byte.
    if (this.length + 5 > this.capacity) this.reserve(5);
    this.length = signedAt(this.buffer, this.length, v);
    return this;
  }

  /**
   * Two bytes at once (an opcode and a one-byte immediate: a local or label below 128, a small constant),
   * one call where `byte` twice was two: the writer runs cold, in V8's first tiers, where calls dominate.
   */
  two(a: number, b: number): this {
    const at = this.length;
    if (at + 2 > this.capacity) this.reserve(2);
    const buffer = this.buffer;
    buffer[at] = a; buffer[at + 1] = b;
    this.length = at + 2;
    return this;
  }

  /** Overwrites the byte at `at`, written before (an opcode decided once the code after it is written). */
  patch(at: number, v: number): void { this.buffer[at] = v; }

  bytes(other: Bytes | ArrayLike<number>): this {
    if (!(other instanceof Bytes)) return super.bytes(other);
    // Copies the other's whole buffer, without making a view of it (an allocation, in a writer that runs
    // cold for thousands of functions); what lies past its length is overwritten by what comes next.
    this.reserve(other.capacity);
    this.buffer.set(other.buffer, this.length);
    this.length += other.length;
    return this;
  }

  /**
   * local.get a, local.get b (locals below 128: one byte each), the opcode, then `next` and its one-byte
   * immediate: a guest's register-register instruction with local.set d, or a branch's test with its `if`,
   * written at once, not a call per byte (the writer runs cold).
   */
  getGetOpThen(a: number, b: number, opcode: number, next: number, imm: number): this {
    if (this.length + 7 > this.capacity) this.reserve(7);
    const buffer = this.buffer;
    const at = this.length;
    buffer[at] = 0x20; buffer[at + 1] = a; buffer[at + 2] = 0x20; buffer[at + 3] = b;
    buffer[at + 4] = opcode; buffer[at + 5] = next; buffer[at + 6] = imm;
    this.length = at + 7;
    return this;
  }

  /** local.get a, i32.const v, the opcode, local.set d (locals below 128): a register-immediate instruction. */
  getConstOpSet(a: number, v: number, opcode: number, d: number): this {
    if (this.length + 11 > this.capacity) this.reserve(11);
    const buffer = this.buffer;
    const at = this.length;
    buffer[at] = 0x20; buffer[at + 1] = a; buffer[at + 2] = 0x41;
    // The constant's signed LEB128: one byte (most), or through signedAt (straight into the buffer too).
    let end = at + 4;
    if (v >= -0x40 && v < 0x40) buffer[at + 3] = v & 0x7f; else end = signedAt(buffer, at + 3, v);
    buffer[end] = opcode; buffer[end + 1] = 0x21; buffer[end + 2] = d;
    this.length = end + 3;
    return this;
  }

  /**
   * local.get a, i32.const v, the opcode, then `next` with its immediate `imm` (unsigned LEB128: a br_if's
   * depth, an if's block type): a compare of a local with a constant and what it decides, in
   * one call (the dispatch's, wasm-dispatch.ts: a block's start, 5 bytes, for each block).
   */
  getConstOpThen(a: number, v: number, opcode: number, next: number, imm: number): this {
    if (this.length + 18 > this.capacity) this.reserve(18);
    const buffer = this.buffer;
    const at = this.length;
    buffer[at] = 0x20;
    const constant = a >= 0 && a < 0x80 ? (buffer[at + 1] = a, at + 2) : unsignedAt(buffer, at + 1, a);
    buffer[constant] = 0x41;
    const end = signedAt(buffer, constant + 1, v);
    buffer[end] = opcode; buffer[end + 1] = next;
    this.length = unsignedAt(buffer, end + 2, imm);
    return this;
  }

  /**
   * i32.const v, local.set l, br depth (l and depth below 128): a jump out of a region's block with the pc
   * to continue at (region-writer.ts goTo, leave), in one call where Code's i32, set and br were three.
   */
  constSetBr(v: number, l: number, depth: number): this {
    if (this.length + 10 > this.capacity) this.reserve(10);
    const buffer = this.buffer;
    buffer[this.length] = 0x41;
    const end = signedAt(buffer, this.length + 1, v);
    buffer[end] = 0x21; buffer[end + 1] = l; buffer[end + 2] = 0x0c; buffer[end + 3] = depth;
    this.length = end + 4;
    return this;
  }

  name(s: string): this {
    // Names are ASCII but for the odd one: those without a TextEncoder (a module has thousands).
    if (/^[\x00-\x7f]*$/.test(s)) {
      this.u32(s.length);
      for (let i = 0; i < s.length; i++) this.byte(s.charCodeAt(i));
      return this;
    }
    const encoded = new TextEncoder().encode(s);
    return this.u32(encoded.length).bytes(encoded);
  }
}

/** How many bytes Bytes.u32 writes for `v`. */
export function lebLength(v: number): number {
  let n = 1;
  for (v >>>= 7; v !== 0; v >>>= 7) n++;
  return n;
}

/**
 * Loads and stores: the opcode in the low byte, its natural alignment (log2 bytes) above it. Numbers at
 * the call sites, not names looked up in a table at every op: the writer runs cold (V8's first tiers),
 * where a lookup by a name that varies is a megamorphic keyed load (~190 host instructions).
 */
export const enum Mem {
  I32Load = 0x28 | 2 << 8, I32Load8S = 0x2c, I32Load8U = 0x2d, I32Load16S = 0x2e | 1 << 8, I32Load16U = 0x2f | 1 << 8,
  I32Store = 0x36 | 2 << 8, I32Store8 = 0x3a, I32Store16 = 0x3b | 1 << 8,
}

/** Opcodes without immediates, named as in the spec's text format (i32.shr_u: I32ShrU); numbers, as Mem's. */
export const enum Op {
  Unreachable = 0x00, Return = 0x0f, Drop = 0x1a, Select = 0x1b,
  I32Eqz = 0x45, I32Eq = 0x46, I32Ne = 0x47, I32LtS = 0x48, I32LtU = 0x49, I32GtS = 0x4a, I32GtU = 0x4b, I32LeS = 0x4c,
  I32LeU = 0x4d, I32GeS = 0x4e, I32GeU = 0x4f,
  I32Add = 0x6a, I32Sub = 0x6b, I32Mul = 0x6c, I32DivS = 0x6d, I32DivU = 0x6e, I32RemS = 0x6f, I32RemU = 0x70,
  I32And = 0x71, I32Or = 0x72, I32Xor = 0x73, I32Shl = 0x74, I32ShrS = 0x75, I32ShrU = 0x76, I32Rotr = 0x78,
  I64Mul = 0x7e, I64ShrS = 0x87, I64ShrU = 0x88, I32WrapI64 = 0xa7, I64ExtendI32S = 0xac, I64ExtendI32U = 0xad,
  Else = 0x05, End = 0x0b,
}

/** One function body: its locals and its instructions. */
export class Code {
  readonly body = new Bytes();
  /** The locals' types, the first `locals` of them: the array is kept through `reset`, not grown again. */
  private readonly localTypes: number[] = [];
  private locals = 0;
  /** Whether the body calls a function by index (`call`), which ModuleBuilder's indices must then keep. */
  callsByIndex = false;
  /** Whether a local added had another type than the one before it (else the locals are one run: encodeInto). */
  private mixed = false;

  /** `params` parameters come first (local indices 0..params-1); `local` adds one after them. */
  constructor(private readonly params: number) {}

  local(type: number): number {
    // One store, growing (hot regions' new Code) or not (warm cases' reused one): V8 deopted between them.
    const index = this.locals++;
    if (index !== 0 && this.localTypes[index - 1] !== type) this.mixed = true;
    this.localTypes[index] = type;
    return this.params + index;
  }

  /** `count` locals of one type at once (a region's registers): the first one's index. */
  addLocals(count: number, type: number): number {
    const first = this.locals;
    if (count !== 0 && first !== 0 && this.localTypes[first - 1] !== type) this.mixed = true;
    for (let i = 0; i < count; i++) this.localTypes[first + i] = type;
    this.locals = first + count;
    return this.params + first;
  }

  /**
   * Keeps the first `count` locals added, drops the later ones (which the body must not use: the module
   * then fails to compile). Liftoff zeroes every local at each call, by a few stores up to six i32 and by
   * `rep stosl` beyond (~7 ns a call): wasm-region.ts drops those a warm case does not need.
   */
  keepLocals(count: number): void {
    // Stored whether it drops any or not: a store only warm cases reach threw away wasm-region.ts's
    // regionFunction (it inlines this), optimized on hot regions (see there).
    this.locals = count < this.locals ? count : this.locals;
  }

  // The commonest ops write their bytes straight into the body (`op`, `withByte`): a call fewer each
  // than through Bytes' methods, in a writer that runs cold (V8's first tiers, where a call costs more
  // than the stores), for every op of every warm case (bench/LOG.md, session 27).
  /** An opcode alone, straight into the body where it has room. */
  op(opcode: Op): this {
    const b = this.body, at = b.length;
    if (at < b.capacity) { b.buffer[at] = opcode; b.length = at + 1; } else b.byte(opcode);
    return this;
  }
  /**
   * `op` of two locals into a local (a guest's register-register instruction) in one call, or of a
   * local and a constant (`registerImmediate`); the same bytes as get, get (or i32), op, set.
   */
  registerRegister(a: number, b: number, opcode: Op, d: number): this {
    if ((a | b | d) >>> 0 < 0x80) this.body.getGetOpThen(a, b, opcode, 0x21, d);
    else this.get(a).get(b).op(opcode).set(d);
    return this;
  }
  registerImmediate(a: number, v: number, opcode: Op, d: number): this {
    if ((a | d) >>> 0 < 0x80) this.body.getConstOpSet(a, v, opcode, d);
    else this.get(a).i32(v).op(opcode).set(d);
    return this;
  }
  // An opcode with a one-byte immediate (small constants, locals and depths: nearly all) in one call.
  i32(v: number): this {
    const b = this.body, at = b.length;
    if (at + 6 > b.capacity) { b.byte(0x41).s32(v); return this; }
    b.buffer[at] = 0x41;
    // Signed LEB128 (Bytes.s32) straight into the body too: pcs and addresses take 5 bytes.
    b.length = signedAt(b.buffer, at + 1, v);
    return this;
  }
  /** i64.const of a value that fits in 32 bits (sign-extended). */
  i64(v: number): this { this.body.byte(0x42).s32(v); return this; }
  get(l: number): this { return this.withByte(0x20, l); }
  set(l: number): this { return this.withByte(0x21, l); }
  tee(l: number): this { return this.withByte(0x22, l); }
  call(f: number): this { this.callsByIndex = true; this.body.byte(0x10).u32(f); return this; }
  /** Calls the function at the index on the stack in table 0, of type `type` (ModuleBuilder.type). */
  callIndirect(type: number): this { this.body.byte(0x11).u32(type).byte(0x00); return this; }
  /**
   * The same as a tail call (the tail-call proposal, in V8 since 11.2): this function's frame is
   * replaced, so a chain of such calls returns once, to this function's caller, with the last result.
   */
  returnCallIndirect(type: number): this { this.body.byte(0x13).u32(type).byte(0x00); return this; }
  /** A load or store at the address on the stack plus the constant `offset`. */
  mem(op: Mem, offset = 0): this {
    const b = this.body, at = b.length;
    if (at + 7 > b.capacity || offset < 0) { b.two(op & 0xff, op >> 8).u32(offset); return this; }
    // Straight into the body (see `op`), the offset's unsigned LEB128 too.
    const buffer = b.buffer;
    buffer[at] = op & 0xff; buffer[at + 1] = op >> 8;
    b.length = unsignedAt(buffer, at + 2, offset);
    return this;
  }
  block(type = VOID): this { return this.withByte(0x02, type); }
  loop(type = VOID): this { return this.withByte(0x03, type); }
  if(type = VOID): this { return this.withByte(0x04, type); }
  else(): this { return this.op(Op.Else); }
  end(): this { return this.op(Op.End); }
  br(depth: number): this { return this.withByte(0x0c, depth); }
  brIf(depth: number): this { return this.withByte(0x0d, depth); }
  /**
   * An opcode and its one immediate (a local, a depth or a block type; unsigned LEB128), written straight
   * into the body where it has room and the immediate takes one byte (nearly always): one call an op
   * (Bytes' `two` or `byte`+`u32` under it were two or three), in a writer that runs cold in V8's first
   * tiers for every op of every warm case (bench/LOG.md, session 27).
   */
  private withByte(opcode: number, v: number): this {
    const b = this.body, at = b.length;
    if (v >= 0 && v < 0x80 && at + 2 <= b.capacity) { const buffer = b.buffer; buffer[at] = opcode; buffer[at + 1] = v; b.length = at + 2; } else b.byte(opcode).u32(v);
    return this;
  }
  brTable(depths: ArrayLike<number>, otherwise: number): this {
    this.body.byte(0x0e).u32(depths.length);
    for (let i = 0; i < depths.length; i++) this.body.u32(depths[i]);
    this.body.u32(otherwise);
    return this;
  }

  /** Appends the body as the code section stores it: size, local declarations (runs of one type), instructions, end. */
  encodeInto(out: Bytes): void {
    // Sizes first, then the bytes straight into `out`: no buffer of its own for each part.
    const types = this.localTypes;
    const locals = this.locals;
    if (!this.mixed) {
      // Locals of one type (every region's and warm case's: i32): one run, or none, without the loops
      // below over every local twice (cold, for each warm case; bench/LOG.md, session 30).
      if (locals === 0) out.u32(this.body.length + 2).u32(0);
      else out.u32(lebLength(locals) + this.body.length + 3).u32(1).u32(locals).byte(types[0]);
      out.bytes(this.body).byte(0x0b);
      return;
    }
    let runs = 0;
    let declarationBytes = 0;
    for (let i = 0; i < locals;) {
      let j = i;
      while (j < locals && types[j] === types[i]) j++;
      runs++;
      declarationBytes += lebLength(j - i) + 1;
      i = j;
    }
    out.u32(lebLength(runs) + declarationBytes + this.body.length + 1).u32(runs);
    for (let i = 0; i < locals;) {
      let j = i;
      while (j < locals && types[j] === types[i]) j++;
      out.u32(j - i).byte(types[i]);
      i = j;
    }
    out.bytes(this.body).byte(0x0b);
  }

  /** Empties the body and the locals, to write another function with the same parameters. */
  reset(): void {
    this.body.length = 0;
    this.locals = 0;
    this.callsByIndex = false;
    this.mixed = false;
  }
}
