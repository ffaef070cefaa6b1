/**
 * A small WebAssembly binary writer: just what the compiled tier (wasm-region.ts) emits, one module with
 * imported memory and functions and exported functions. Written by hand: the format is a few pages of the
 * spec (LEB128 numbers, length-prefixed sections), and a general assembler library would be larger than
 * the code it writes.
 *
 * `Code` is a function body being written: its methods append one instruction each, with the opcodes
 * named as in the spec's text format.
 */

import { GrowableBytes } from '../../growable-bytes';

export const I32 = 0x7f;
export const I64 = 0x7e;
/** Block type of a block, loop or if that leaves nothing on the stack. */
export const VOID = 0x40;

/** A growable byte buffer with the spec's number encodings. */
export class Bytes extends GrowableBytes {
  /** Unsigned LEB128 (sizes, indices, label depths). */
  u32(v: number): this {
    // Most numbers are small (local indices, label depths): one byte, no loop (the writer runs cold).
    if (v >= 0 && v < 0x80) return this.byte(v);
    v >>>= 0;
    // Straight into the buffer (at most 5 bytes), not a call per byte.
    this.reserve(5);
    const buffer = this.buffer;
    let at = this.length;
    do {
      const b = v & 0x7f;
      v >>>= 7;
      buffer[at++] = v !== 0 ? b | 0x80 : b;
    } while (v !== 0);
    this.length = at;
    return this;
  }

  /** Signed LEB128 of a 32-bit integer (i32.const). */
  s32(v: number): this {
    if (v >= -0x40 && v < 0x40) return this.byte(v & 0x7f);
    v |= 0;
    // Addresses and pcs take 5 bytes: straight into the buffer, not a call per byte.
    this.reserve(5);
    const buffer = this.buffer;
    let at = this.length;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
        buffer[at++] = b;
        this.length = at;
        return this;
      }
      buffer[at++] = b | 0x80;
    }
  }

  /**
   * Two bytes at once (an opcode and a one-byte immediate: a local or label below 128, a small constant),
   * one call where `byte` twice was two: the writer runs cold, in V8's first tiers, where calls dominate.
   */
  two(a: number, b: number): this {
    const at = this.length;
    if (at + 2 > this.buffer.length) this.reserve(2);
    const buffer = this.buffer;
    buffer[at] = a; buffer[at + 1] = b;
    this.length = at + 2;
    return this;
  }

  bytes(other: Bytes | ArrayLike<number>): this {
    if (!(other instanceof Bytes)) return super.bytes(other);
    // Copies the other's whole buffer, without making a view of it (an allocation, in a writer that runs
    // cold for thousands of functions); what lies past its length is overwritten by what comes next.
    this.reserve(other.buffer.length);
    this.buffer.set(other.buffer, this.length);
    this.length += other.length;
    return this;
  }

  /**
   * local.get a, local.get b, the opcode, local.set d (locals below 128: one byte each): a guest's
   * register-register instruction written at once, not a call per byte (the writer runs cold).
   */
  getGetOpSet(a: number, b: number, opcode: number, d: number): this {
    this.reserve(7);
    const buffer = this.buffer;
    const at = this.length;
    buffer[at] = 0x20; buffer[at + 1] = a; buffer[at + 2] = 0x20; buffer[at + 3] = b;
    buffer[at + 4] = opcode; buffer[at + 5] = 0x21; buffer[at + 6] = d;
    this.length = at + 7;
    return this;
  }

  /** local.get a, i32.const v, the opcode, local.set d (locals below 128): a register-immediate instruction. */
  getConstOpSet(a: number, v: number, opcode: number, d: number): this {
    if (v >= -0x40 && v < 0x40) {
      this.reserve(7);
      const buffer = this.buffer;
      const at = this.length;
      buffer[at] = 0x20; buffer[at + 1] = a; buffer[at + 2] = 0x41; buffer[at + 3] = v & 0x7f;
      buffer[at + 4] = opcode; buffer[at + 5] = 0x21; buffer[at + 6] = d;
      this.length = at + 7;
      return this;
    }
    this.byte(0x20).byte(a).byte(0x41).s32(v);
    return this.byte(opcode).byte(0x21).byte(d);
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

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** How many bytes Bytes.u32 writes for `v`. */
function lebLength(v: number): number {
  let n = 1;
  for (v >>>= 7; v !== 0; v >>>= 7) n++;
  return n;
}

/** Load and store opcodes with their natural alignment (log2 bytes). */
const MEMORY_OPS = {
  'i32.load': [0x28, 2], 'i32.load8_s': [0x2c, 0], 'i32.load8_u': [0x2d, 0], 'i32.load16_s': [0x2e, 1],
  'i32.load16_u': [0x2f, 1], 'i32.store': [0x36, 2], 'i32.store8': [0x3a, 0], 'i32.store16': [0x3b, 1],
} as const;
export type MemoryOp = keyof typeof MEMORY_OPS;

/** Opcodes without immediates. */
const PLAIN_OPS = {
  'unreachable': 0x00, 'drop': 0x1a, 'select': 0x1b, 'return': 0x0f,
  'i32.eqz': 0x45, 'i32.eq': 0x46, 'i32.ne': 0x47, 'i32.lt_s': 0x48, 'i32.lt_u': 0x49, 'i32.gt_s': 0x4a,
  'i32.gt_u': 0x4b, 'i32.le_s': 0x4c, 'i32.le_u': 0x4d, 'i32.ge_s': 0x4e, 'i32.ge_u': 0x4f,
  'i32.add': 0x6a, 'i32.sub': 0x6b, 'i32.mul': 0x6c, 'i32.div_s': 0x6d, 'i32.div_u': 0x6e, 'i32.rem_s': 0x6f,
  'i32.rem_u': 0x70, 'i32.and': 0x71, 'i32.or': 0x72, 'i32.xor': 0x73, 'i32.shl': 0x74, 'i32.shr_s': 0x75,
  'i32.shr_u': 0x76, 'i64.mul': 0x7e, 'i64.shr_s': 0x87, 'i64.shr_u': 0x88, 'i32.wrap_i64': 0xa7,
  'i64.extend_i32_s': 0xac, 'i64.extend_i32_u': 0xad,
} as const;
export type PlainOp = keyof typeof PLAIN_OPS;

/** One function body: its locals and its instructions. */
export class Code {
  readonly body = new Bytes();
  /** The locals' types, the first `locals` of them: the array is kept through `reset`, not grown again. */
  private readonly localTypes: number[] = [];
  private locals = 0;
  /** Whether the body calls a function by index (`call`), which ModuleBuilder's indices must then keep. */
  callsByIndex = false;

  /** `params` parameters come first (local indices 0..params-1); `local` adds one after them. */
  constructor(private readonly params: number) {}

  local(type: number): number {
    // One store, growing (hot regions' new Code) or not (warm cases' reused one): V8 deopted between them.
    const index = this.locals++;
    this.localTypes[index] = type;
    return this.params + index;
  }

  op(name: PlainOp): this { this.body.byte(PLAIN_OPS[name]); return this; }
  /**
   * `op` of two locals into a local (a guest's register-register instruction) in one call, or of a
   * local and a constant (`registerImmediate`); the same bytes as get, get (or i32), op, set.
   */
  registerRegister(a: number, b: number, name: PlainOp, d: number): this {
    if ((a | b | d) >>> 0 < 0x80) this.body.getGetOpSet(a, b, PLAIN_OPS[name], d);
    else this.get(a).get(b).op(name).set(d);
    return this;
  }
  registerImmediate(a: number, v: number, name: PlainOp, d: number): this {
    if ((a | d) >>> 0 < 0x80) this.body.getConstOpSet(a, v, PLAIN_OPS[name], d);
    else this.get(a).i32(v).op(name).set(d);
    return this;
  }
  // An opcode with a one-byte immediate (small constants, locals and depths: nearly all) in one call.
  i32(v: number): this { if (v >= -0x40 && v < 0x40) this.body.two(0x41, v & 0x7f); else this.body.byte(0x41).s32(v); return this; }
  /** i64.const of a value that fits in 32 bits (sign-extended). */
  i64(v: number): this { this.body.byte(0x42).s32(v); return this; }
  get(l: number): this { return this.withIndex(0x20, l); }
  set(l: number): this { return this.withIndex(0x21, l); }
  tee(l: number): this { return this.withIndex(0x22, l); }
  private withIndex(opcode: number, v: number): this {
    if (v >= 0 && v < 0x80) this.body.two(opcode, v); else this.body.byte(opcode).u32(v);
    return this;
  }
  call(f: number): this { this.callsByIndex = true; this.body.byte(0x10).u32(f); return this; }
  /** Calls the function at the index on the stack in table 0, of type `type` (ModuleBuilder.type). */
  callIndirect(type: number): this { this.body.byte(0x11).u32(type).byte(0x00); return this; }
  /**
   * The same as a tail call (the tail-call proposal, in V8 since 11.2): this function's frame is
   * replaced, so a chain of such calls returns once, to this function's caller, with the last result.
   */
  returnCallIndirect(type: number): this { this.body.byte(0x13).u32(type).byte(0x00); return this; }
  /** A load or store at the address on the stack plus the constant `offset`. */
  mem(name: MemoryOp, offset = 0): this {
    // Indexed, not destructured: V8's first tiers destructure an array through its iterator.
    const op = MEMORY_OPS[name];
    this.body.two(op[0], op[1]).u32(offset);
    return this;
  }
  block(type = VOID): this { this.body.two(0x02, type); return this; }
  loop(type = VOID): this { this.body.two(0x03, type); return this; }
  if(type = VOID): this { this.body.two(0x04, type); return this; }
  else(): this { this.body.byte(0x05); return this; }
  end(): this { this.body.byte(0x0b); return this; }
  br(depth: number): this { return this.withIndex(0x0c, depth); }
  brIf(depth: number): this { return this.withIndex(0x0d, depth); }
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
  }
}

export interface FunctionType { readonly params: number[]; readonly results: number[] }

/** The memory a module imports: at least `pages` long; `shared` as the machine's RAM is (memory/ram.ts). */
export interface MemoryImport { module: string; name: string; pages: number; shared?: boolean }

/** How a module imports `memory` (at least `pages` of it: all unless given). */
export function memoryImport(module: string, name: string, memory: WebAssembly.Memory, pages = memory.buffer.byteLength >>> 16): MemoryImport {
  return { module, name, pages, shared: memory.buffer instanceof SharedArrayBuffer };
}

/** A module: imported memory (and table), imported functions, and defined functions that are all exported. */
export class ModuleBuilder {
  private readonly types: FunctionType[] = [];
  private readonly imports: Array<{ module: string; name: string; type: number }> = [];
  private readonly functions: Array<{ name: string; type: number; exported: boolean }> = [];
  /** An imported i32 global that places the defined functions in table 0 from there (`placeInTable`). */
  private tableBase: { module: string; name: string } | null = null;
  /** The code section's function bodies, each appended when it is defined (a spare buffer: `encode`). */
  private bodies = SPARE_BODIES.pop() ?? new Bytes();
  private readonly typeIndices = new Map<FunctionType, number>();
  private table: { module: string; name: string; size: number } | null = null;
  /** Whether a defined function calls another function by index (Code.callsByIndex). */
  private callsByIndex = false;

  constructor(private readonly memory: MemoryImport) {}

  /** Imports a table of functions (table 0) of at least `size` entries. */
  importTable(module: string, name: string, size: number): void {
    this.table = { module, name, size };
  }

  /** The index of a function type (for call_indirect). */
  typeIndex(t: FunctionType): number {
    // Most calls pass the same object again (a module of thousands of functions of one type).
    const known = this.typeIndices.get(t);
    if (known !== undefined) return known;
    const index = this.findOrAddType(t);
    this.typeIndices.set(t, index);
    return index;
  }

  private findOrAddType(t: FunctionType): number {
    const types = this.types;
    for (let i = 0; i < types.length; i++) if (sameNumbers(types[i].params, t.params) && sameNumbers(types[i].results, t.results)) return i;
    types.push(t);
    return types.length - 1;
  }

  /** Imports a function; returns its index. All imports must come before the first `define`. */
  importFunction(module: string, name: string, type: FunctionType): number {
    if (this.functions.length !== 0) throw new Error('internal error: wasm imports must precede definitions');
    this.imports.push({ module, name, type: this.typeIndex(type) });
    return this.imports.length - 1;
  }

  /**
   * The instance puts its defined functions, in order, in table 0 from the index the imported global
   * `module.name` holds (an active element segment): no exported function objects to make.
   */
  placeInTable(module: string, name: string): void {
    this.tableBase = { module, name };
  }

  /**
   * Defines a function, whose code is complete (`code` may then be reset and reused), exported unless
   * `exported` is false; returns its index.
   */
  define(name: string, type: FunctionType, code: Code, exported = true): number {
    this.functions.push({ name, type: this.typeIndex(type), exported });
    this.callsByIndex ||= code.callsByIndex;
    code.encodeInto(this.bodies);
    return this.imports.length + this.functions.length - 1;
  }

  /**
   * The module's bytes. Imported functions are left out when no code calls any function (a region
   * without CSR or timer accesses): no index in the code changes then, and an imported JavaScript
   * function costs each module ~0.15 ms of V8's time to compile and instantiate (the wrapper that calls
   * it), more than a small module's whole compile. With `reuse`, into a buffer the next such encode
   * overwrites (compile the bytes at once), and the builder is done (its buffers go to the next one).
   */
  encode(reuse = false): Uint8Array {
    const imported = this.callsByIndex ? this.imports : [];
    const out = reuse ? REUSED_OUT : new Bytes();
    out.length = 0;
    out.bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    const section = (id: number, content: Bytes): void => { out.byte(id).u32(content.length).bytes(content); };

    const types = new Bytes().u32(this.types.length);
    for (const t of this.types) {
      types.byte(0x60).u32(t.params.length).bytes(t.params).u32(t.results.length).bytes(t.results);
    }
    section(1, types);

    const imports = new Bytes().u32(imported.length + 1 + (this.table !== null ? 1 : 0) + (this.tableBase !== null ? 1 : 0));
    imports.name(this.memory.module).name(this.memory.name).byte(0x02);
    // A shared memory is imported as shared, with a maximum (required) that any memory meets: 4 GiB.
    if (this.memory.shared) imports.byte(0x03).u32(this.memory.pages).u32(65536);
    else imports.byte(0x00).u32(this.memory.pages);
    if (this.table !== null) imports.name(this.table.module).name(this.table.name).byte(0x01).byte(0x70).byte(0x00).u32(this.table.size);
    // An immutable i32 (global 0).
    if (this.tableBase !== null) imports.name(this.tableBase.module).name(this.tableBase.name).byte(0x03).byte(I32).byte(0x00);
    for (const i of imported) imports.name(i.module).name(i.name).byte(0x00).u32(i.type);
    section(2, imports);

    const functions = new Bytes().u32(this.functions.length);
    for (const f of this.functions) functions.u32(f.type);
    section(3, functions);

    const exported = new Bytes().u32(this.functions.filter((f) => f.exported).length);
    this.functions.forEach((f, i) => { if (f.exported) exported.name(f.name).byte(0x00).u32(imported.length + i); });
    section(7, exported);

    if (this.tableBase !== null) {
      // One active segment for table 0 at offset (global.get 0): every defined function.
      const elements = new Bytes().u32(1).byte(0x00).byte(0x23).u32(0).byte(0x0b).u32(this.functions.length);
      this.functions.forEach((_f, i) => elements.u32(imported.length + i));
      section(9, elements);
    }

    // The bodies straight into `out`, not copied into a section buffer first.
    const count = this.functions.length;
    out.byte(10).u32(lebLength(count) + this.bodies.length).u32(count).bytes(this.bodies);
    if (reuse) {
      this.bodies.length = 0;
      SPARE_BODIES.push(this.bodies);
      this.bodies = new Bytes();
      this.functions.length = 0;
    }
    return out.view();
  }
}

/**
 * Buffers that `encode(true)` reuses, module after module: the module's bytes (valid until the next such
 * encode: the caller compiles them at once) and the builder's bodies, which it gives back. Each module
 * grew new ones by doubling (tens of KB for a batch of warm cases), fresh memory every time, that the
 * writer zeroed, copied twice more and faulted in.
 */
const REUSED_OUT = new Bytes();
const SPARE_BODIES: Bytes[] = [];
