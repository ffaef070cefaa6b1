/**
 * A region: hot blocks of one 4 KiB page of guest code (up to MAX_REGION_INSTRUCTIONS; a page may have
 * several), and in WebAssembly the small regions of other pages they call or return to
 * (region-formation.ts regionsAcross), compiled together into one function, WebAssembly (wasm/wasm-region.ts) or JavaScript
 * (region-compiler.ts), so that a hot loop runs inside one function, with the guest's registers in
 * locals, and jumps between its blocks
 * cost a `switch` on the pc instead of a return to the run loop. The interpreter (closures, compile.ts) stays the reference: it runs cold code, the part of a
 * block where a run slice ends, and whatever the region compiler does not emit inline.
 *
 * Exactness: a region runs a block only if the whole block fits in the run slice (else it returns, and
 * the run loop steps the rest one instruction at a time); it never enters a block that starts at a code
 * breakpoint (the run loop stops there); and it never calls out: whatever could observe the machine or
 * end the run (device access, stores into pages with code or watchpoints or not yet copied since the
 * last snapshot, CSRs, traps) is left to the interpreter, before that instruction. The exceptions
 * observe no register, cannot trap where they run, and may only end the slice, after which the region
 * returns at once: CSR instructions on mstatus in machine mode (critical sections), and in wasm regions
 * every CSR instruction that cannot trap in machine mode, `ecall` and `mret` (wasm/wasm-csr.ts). So
 * nothing can see the registers it holds in locals, and a store never rewrites the code it is running.
 */
import { Decoded } from '../isa/decode';
import { Ram } from '../memory/ram';
import { CsrFile } from './csr-file';
import { Cause } from './traps';

/** A region covers the blocks that start in one page of this many address bits (4 KiB, RAM's page). */
export const REGION_SHIFT = 12;
/**
 * At most this many instructions per region, the most-run blocks first: V8's optimizing compiler takes
 * time superlinear in a function's size (0.1–0.7 s for 800 instructions, on a background thread that
 * competes with the run on 2 cores), and an unoptimized region runs slower than the interpreter.
 */
export const MAX_REGION_INSTRUCTIONS = 128;
/**
 * ...but a region cut out of hot code too big for one (the connected part of the page's hot code around
 * the block that asks: region-formation.ts regionBlocks) takes up to this many of its nearest blocks:
 * what was left out of it got hot tens to hundreds of steps later and became a second region beside it
 * (bench/softfloat's pages 0, 1 and 2), and the code they split went from one to the other through the
 * chain. No other hot code of the page fills it beyond MAX_REGION_INSTRUCTIONS: filled to 192 too, core
 * ran 3% slower (a region of 56 blocks instead of 40), and session 18 found mathlib +2%, qrcode +1.4%.
 * Fresh `rewind run`, cachegrind --single-threaded, before -> after (one or two runs): softfloat 1,810 and
 * 1,812 -> 1,709 and 1,699M, tree 1,619 -> 1,583M, core 2,195 and 2,201 -> 2,183 and 2,179M, mathlib
 * 2,291 and 2,310 -> 2,299 and 2,297M, kernel 2,661 -> 2,654M, cipher 1,039 -> 1,032M; the other bench
 * programs form the same regions as before. At 160: softfloat 1,756M. Left out: only the left-out blocks
 * about to be hot themselves (half of HOT_REGION_RUNS) added up to 192: softfloat 1,836M, mathlib 2,321M.
 * Nor a region asked within 2,048 steps of its page's last one grown into that one up to 320: softfloat
 * +5.6% (bench/LOG.md, session 20).
 */
export const MAX_CUT_REGION_INSTRUCTIONS = 192;
/** A region is compiled again with newly hot blocks of its page that lead into it at most this many times. */
export const MAX_REGION_GROWTHS = 2;
/**
 * A page recompiled this many times (code that keeps being rewritten, or keeps growing new hot paths)
 * keeps its blocks compiled one by one: compiling it again would cost more than it saves.
 */
export const MAX_REGION_COMPILES = 32;

/**
 * When and how big regions are made: each compiler has its own (the wasm one: wasm/wasm-region.ts).
 * The code cache groups blocks by `shift` address bits (a page, or several) and compiles the hot ones of
 * a group together.
 */
export interface RegionPolicy {
  readonly shift: number;
  readonly maxInstructions: number;
  /** The cap of a region cut out of hot code larger than maxInstructions (MAX_CUT_REGION_INSTRUCTIONS). */
  readonly maxCutInstructions: number;
  readonly maxGrowths: number;
  readonly maxCompiles: number;
  /** Runs (of a compiled block) after which its group's region is compiled; see block.ts. */
  readonly hotRuns: number;
  /** ...only if the block got there within this many steps (block.ts HOT_REGION_WINDOW). */
  readonly window: number;
}

export interface Region {
  /**
   * Runs from `pc` (the start of one of the region's blocks, which must fit in the slice) until control
   * leaves the region, the next block does not fit in the slice, or an instruction is left to the
   * interpreter; returns the pc to continue at, with the machine's step and registers up to date. Both
   * pcs are signed 32-bit values (`pc | 0`): V8 passes and returns those as small integers, where an
   * address above 2^31 became a heap number at each call and each return (bench/bigcode: 28 MB of
   * garbage a run, at 879,000 entries into the chain of regions).
   */
  readonly run: (pc: number) => number;
  /**
   * Steps the slice must still hold for the run loop to enter it (at least any of its blocks' length):
   * a wasm region checks for the longest path on from where it is entered (wasm/slice-room.ts).
   */
  readonly room: number;
  /** The blocks it contains, so that invalidating one drops the region from all of them. */
  readonly blocks: RegionBlock[];
  /** Called when its blocks leave it (dropped, or compiled into a bigger region): nothing may enter it again. */
  readonly detach?: () => void;
  /**
   * Warm code compiled outside regions of hot code (a case of a hot switch: wasm/warm-cases.ts): its
   * blocks stay candidates for a region of hot code; when one leaves for such a region, this region
   * goes, and its other blocks go back to the interpreter.
   */
  readonly warm?: boolean;
  /** Its `run` is its machine's chain's entry (WasmChain.run, which the run loop calls itself): a wasm region. */
  readonly chained?: boolean;
}

/** What the region compiler needs from a block. */
export interface RegionBlock {
  readonly start: number;
  readonly end: number;
  readonly pcs: number[];
  readonly decoded: Array<Decoded | undefined> | null;
  /** False once a store has changed one of its instructions. */
  readonly valid: boolean;
  /** Whole runs, reset when the block's region is dropped, so that it heats up again. */
  runs: number;
  region: Region | null;
}

/** The machine as compiled regions see it. */
export interface RegionHost {
  readonly x: Int32Array;
  readonly ram: Ram;
  /** Loads check `ram.readWatchedPages` (the code is recompiled when this changes). */
  readonly watchingReads: boolean;
  /** Steps taken; a region reads it on entry and sets it when it returns. */
  step: number;
  /** Traps and interrupts taken (steps that retired no instruction): regions take ecalls themselves. */
  unretired: number;
  /** The LR/SC reservation's address, or -1 (trap-entry.ts: a trap drops it). */
  reservation: number;
  /** The run slice ends at this step. */
  readonly sliceEnd: number;
  /** CSR instructions on mstatus (and, in wasm regions, others) run in regions, through the CSR file. */
  readonly csr: CsrFile;
  readonly privilege: number;
  accessPc: number;
  /** After a CSR write: may lower `sliceEnd` (an interrupt due sooner), never raises it. */
  recheckInterrupts(): void;
  /** `ecall` and `mret` in wasm regions (wasm/wasm-csr.ts): each returns the pc to go on at. */
  trap(cause: Cause, tval: number, pc: number): number;
  mret(pc: number): number;
  /** `wfi` in wasm regions (wasm/wasm-csr.ts): the guest idles; may lower `sliceEnd` as recheckInterrupts does. */
  waitForInterrupt(pc: number): void;
  /**
   * Set when a region returns: true if it stopped before an instruction it leaves to the interpreter,
   * which must then run at least that instruction before any region is entered again.
   */
  slowExit: boolean;
}
