/**
 * Where a region's function (wasm-region.ts) goes on from the block it is writing: to the label of a
 * later block, back through the dispatch, out to the chain, or back to the run loop (`leave`), and the
 * slow exit before an instruction left to the interpreter. The labels around block j's code are (its own
 * loop), b(j+1)..b(n-1), $default, $dispatch, $return, $chain.
 *
 * One writer serves a whole function, block after block, with every local and offset the blocks' code
 * needs in its fields. The emitter runs cold (V8's first tiers) for thousands of blocks in a program's
 * first milliseconds, and the closures it made for every block (and a context for every instruction,
 * which closures of the CSR paths captured), with a Map per block and per function and arrays per call
 * of sliceRoom, were most of its garbage: bench/statemachine's ~600 warm cases allocated 8.7 KB each,
 * now 2.5 (young generation, a warm emitter), and its first run 15.0 MB, now 11.1 (the emitter's part
 * 6.5 -> 2.9 MB). The bytes written are the same (every bench program's modules, hashed).
 */
import { Decoded } from '../../isa/decode';
import { Code, Mem, Op } from './wasm-binary';
import { KnownBases, TimerHost } from './wasm-timer';
import { WasmKind } from './wasm-instructions';
import { TrapHost } from '../trap-entry';

type CsrSite = (operand: number, steps: number) => number;

/** What `lui` put in registers in the block being written: one for every writer (each block starts by forgetting). */
const BASES = new KnownBases();
const plain = (d: Decoded, k: WasmKind): boolean => BASES.clintAddress(d, k) === undefined;

/** A function's locals (indices) and the addresses its code uses, as wasm-region.ts allocated them. */
export interface RegionLocals {
  readonly pc: number; readonly steps: number; readonly end: number;
  readonly s: number; readonly slow: number; readonly offset: number; readonly old: number;
  /** The local holding each guest register x1..x31 (-1: none, the register is read and written in memory, at `registerBase`). */
  readonly registers: ArrayLike<number>;
  readonly registerBase: number;
  /** A local for a value on its way to a register in memory (-1: none, every register has a local). */
  readonly scratch: number;
}

/** The writer writing now (RegionWriter's constructor sets it), and its `exit`. */
let writing: RegionWriter | null = null;
const EXIT = (nesting: number): void => writing!.slowExit(nesting);

export class RegionWriter {
  declare readonly c: Code;
  declare readonly l: RegionLocals;
  /** The blocks' starts, sorted: block j is case j. */
  declare private readonly starts: readonly number[];
  declare readonly m: TimerHost & TrapHost;
  /** The chain's entry words (CSR and timer sites read them). */
  declare readonly entry: { readonly s0: number; readonly e0: number };
  /** Where the exit words and the CSR words are in memory, and the import and sites of JavaScript calls. */
  declare readonly exitBase: number;
  declare readonly csrBase: number;
  declare readonly csrImport: number;
  declare readonly csrSites: CsrSite[];
  /** Constants `lui` put in registers in the block so far (wasm-timer.ts), and whether an access is none of the CLINT's. */
  declare readonly bases: KnownBases;
  declare readonly plain: (d: Decoded, k: WasmKind) => boolean;
  /** `slowExit`, as WasmSite.exit: one closure for the function. */
  declare readonly exit: (nesting: number) => void;
  /** The block being written: its case number, whether it loops on itself (1), and its labels' depths. */
  declare j: number;
  declare own: number;
  declare dispatchDepth: number;
  declare returnDepth: number;
  /** The instruction a slow exit leaves to the interpreter: its index in the block and its pc. */
  declare exitIndex: number;
  declare exitPc: number;
  /** Whether any instruction was left to the interpreter (only then is EXIT_SLOW written). */
  declare slowExits: boolean;
  /** Whether any block went on to an earlier one (or itself) through the dispatch (`goTo`). */
  declare backJumps: boolean;

  /** `starts`: the blocks' starts, sorted (the writer keeps the array). */
  constructor(c: Code, l: RegionLocals, starts: readonly number[], m: TimerHost & TrapHost, entry: { readonly s0: number; readonly e0: number },
    calls: { readonly exitBase: number; readonly csrBase: number; readonly csrImport: number; readonly csrSites: CsrSite[] }) {
    // Fields assigned here, not declared with initializers: V8 defines each such field on every new
    // object while the constructor runs unoptimized.
    this.c = c;
    this.l = l;
    this.starts = starts;
    this.m = m;
    this.entry = entry;
    this.exitBase = calls.exitBase;
    this.csrBase = calls.csrBase;
    this.csrImport = calls.csrImport;
    this.csrSites = calls.csrSites;
    this.bases = BASES;
    this.plain = plain;
    // One closure for every writer, for the one writing now (functions are written one at a time): a
    // closure made per function cost V8's runtime a function and its feedback each (cold).
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the writer EXIT calls
    writing = this;
    this.exit = EXIT;
    this.j = 0;
    this.own = 0;
    this.dispatchDepth = 0;
    this.returnDepth = 0;
    this.exitIndex = 0;
    this.exitPc = 0;
    this.slowExits = false;
    this.backJumps = false;
  }

  /** The case number of the block that starts at `pc`, or -1 (a binary search: no map made per function). */
  caseAt(pc: number): number {
    const starts = this.starts;
    let low = 0;
    let high = starts.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const start = starts[middle];
      if (start === pc) return middle;
      if (start < pc) low = middle + 1; else high = middle - 1;
    }
    return -1;
  }

  /** Block j (`selfLoop`: it loops on itself) is next: its labels, and nothing known of its registers. */
  startBlock(j: number, selfLoop: boolean): void {
    this.j = j;
    this.own = selfLoop ? 1 : 0;
    this.dispatchDepth = this.starts.length - j + this.own;
    this.returnDepth = this.dispatchDepth + 1;
    this.exitIndex = 0;
    this.exitPc = 0;
    this.bases.forget();
  }

  /** Returns to the run loop, which is to continue at `pc`. */
  leave(pc: number, nesting: number): void {
    this.jumpOut(pc, this.returnDepth + nesting);
  }

  /** Continue at `target` after this block, from inside `nesting` extra blocks (`last`: at the block's end). */
  goTo(target: number, nesting: number, last: boolean): void {
    const c = this.c;
    const t = this.caseAt(target);
    const j = this.j;
    if (t < 0) { this.jumpOut(target, this.returnDepth + 1 + nesting); return; }
    if (t === j && this.own !== 0) { c.br(nesting); return; }
    if (t > j) {
      if (last && t === j + 1 && nesting === 0) return;
      c.br(t - j - 1 + this.own + nesting);
      return;
    }
    this.backJumps = true;
    this.jumpOut(target, this.dispatchDepth + nesting);
  }

  /** Sets the pc local to `pc` and branches out to `depth`: in one call where both fit a byte (always, but in huge regions). */
  private jumpOut(pc: number, depth: number): void {
    const l = this.l.pc;
    if ((l | depth) >>> 0 < 0x80) this.c.body.constSetBr(pc | 0, l, depth);
    else this.c.i32(pc | 0).set(l).br(depth);
  }

  addSteps(k: number): void {
    const s = this.l.s;
    this.c.registerImmediate(s, k, Op.I32Add, s);
  }

  /** Leaves before the instruction at exitIndex, with the slow flag set: the interpreter runs it. */
  slowExit(nesting: number): void {
    if (this.exitIndex !== 0) this.addSteps(this.exitIndex);
    this.slowExits = true;
    this.c.i32(1).set(this.l.slow);
    this.leave(this.exitPc, nesting);
  }

  /**
   * `if` on `op` of registers a and b (a branch's test), in one call where both are in locals below 128
   * (every warm case's): the same bytes as read, read, op, if.
   */
  compare(a: number, b: number, op: Op): void {
    const registers = this.l.registers, la = registers[a], lb = registers[b];
    if (a !== 0 && b !== 0 && la >= 0 && lb >= 0 && (la | lb) < 0x80) { this.c.body.getGetOpThen(la, lb, op, 0x04, 0x40); return; }
    this.read(a); this.read(b); this.c.op(op).if();
  }

  /** Pushes register `r` (x0 reads as 0). */
  read(r: number): void {
    const local = this.l.registers[r];
    if (r === 0) this.c.i32(0); else if (local < 0) this.c.i32(0).mem(Mem.I32Load, this.l.registerBase + 4 * r); else this.c.get(local);
  }

  /** Pops the value into register `r` (not x0). */
  write(r: number): void {
    const local = this.l.registers[r];
    if (local >= 0) { this.c.set(local); return; }
    this.c.set(this.l.scratch).i32(0).get(this.l.scratch).mem(Mem.I32Store, this.l.registerBase + 4 * r);
  }
}
