/**
 * Which warm code becomes WebAssembly outside regions of hot code, and when: the cases of hot
 * switches. A state machine, an interpreter or a protocol parser dispatches through a jump table on
 * every turn, so the dispatch is hot and compiled in a region; but each of its hundreds of cases runs
 * only once in thousands of steps, too rarely to be hot, and the chain returned to the run loop at every
 * turn to interpret the case (bench/statemachine: 1.5M returns of 27 steps each). Here each such case,
 * with the blocks it goes on to within its function (`caseSuccessor`, built at once for a new case, up to
 * MAX_CASE_INSTRUCTIONS), becomes a region of its own in the chain (wasm-region.ts compileWasmRegions:
 * registers in locals, many cases in one module), so that the switch tail-calls the case, and the case
 * its next case or the code after the switch, without a return to JavaScript.
 *
 * Which blocks: those where a region's switch (a jump through a register that is no return) went to
 * code no region runs (WasmChain.switched), at once (`sighted`), and the blocks a compiled case leads
 * to but does not hold, once they have run CASE_RUNS times. A case used to be one block, compiled once interpreting
 * it had cost what its compile was estimated at (~440 runs for 8 instructions), its successors later
 * the same way: a turn of the state machine left wasm at every block boundary the compiles had not
 * reached yet. A case's function takes its whole path, and is compiled after 64 runs: bench/statemachine
 * main-thread CPU 268-286 -> 134-143 ms (best of 5, 3 interleaved pairs), the first 30M steps ~175 ->
 * ~100 ms, its whole process (rewind run, CPU) 0.546 -> 0.518 s; at 128, 192, 256 and 440 runs the whole
 * run took 181, 188, 198 and 250 ms, and the first 5M steps were no faster than at 64 (57-63 ms, 48-62
 * before: each compile there costs ~60-100 µs of a cold emitter, not yet repaid). Other programs
 * unchanged (mathlib, softfloat, bigcode, jpeg, core, tree, qrcode, kernel, rtos, cipher). Since the
 * emitter got cheaper and its cases ~20% smaller, after 16 runs (main-thread CPU, first run in a process
 * after cipher and jpeg, medians of 5 interleaved processes): first run 175 -> 163 ms, the first 5M
 * steps 118 -> 148 MIPS, 30M 383 -> 439; 600 cases compiled instead of 592; other bench programs
 * queue a few cases, see WARM_BATCH_LEAST (bigcode, whose warm blocks are now asked 3 times more each,
 * 470 -> 478 ms first run, 485 -> 465 second, within the noise). Session 15: a case is queued the first
 * time the switch goes to it, with its successors built at once: bench/statemachine compiles 512 of its 599
 * cases within its first 100K steps (before: none by 200K, half by 1M), interprets 6.5K blocks in all instead of 35K and leaves the chain 2K
 * times instead of 15K; main-thread CPU of a fresh process's first run 231-274 -> 217-224 ms (the steps
 * from 1M to 5M 25-32 -> 12-18 ms), `rewind run`'s whole process 2,528M -> 2,461M instructions.
 * Compiling a case at its second sight instead was no better (run0 222-238 ms). Measured and left out
 * with it: sightings kept in the chain's Set and taken up where the target's block is built (no call
 * from WasmChain.run, which V8 inlines, its optimizing compile then 11-127 ms of wall time at load 7-9
 * against 1.5): cases whose block was built before the switch went there waited for CASE_RUNS again,
 * the whole process 2,481-2,484M instructions against 2,463M; WARM_BATCH 64 or 256 (main thread to 1M
 * steps 1,049M / 1,064M instructions against 1,044M); warm modules compiled eagerly
 * (--no-wasm-lazy-compilation around their Module: first run 219-232 against 229-237 ms, 4 pairs); a
 * WARM_WAIT of 200K for the last ~90 cases (no difference); a lower --interrupt-budget (16K, 4K) while
 * cases compile, so that V8 optimizes the emitter sooner (main thread to 100K steps 997 -> 980-985M: its
 * optimized code comes after most batches).
 * Where statemachine's main thread goes now (`rewind run`, callgrind, main thread alone; rvtest's whole
 * run 599M, 416M of it Node's CA certificates): to 100K steps 913M, to 1M 966M, the whole run 1,846M.
 * The first 100K steps (~315M) compile 512 cases and build ~1,600 blocks in cold JavaScript: V8's IC
 * builtins ~125M, the emitter ~100-175M (in a fresh process writeBlock and emitWasmInstruction never
 * reach TurboFan: their ticks grow with their size), building blocks ~50M, Liftoff's lazy compiles ~30M,
 * scavenges ~15M. The steady 61.7M steps take ~880M (14 a step): per turn of the machine (42 steps) four
 * tail calls between regions (bench_run's loop in one page, the switch in another, the case, the
 * switch's shared `sw; sw; ret`, the loop); ~30% of the hot regions' samples (perf, jitdump) are at the
 * chain's region-map load and return_call_indirect to the case (a mispredicted target, as QEMU's
 * lookup_tb_ptr). Regions of 64 KiB groups (REGION_SHIFT 16: the loop and the switch in one region,
 * two tail calls a turn) ran the steady state ~10% faster (98 against 107-114 ms). Session 16: the loop's
 * region takes in the switch's (region-formation.ts regionsAcross), two tail calls a turn.
 *
 * Not warm code in general, measured again with function-sized units (a warm block and its function's
 * blocks, compiled after 64 runs, 64 units a module, registers in locals or in memory): bench/bigcode's
 * main thread got 10-25% faster in-process, but its whole process ~45% slower in CPU (1.06-1.19 s vs
 * 0.71-0.75): the JavaScript that writes ~1.1 KB of wasm per unit (2.1 MB for bigcode) runs cold in a
 * new process, Liftoff's code runs at ~3-6 ns a step (its locals live in stack slots, spilled at every
 * merge), and units of 128 instructions reached V8's tier-up budget within their ~500 calls (200-800
 * TurboFan compiles, ~1 s of background CPU). Earlier, with one block per function and registers in
 * memory: Liftoff's code ~40 bytes of machine code per guest instruction, ~20% faster than the block
 * interpreter once compiled, a block's compile ~30 µs (~2000 runs to repay); every block compiled after
 * 32 runs made bigcode 10-25% slower, mathlib 10-20% (CPU time).
 *
 * Nor the other places where the chain returns to the run loop, measured with one block per function
 * (main-thread CPU, compiled once they had cost their estimated compile): the return points of calls from
 * warm code into regions (soft-float glue such as picolibc's __kernel_sinf, 4,400 returns each) made
 * mathlib ~7% and softfloat ~9% slower, though the chain was left 13% less often; every pc where it
 * returned: mathlib, statemachine ~10% slower, softfloat ~14%, bigcode ~18%.
 * Again with today's cases (session 20, bench/LOG.md): every such pc sighted as a switch's target,
 * fresh mathlib +5% (cachegrind) and bigcode's first run +50% (main thread); only calls' return points,
 * as followers once proven warm, mathlib's entries 190K -> 107K but its fresh run +5%.
 *
 * Nor regions of detours, measured again: bench/mathlib interprets 2.2M of its 56M steps (1.9M in warm
 * blocks: __divdf3 whole, called every ~11,000 steps; __kernel_sinf's return points; __subsf3's rarer
 * paths) and returns from the chain 192K times. Blocks run within 32 blocks of a return from the chain
 * that is no switch's (the run loop marking them once a region followed) were hot at 16 runs within
 * 262,144 steps after 16 such checks in a row, and went into regions after 256 runs within 4M steps.
 * Main-thread CPU fell (in-process, best of 3, median of 4 interleaved processes against main):
 * softfloat 0.83, mathlib 0.93, jpeg 0.91, kernel 0.95, statemachine and bigcode unchanged (their
 * regions too; without the 16 checks, bigcode's bursts of warm code got 86 more regions and ran 10%
 * slower). But the whole process got dearer, with V8's background compiles of the new regions (mathlib
 * 26 -> 34, softfloat 18 -> 23): rewind run's CPU, medians of 9 A/B pairs, mathlib 1.21, softfloat 1.05,
 * and cipher (same regions) 1.05-1.07.
 *
 * Nor compiled on a worker thread, measured (the code: branch offthread-worker-experiment): a long-lived
 * worker (worker_threads, started with the first batch) got each batch as one Int32Array of addresses and
 * encodings, decoded it, emitted the module and made the WebAssembly.Module, which it posted back; the
 * main thread took it with receiveMessageOnPort once a counter in shared memory moved (checked here at
 * every warm block's check) and installed the units whose blocks were still valid and in no region.
 * Exact, but dearer: bench/statemachine in a fresh process (main-thread CPU from schedstat, process
 * CPU; medians of 6 interleaved runs, machine at load 6-8): compiled here 214 / 484 ms, on the worker
 * 236 / 645 ms, and even with each batch waited for (the earliest arrival) 211 / 605 ms. The main
 * thread saves only its emitter's ~17-30 ms of CPU (not the ~53 ms once estimated), and while a batch is
 * away the cases are interpreted. The worker costs ~30 ms of CPU to start (40-48 ms with the emitter's
 * modules loaded), and its isolate shares no compiled JavaScript with the main thread's: its emitter
 * runs cold (the first batch of 128 cases 28-58 ms, the eight batches ~125 ms, against ~30 ms here)
 * and V8 optimizes it a second time. Every warm block's unit (as a case's, up to 48 instructions, after
 * 64 runs) on bench/bigcode: main thread 495-505 ms with none, 540-630 with them on the worker or here,
 * process CPU ~590 -> ~970 (here) and ~1200 ms (worker): a warm function called from interpreted code
 * enters the chain from JavaScript at each call (WasmChain.run's own time: 279 of 1646 ms of samples).
 *
 * Nor several cases in one function (4, 8, 16 or 32 a function, found by a binary search over their
 * blocks): one prologue and epilogue for many cases made statemachine's wasm 289 -> 217 KB (16), but its
 * first run in a process was no faster within the noise (main thread 176 -> 168-175 ms, medians of 5)
 * and its process CPU rose (378 -> 403-423 ms: larger functions reach V8's tier-up budget sooner). Nor
 * a copy, in each case, of the short block of hot code it goes on to (the switch function's `sw; sw;
 * ret`), so as not to chain into that region and out again: the cases grew 291 -> 423 KB, the first run
 * got slower (main thread 173 -> 202 ms, process CPU 405 -> 540) and the later runs no faster (124 ms).
 *
 * Nor every warm block as a wasm function of its own (session 11, branch warmblocks-experiment: after 32
 * runs, registers in memory, 256 a module, chained by tail calls through the region map): bench/bigcode
 * ran 40.8M of its 43.9M steps in the chain, entering it 112K times, yet slower: 6,748 blocks, 3.3 MB of
 * wasm (36.6 bytes a guest instruction, Liftoff's machine code several times that), main thread 540-870
 * ms against 480-560, process CPU 650-1270 against 550-810; --liftoff-only with the modules cached (a
 * third run) 540 against 480. Code visited every ~50,000 steps runs from a cold instruction cache: in a
 * synthetic test, Liftoff's code of 15-instruction functions called in a random order from a wasm loop
 * ran 1.2-1.9 ns a step within 125 KB of wasm and 9.6-12.4 within 3 MB; Liftoff compiled ~47 MB/s of
 * wasm (~350 ns a guest instruction of 16 bytes). The block interpreter's 4 bytes an instruction win.
 * Session 12 (micro-benchmark on branch warmblocks-lean-experiment, experiments/warm-encodings.js: 7,000
 * synthetic blocks of bigcode's mix, 4-block functions called at random, 94K instructions; CPU time at
 * load ~12): per guest instruction, Liftoff's machine code is 22 bytes with registers in memory and a
 * function per block returning the next block to a wasm loop (TurboFan 19.5), 32 with registers in
 * locals loaded and stored once per block (TurboFan 16.5), 23-26 with 16 blocks a function behind a
 * br_table; and per step 2.8-3.5 ns (memory, Liftoff), 4.7-5.3 (locals), 5.0-5.5 (br_table), against
 * 11.7-12 for a model of this interpreter's switch on the same blocks. What made the real warm blocks
 * slow is their ~570 bytes of per-block code (of 955 for a 21-instruction block, --print-wasm-code):
 * the inline region-map lookup and return_call_indirect, Liftoff's tier-up check at each exit, the
 * slice check. Returning the next pc to a loop in the chain's dispatcher instead: 625 bytes a block,
 * yet bigcode still slower than main (4 runs in a process, main thread: 1160/970/790/600 ms against
 * 610/560/540/510): the dispatcher's loop (its TurboFan code, a cross-instance call_indirect a block)
 * took ~1/3 of the wasm samples, and V8 tiered hundreds of warm blocks up at its default budget. Left
 * for a next try: the loop's cost, registers at small offsets (the register file's address is a
 * 5-byte constant and a disp32 per access), loads and stores' checks out of line.
 * Session 13 (branch warmtier-experiment): no dispatcher at all, each warm block (past 32 runs) a
 * function of its module (512 a module, registers in memory, in the chain's map), going on to a
 * successor in the same module by a direct `return_call`, to anything else through one shared exit
 * (map lookup, return_call_indirect); exact. bigcode ran 40.6M of 43.9M steps in wasm (117K entries),
 * and under cachegrind a steady run took 2.09G instructions instead of 3.58G, but I1 misses went 3.2M
 * -> 30.4M and D1 11.5M -> 19.6M: Liftoff's code was 59 bytes a guest instruction (4 MB for 69K;
 * wasm 31 B), an ALU instruction three 7-byte disp32 accesses plus the op, and ~260 bytes a block of
 * prologue, stack check, room check, and at each tail call a tier-up check (a budget counter per
 * function), spills and Liftoff's frame shuffle. Main thread, 3 runs in a process,
 * 1026/806/814 ms against 522/462/579, process CPU 3.8 s against 2.1 (emit ~105 ms, compile 150-330
 * on the main thread); blocks past 256 runs only: 854/683/721 against 560/517/495. Whatever is
 * compiled, warm code's footprint is what a warm tier must beat: the interpreter's ~4 bytes an
 * instruction against Liftoff's ~60 (QEMU's TCG output fits because its code is register-allocated
 * within a block and addresses its state with disp8).
 *
 * Cases stay in Liftoff's code, with no tier-up check (warm-tiering.ts; until session 25, 24 of
 * statemachine's ~590 were optimized, 252 before that). A larger budget for every module instead
 * (--wasm-tiering-budget=7200000) made mathlib and softfloat 5-15% slower.
 *
 * And there the JavaScript that writes them is kept from V8's optimizing compiler too (v8-hold.ts, held
 * around each batch): optimized, it writes a case in ~15-20 µs instead of ~75-100, but TurboFan's work on
 * it (regionFunction, writeBlock, emitWasmInstruction, sliceRoom, RegionWriter's and Code's methods) runs
 * on a 2-core machine beside the run's own main thread and is not repaid by one program's cases.
 * bench/statemachine (599 cases), `rewind run` under cachegrind with V8 single-threaded (every compile
 * counted): 2,277M -> 2,197M instructions. Measured and left out: the same hold in a process that runs
 * programs again and again (the bench, the debug adapter). A process that ran mathlib and qrcode, then
 * statemachine (single-threaded cachegrind, each run's part the difference with the process stopped
 * before it): its first run 2,015M -> 1,655M (the emitter's compiles there ~450M), but each later run
 * (its first 5M steps) 400M -> 467M, the emitter cold; held for a process's first 1,024 cases only, the
 * compile came in the second run instead (its main thread 45 -> 60 ms, the third's 76 -> 85; medians of
 * 5 interleaved processes at load ~11). A lead: do that compile between runs, off both.
 */
import { Region, RegionBlock, RegionHost } from '../region';
import type { Block } from '../block';
import { isStraightLine } from '../region-instructions';
import { TrapHost } from '../trap-entry';
import { WasmChain } from './wasm-chain';
import { compileWasmRegions } from './wasm-region';
import { runsOnce } from './warm-tiering';
import { TimerHost } from './wasm-timer';
import { BRANCHES } from './wasm-instructions';
import { holdOptimizing, releaseOptimizing } from '../../v8-hold';

/** At most this many instructions in a case's function (V8 charges its tier-up budget by its size). */
export const MAX_CASE_INSTRUCTIONS = 48;
/**
 * A block a compiled case leads to is compiled once it has run this many times (a power of two, asked
 * every HOT_BLOCK_RUNS runs up to CASE_ASKED_RUNS, every CASE_ASKED_RUNS runs after).
 */
export const CASE_RUNS = 16;
export const CASE_ASKED_RUNS = 64;

/** Cases compiled together in one module... */
export const WARM_BATCH = 128;
/**
 * ...or at least this many, once the first of them has waited WARM_WAIT steps: a module costs a
 * millisecond or two whatever its size (bench/mathlib, whose few switch cases went into a module of
 * four blocks each, ran 10% slower). At 32, a program's last few cases stayed pending for the whole run
 * (statemachine's, and mathlib's, tree's, core's and compressed's, which queue cases that never filled a
 * batch). At 16, instructions of a whole in-process run under cachegrind (--single-threaded, so V8's
 * compiles count too; session 12): statemachine 3.01G -> 2.887G (-4%), tree -0.5%, core -0.1%, mathlib
 * +0.6%; but a process running cipher, jpeg, then statemachine only 4.606G -> 4.576G (-0.6%), and
 * main-thread CPU at load 7-16 no better in 7 pairs: left at 32, a lead to measure on a quiet machine.
 * Session 13, the whole `rewind run` process under cachegrind (every thread, 3 interleaved pairs):
 * statemachine 2.539-2.555G instructions at 32, 2.521-2.550G at 16 (-0.4%, within the spread): left at 32.
 * Compiling whatever is pending after 4M (or 16M) steps instead: mathlib +2.2% (+2.5%).
 */
export const WARM_BATCH_LEAST = 32;
export const WARM_WAIT = 1_000_000;

/** What the policy needs of a block (block.ts). */
export interface WarmBlock extends RegionBlock, Pick<Block, 'startOffset' | 'endOffset' | 'takenOffset'> {
  readonly taken: number;
  readonly breakpoint: boolean;
  /** Hot blocks stay out of cases: a region of hot code takes them (CodeCache.compileRegionAround). */
  readonly hot: boolean;
  region: Region | null;
}

/**
 * Where a case goes on within its function: both ways of a branch, a jump's target, the return point
 * of a call, the next block after a block cut short; not into a callee, nor through a register. The
 * k-th such pc (k = 0 or 1) as an offset into RAM, or -1 (none, outside RAM): no array a call, for code
 * that runs cold (`caseFrom`), nor a heap number (as a block's `end` and `taken` are: bench/LOG.md, session 29).
 */
export function caseSuccessor(block: WarmBlock, k: number): number {
  const decoded = block.decoded;
  const last = decoded?.[decoded.length - 1];
  const name = last?.spec.name;
  if (last === undefined || name === undefined) return -1;
  if (name in BRANCHES) return k === 0 ? block.takenOffset : k === 1 ? block.endOffset : -1;
  if (k !== 0) return -1;
  if (name === 'jal') return last.rd === 0 ? block.takenOffset : block.endOffset;
  if (name === 'jalr') return last.rd === 0 ? -1 : block.endOffset;
  return block.endOffset;
}

/**
 * How a case's block may end: one lookup for every kind (a comparison with 'jal' after the branches'
 * lookup, which V8 had seen fail only on blocks that end in a branch, threw warmCompilable away).
 */
const CASE_ENDINGS: Readonly<Record<string, unknown>> = { ...BRANCHES, jal: 0, jalr: 0 };

/** Whether a block can be in a case: every instruction straight-line but a branch or jump at its end. */
export function warmCompilable(block: RegionBlock): boolean {
  const decoded = block.decoded;
  if (decoded === null || decoded.length === 0) return false;
  for (let i = 0; i < decoded.length; i++) {
    const name = decoded[i]?.spec.name;
    if (name === undefined) return false;
    if (isStraightLine(name)) continue;
    if (i !== decoded.length - 1 || !(name in CASE_ENDINGS)) return false;
  }
  return true;
}

/**
 * Where cases' blocks are found (CodeCache): methods, not closures made for each machine, whose calls
 * V8 had seen go to one machine's closure and threw compilePending away at the next machine's first batch
 * ('wrong call target': bench/statemachine's warm-up runs, ~60 ms of TurboFan compiling it again).
 */
export interface CaseBlocks {
  /** The valid block built at this offset into RAM, if any (none outside RAM). */
  cachedBlockAt(offset: number): WarmBlock | undefined;
  /** The block that starts at this offset into RAM, built if it was not; undefined outside RAM. */
  codeBlockAt(offset: number): WarmBlock | undefined;
}

export class WarmCases {
  /** Cases waiting to be compiled together, and the step at which the first of them came. */
  private pending: WarmBlock[][] = [];
  private since = 0;
  /** The blocks of pending cases, which no other case takes. */
  private readonly queued = new Set<WarmBlock>();
  /** Blocks that a compiled case leads to (`caseSuccessor`) and does not hold, by offset into RAM: cases of their own. */
  private readonly followers = new Set<number>();
  /** Blocks compiled so far. */
  compiled = 0;

  constructor(private readonly m: RegionHost & TimerHost & TrapHost, private readonly blocks: CaseBlocks) {}

  /**
   * A region's switch went to `pc` (signed), where no compiled code runs (WasmChain.switched): the case
   * there, with the blocks it goes on to within its function (built now if they were not), is queued at
   * once, for the next batch. A case used to wait for CASE_RUNS runs of its own (each a return from the
   * chain and a turn of the run loop), its successors as far as those runs had built them: see the top
   * of this file for what that saved.
   */
  sighted(pc: number, chain: WasmChain): void {
    const block = this.blocks.codeBlockAt((pc - this.m.ram.base) >>> 0);
    if (block === undefined) return;
    // A queued case still returning to the run loop only asks whether its batch is due (it is once its
    // first case waited WARM_WAIT), by the same path as a new case: loads of a path of its own, which V8
    // had seen run in no program before bench/statemachine in the bench's order, threw this away there
    // (one deopt is left: the first batch's compilePending call, which no earlier program makes).
    if (!this.queued.has(block)) {
      if (block.region !== null || block.breakpoint || block.hot || !warmCompilable(block)) return;
      this.queue(this.caseFrom(block, true));
    }
    this.compileWhenDue(chain);
  }

  /**
   * `block` is warm, not hot (CodeCache.compileHotBlock, every HOT_BLOCK_RUNS runs): compiled, with
   * others, if a compiled case leads to it.
   */
  consider(block: WarmBlock, chain: WasmChain | null): void {
    // Asked at every CASE_ASKED_RUNS runs once past them: the lookups below at every HOT_BLOCK_RUNS runs
    // of every warm block took ~2% of bench/bigcode's main thread, whose ~7000 warm blocks are no cases.
    // Asked without a chain too (the run loop's warm-up has none), so that V8 optimizes the run loop with
    // this call.
    const runs = block.runs;
    if (chain === null || block.region !== null || block.breakpoint || runs < CASE_RUNS || (runs >= CASE_ASKED_RUNS && (runs & (CASE_ASKED_RUNS - 1)) !== 0)) return;
    const start = block.startOffset;
    if (!this.followers.has(start)) return;
    this.followers.delete(start);
    if (this.queued.has(block) || !warmCompilable(block)) return;
    this.queue(this.caseFrom(block, false));
    this.compileWhenDue(chain);
  }

  /**
   * Whether `consider` might take a block that starts at `start` (an offset into RAM) with no region and no
   * breakpoint after `runs` runs (CodeCache.askPlain asks this first, without the block's object).
   */
  wants(start: number, runs: number, chain: WasmChain | null): boolean {
    if (chain === null || runs < CASE_RUNS || (runs >= CASE_ASKED_RUNS && (runs & (CASE_ASKED_RUNS - 1)) !== 0)) return false;
    return this.followers.has(start);
  }

  /** Queues a case for the next batch. */
  private queue(unit: WarmBlock[]): void {
    for (let i = 0; i < unit.length; i++) this.queued.add(unit[i]);
    if (this.pending.length === 0) this.since = this.m.step;
    this.pending.push(unit);
  }

  /** Compiles the batch when it is full, or big enough once its first case waited WARM_WAIT steps. */
  private compileWhenDue(chain: WasmChain): void {
    const waiting = this.pending.length, waited = this.m.step - this.since;
    if (waiting >= WARM_BATCH || (waiting >= WARM_BATCH_LEAST && waited >= WARM_WAIT)) this.compilePending(chain);
  }

  /**
   * Compiles the pending cases into one module. Apart from `consider`, which runs for every warm block
   * every HOT_BLOCK_RUNS runs: the closures here made V8 allocate a context at each of its calls, in
   * its baseline code (bench/mathlib, no case at all: 25K calls, ~4 ms of its main thread in the
   * allocator's slow path, perf samples). Indexed loops, no iterators: this runs cold, where each step
   * of a for-of made a result object.
   */
  private compilePending(chain: WasmChain): void {
    const pending = this.pending;
    this.pending = [];
    this.queued.clear();
    const units: WarmBlock[][] = [];
    for (let j = 0; j < pending.length; j++) {
      const unit: WarmBlock[] = [];
      for (let i = 0; i < pending[j].length; i++) if (pending[j][i].valid && pending[j][i].region === null) unit.push(pending[j][i]);
      if (unit.length > 0) units.push(unit);
    }
    if (units.length === 0) return;
    // Written without V8's optimizing compiler in a process that runs one program once (see the top of this file).
    const held = runsOnce() && holdOptimizing();
    let regions: Array<Region | undefined>;
    try {
      regions = compileWasmRegions(units, this.m, chain);
    } finally {
      if (held) releaseOptimizing();
    }
    for (let j = 0; j < units.length; j++) {
      const region = regions[j];
      if (region === undefined) continue;
      const unit = units[j];
      for (let i = 0; i < unit.length; i++) unit[i].region = region;
      this.compiled += unit.length;
      for (let i = 0; i < unit.length; i++) {
        for (let k = 0; k < 2; k++) {
          const next = caseSuccessor(unit[i], k);
          if (next !== -1 && (this.blocks.cachedBlockAt(next)?.region ?? null) === null) this.followers.add(next);
        }
      }
    }
  }

  /** `first` and the blocks it goes on to within its function, nearest first: those built, or (`build`) built now if not. */
  private caseFrom(first: WarmBlock, build: boolean): WarmBlock[] {
    const unit = [first];
    // The offsets looked at: a few (a case has up to MAX_CASE_INSTRUCTIONS), an array, not a Set.
    const seen = [first.startOffset];
    let instructions = first.decoded!.length;
    for (let i = 0; i < unit.length; i++) {
      for (let k = 0; k < 2; k++) {
        const offset = caseSuccessor(unit[i], k);
        if (offset === -1 || seen.includes(offset)) continue;
        seen.push(offset);
        const next = build ? this.blocks.codeBlockAt(offset) : this.blocks.cachedBlockAt(offset);
        if (next === undefined || next.region !== null || next.breakpoint || next.hot || this.queued.has(next) || !warmCompilable(next)) continue;
        if (instructions + next.decoded!.length > MAX_CASE_INSTRUCTIONS) continue;
        instructions += next.decoded!.length;
        unit.push(next);
      }
    }
    return unit;
  }
}
