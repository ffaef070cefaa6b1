/**
 * A WebAssembly module's sections around its function bodies (wasm-binary.ts writes those): types,
 * imports (memory, table, functions, a global), functions, exports, elements and code.
 */
import { Bytes, Code, I32, lebLength } from './wasm-binary';

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
