/**
 * Chaining: control passes from one wasm region to the next without coming back to JavaScript. Code that
 * calls across pages (a library's functions, a soft-float call, a `switch` whose cases fill many pages)
 * leaves its region every few instructions; a return to the run loop costs more than those instructions.
 *
 * Every wasm region's function is in one table (its id is its index), and the region map in memory
 * (memory/ram.ts) says, for each RAM halfword where a block of a region starts, that region's id. The
 * chain's one function `enter(pc, end)` runs the region at `pc`, looks up the region of the pc it
 * leaves at, runs that one, and so on; it returns to the run loop when there is none (cold code, a
 * breakpoint: blocks that start at one are never in a region), when a region left an instruction to the
 * interpreter, when the next block does not fit in the slice (a region then returns at once, having
 * taken no step), or when a CSR instruction moved the slice end. So the run loop sees every stop it saw
 * before, at the same steps.
 */
import { EXIT_WORDS, REGISTERS_BYTES, Ram } from '../../memory/ram';
import { RegionBlock, RegionHost } from '../region';
import { STEP_CAP } from '../region-instructions';
import { Code, I32, ModuleBuilder } from './wasm-binary';

/** Exit words (after the registers in memory) that regions and the chain share. */
export const EXIT_STEPS = 0;
export const EXIT_SLOW = 1;
/** A CSR call's outcome (wasm-csr.ts): 0 done, 1 left to the interpreter, 2 done and the slice end moved. */
export const EXIT_CSR = 2;
/** Steps the chain had taken before the region now running was entered (for CSR calls' exact step). */
export const EXIT_BASE = 3;

/** The type of every region's function: (pc, steps left) -> pc to continue at. */
export const REGION_TYPE = { params: [I32, I32], results: [I32] };

const NO_REGION = 0;
/** The map holds 16-bit ids. */
const MAX_ID = 0xffff;

export class WasmChain {
  readonly table = new WebAssembly.Table({ element: 'anyfunc', initial: 64 });
  /** Region ids by RAM halfword (ram.ts's region map). */
  private readonly map: Uint16Array;
  private readonly free: number[] = [];
  private next = 1;
  /** Blocks of each live region, to clear its map entries when it goes. */
  private readonly live = new Map<number, readonly RegionBlock[]>();
  /** The machine's step and slice end when the chain was entered (CSR calls need them). */
  readonly entry = { s0: 0, e0: 0 };
  /**
   * Runs regions from `pc` (the start of a block of one, which must fit in the slice) until control
   * reaches code no region runs, or must return (see above); returns the pc to continue at, with the
   * machine's step, registers and `slowExit` up to date. Every wasm region's `run`.
   */
  readonly run: (pc: number) => number;
  private readonly ram: Ram;

  constructor(m: RegionHost) {
    if (EXIT_WORDS < 4) throw new Error('internal error: too few exit words');
    const ram = this.ram = m.ram;
    this.map = new Uint16Array(ram.memory.buffer, ram.regionMapOffset, ram.size >>> 1);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(this.dispatcher()), { m: { memory: ram.memory, table: this.table } });
    const enter = instance.exports.enter as (pc: number, end: number) => number;
    const exits = ram.exitWords;
    const entry = this.entry;
    this.run = (pc: number): number => {
      const s0 = m.step;
      const e0 = m.sliceEnd;
      entry.s0 = s0;
      entry.e0 = e0;
      exits[EXIT_SLOW] = 0;
      exits[EXIT_CSR] = 0;
      const next = enter(pc | 0, Math.min(e0 - s0, STEP_CAP)) >>> 0;
      m.step = s0 + exits[EXIT_STEPS];
      // No step taken (the map has no region there: never, unless an invariant broke): the interpreter
      // goes first, so the run loop cannot enter the chain at the same pc for ever.
      m.slowExit = exits[EXIT_SLOW] !== 0 || exits[EXIT_STEPS] === 0;
      return next;
    };
  }

  /** A new region's function: returns its id, or undefined when all ids are taken (it then runs alone). */
  add(run: unknown, blocks: readonly RegionBlock[]): number | undefined {
    let id = this.free.pop();
    if (id === undefined) {
      if (this.next > MAX_ID) return undefined;
      id = this.next++;
      if (id >= this.table.length) this.table.grow(this.table.length);
    }
    this.table.set(id, run);
    this.live.set(id, blocks);
    for (const b of blocks) this.map[((b.start - this.ram.base) >>> 0) >>> 1] = id;
    return id;
  }

  /** The region is gone (its blocks were invalidated, or moved to a bigger region). */
  remove(id: number): void {
    const blocks = this.live.get(id);
    if (blocks === undefined) return;
    for (const b of blocks) {
      const half = ((b.start - this.ram.base) >>> 0) >>> 1;
      if (this.map[half] === id) this.map[half] = NO_REGION;
    }
    this.live.delete(id);
    this.table.set(id, null);
    this.free.push(id);
  }

  /** Every region is gone (the code cache was flushed). */
  clear(): void {
    for (const id of [...this.live.keys()]) this.remove(id);
  }

  private dispatcher(): Uint8Array {
    const ram = this.ram;
    const builder = new ModuleBuilder({ module: 'm', name: 'memory', pages: ram.memory.buffer.byteLength >>> 16 });
    builder.importTable('m', 'table', 1);
    const type = builder.typeIndex(REGION_TYPE);
    const exits = ram.size + REGISTERS_BYTES;
    const c = new Code(2);
    const PC = 0, END = 1;
    const total = c.local(I32), offset = c.local(I32), id = c.local(I32), steps = c.local(I32);
    c.loop().block();
    // The region at pc, if any.
    c.get(PC).i32(ram.base | 0).op('i32.sub').tee(offset).i32(ram.size).op('i32.ge_u').brIf(0);
    c.get(offset).i32(1).op('i32.and').brIf(0);
    c.get(offset).mem('i32.load16_u', ram.regionMapOffset).tee(id).op('i32.eqz').brIf(0);
    c.i32(0).get(total).mem('i32.store', exits + 4 * EXIT_BASE);
    c.get(PC).get(END).get(total).op('i32.sub').get(id).callIndirect(type).set(PC);
    c.i32(0).mem('i32.load', exits + 4 * EXIT_STEPS).tee(steps).get(total).op('i32.add').set(total);
    c.i32(0).mem('i32.load', exits + 4 * EXIT_SLOW).brIf(0);
    c.get(steps).op('i32.eqz').brIf(0);
    c.i32(0).mem('i32.load', exits + 4 * EXIT_CSR).brIf(0);
    c.br(1);
    c.end();
    c.i32(0).get(total).mem('i32.store', exits + 4 * EXIT_STEPS);
    c.get(PC).op('return');
    c.end();
    c.op('unreachable');
    builder.define('enter', REGION_TYPE, c);
    return builder.encode();
  }
}
