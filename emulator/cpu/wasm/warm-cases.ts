/**
 * Which warm blocks become WebAssembly on their own (wasm-warm.ts), and when: the cases of hot
 * switches. A state machine, an interpreter or a protocol parser dispatches through a jump table on
 * every turn, so the dispatch is hot and compiled in a region; but
 * each of its hundreds of cases runs only once in thousands of steps, too rarely to be hot, and the
 * chain returned to the run loop at every turn to interpret the case (bench/statemachine: 1.5M returns
 * of 27 steps each). Here each such case, and the blocks it goes on to within its function, becomes
 * one small wasm function in the chain (wasm-warm.ts), many compiled together in one module.
 *
 * Which blocks: those where a region's switch (a jump through a register that is no return) went to
 * code no region runs (the chain's `switchTargets`), once interpreting them has cost as much as
 * compiling them would (`paidFor`), and the blocks those lead to (`caseSuccessors`). Not warm code in general: measured on bench/bigcode (1800 small
 * functions, each block run ~500 times), Liftoff's code is ~40 bytes of machine code per guest
 * instruction (6 MB for 200 KB of guest code: every block's code is a cache miss when it runs), so it
 * ran only ~20% faster than the block interpreter once compiled, and a block's compile (~30 µs: the
 * JavaScript that writes the wasm, the module, Liftoff's lazy compile at the first call) repays after
 * ~2000 runs; compiling every block that ran 32 times made bigcode 10-25% slower, mathlib 10-20%
 * (CPU time). A case of a hot switch runs thousands of times, and each one saves a return to the run
 * loop. A region made later of hot blocks takes in the warm blocks it reaches (Region.warm).
 *
 * Nor the other places where the chain returns to the run loop, measured again (main-thread CPU, by
 * the same rule of `paidFor`): the return points of calls from warm code into regions (soft-float
 * glue such as picolibc's __kernel_sinf, 4,400 returns each) made mathlib ~7% and softfloat ~9%
 * slower, though the chain was left 13% less often; every pc where it returned: mathlib, statemachine
 * ~10% slower, softfloat ~14%, bigcode ~18%. Such blocks run a few thousand times each: too few for
 * their compile, and their Liftoff code with registers in memory is little faster than interpreting.
 */
import { Region, RegionBlock, RegionHost } from '../region';
import { WasmChain } from './wasm-chain';
import { compileWarmBlocks, warmCompilable } from './wasm-warm';
import { BRANCHES } from './wasm-instructions';

/**
 * When a case is compiled: once the time the block interpreter has spent on it reaches what its compile
 * costs (rent until the rent paid equals the price: a case that stops running soon after costs at most
 * twice the best choice, one that keeps running saves from then on). Measured on bench/statemachine
 * (main thread, cases of 4-10 instructions): the block interpreter runs warm code at ~8 ns a step; a
 * case's compile costs 15-25 µs (its share of the module and the instance, the JavaScript that writes
 * its function, ~1 µs an instruction of it, Liftoff's lazy compile at its first call), and V8 spends
 * background-thread time on top (the emitter's own optimization, tier-up of busy cases), which takes
 * the main thread's core on a busy machine: taken as 20 µs a case plus 1 µs an instruction, a case of
 * 8 instructions is compiled after ~440 runs. At a fixed 32 runs, the ~1400 cases compiled in
 * statemachine's first 5M steps had not repaid their compile by then (that span got ~40% slower).
 */
export const INTERPRET_NS_PER_STEP = 8;
export const COMPILE_NS_PER_CASE = 20_000;
export const COMPILE_NS_PER_INSTRUCTION = 1_000;

/** Whether the block interpreter has spent on `block` what compiling it would cost. */
export function paidFor(block: WarmBlock): boolean {
  const length = block.decoded?.length ?? 0;
  return block.runs * length * INTERPRET_NS_PER_STEP >= COMPILE_NS_PER_CASE + length * COMPILE_NS_PER_INSTRUCTION;
}

/** Cases compiled together in one module... */
export const WARM_BATCH = 128;
/**
 * ...or at least this many, once the first of them has waited WARM_WAIT steps: a module costs a
 * millisecond or two whatever its size (bench/mathlib, whose few switch cases went into a module of
 * four blocks each, ran 10% slower).
 */
export const WARM_BATCH_LEAST = 32;
export const WARM_WAIT = 1_000_000;

/** What the policy needs of a block (block.ts). */
export interface WarmBlock extends RegionBlock {
  readonly taken: number;
  readonly breakpoint: boolean;
  region: Region | null;
}

/**
 * Where a case goes on within its function: both ways of a branch, a jump's target, the return point
 * of a call, the next block after a block cut short; not into a callee, nor through a register.
 */
export function caseSuccessors(block: WarmBlock): number[] {
  const decoded = block.decoded;
  const last = decoded?.[decoded.length - 1];
  const name = last?.spec.name;
  if (last === undefined || name === undefined) return [];
  if (name in BRANCHES) return [block.taken, block.end];
  if (name === 'jal') return [last.rd === 0 ? block.taken : block.end];
  if (name === 'jalr') return last.rd === 0 ? [] : [block.end];
  return [block.end];
}

export class WarmCases {
  /** Blocks waiting to be compiled together, and the step at which the first of them came. */
  private pending: WarmBlock[] = [];
  private since = 0;
  /** Blocks that a compiled case leads to (`caseSuccessors`), by `start | 0`: compiled too once they are `paidFor`. */
  private readonly followers = new Set<number>();
  /** Blocks compiled so far. */
  compiled = 0;

  constructor(private readonly m: RegionHost, private readonly blockAt: (pc: number) => WarmBlock | undefined) {}

  /**
   * `block` is warm, not hot (CodeCache.compileHotBlock, every HOT_BLOCK_RUNS runs): compiled, with
   * others, if it is a case of a compiled switch or what one leads to.
   */
  consider(block: WarmBlock, chain: WasmChain): void {
    if (block.region !== null || block.breakpoint || !paidFor(block)) return;
    const start = block.start | 0;
    if (!chain.switchTargets.has(start) && !this.followers.has(start)) return;
    chain.switchTargets.delete(start);
    this.followers.delete(start);
    if (!warmCompilable(block)) return;
    const pending = this.pending;
    if (pending.length === 0) this.since = this.m.step;
    pending.push(block);
    if (pending.length < WARM_BATCH && (pending.length < WARM_BATCH_LEAST || this.m.step - this.since < WARM_WAIT)) return;
    this.pending = [];
    const blocks = pending.filter((b) => b.valid && b.region === null);
    if (blocks.length === 0) return;
    const regions = compileWarmBlocks(blocks, this.m, chain);
    blocks.forEach((b, j) => {
      b.region = regions[j] ?? null;
      for (const next of caseSuccessors(b)) if ((this.blockAt(next)?.region ?? null) === null) this.followers.add(next | 0);
    });
    this.compiled += blocks.length;
  }
}
