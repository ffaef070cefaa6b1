/**
 * The code cache and its tiers: which code runs for a guest address. Every instruction is decoded once
 * into a word for the block interpreter (block-interpreter.ts, which runs blocks until they are
 * compiled, and warm code for good) and, the first time one is needed, a closure (compile.ts, the
 * reference semantics); they are grouped in basic blocks (block.ts), cached per RAM page by start address. A block that ran
 * HOT_BLOCK_RUNS times within HOT_BLOCK_WINDOW steps is hot; one that then ran HOT_REGION_RUNS times goes
 * into a region (region.ts) with other hot blocks of its page: one small function, registers in locals,
 * in WebAssembly (wasm/, the default) or JavaScript (region-compiler.ts, the machine option `compiler:
 * 'js'`); one no region takes, a JavaScript function (block-compiler.ts). Warm blocks that are the
 * cases of a compiled `switch` become a small wasm region each (wasm/warm-cases.ts).
 *
 * Invalidation is per page or finer: a store into a page that holds decoded code drops the blocks (and
 * regions) that contain the written words, so self-modifying code works without fence.i; a change of
 * code breakpoints drops only the pages the added or removed addresses are in (blocks end before a
 * breakpoint, so the run loop's check between blocks sees every one).
 */
import { decodeShared, NOT_ENCODED, SharedDecoded } from './shared-decode';
import { encodeInstruction, Kind, Mask } from './block-encoding';
import { ExecContext, fetchFault, illegalEncoding, Op } from './compile';
import { Block, BuiltRecord, codeUnchanged, dropBlock, endsBlock, newBlock, HOT_BLOCK_RUNS, HOT_BLOCK_WINDOW, MAX_BLOCK_LENGTH, WARM_ASKED_RUNS } from './block';
import { compileBlock } from './block-compiler';
import { allOps, opAt, ramOffset, runBlock } from './block-interpreter';
import { BlockStore, Field, sinceStep } from './block-store';
import { Region, RegionHost, RegionPolicy } from './region';
import { compileRegion } from './region-compiler';
import { MAX_ACROSS_INSTRUCTIONS, regionBlocks, regionCandidates, regionOfSuccessor, regionsAcross } from './region-formation';
import { TrapHost } from './trap-entry';
import { BLOCK_RECORDS_FIRST, PAGE_SHIFT } from '../memory/ram';
import { emptyPage, reachPage } from './page-tables';
import { compileWasmRegion } from './wasm/wasm-region';
import { WasmChain } from './wasm/wasm-chain';
import { WarmCases } from './wasm/warm-cases';
import type { MachineOptions, RegionCompiler } from '../machine-config';
import { REGION_POLICY } from './region-policy';

const SCRATCH = new Array<SharedDecoded | undefined>(MAX_BLOCK_LENGTH).fill(undefined);
const SCRATCH_BUILT: BuiltRecord = { words: new Int32Array(MAX_BLOCK_LENGTH), pcs: new Int32Array(MAX_BLOCK_LENGTH) };

/** A program that takes a trap at least once per this many steps on average runs a busy kernel (runsPerTrap). */
const TRAP_STEPS = 4096;

/** The machine as the code cache sees it; `unretired` counts the traps and interrupts taken. */
export type CodeHost = ExecContext & RegionHost & TrapHost & { readonly unretired: number; readonly options: MachineOptions };

export class CodeCache {
  /**
   * Blocks by start: an Int32Array per RAM page with code (page-tables.ts), a slot per halfword, the block's
   * record in `store` + 1 (0: none; `flush` empties them with a new store). Off V8's heap: a page's array of
   * blocks was 16 KB for scavenges to copy (bench/bigcode: 56 pages, 0.9 MB of the 4.8 MB its start keeps).
   */
  private readonly blockPages: Array<Int32Array | undefined>;
  /** What the run loop and the block interpreter read of each block (block-store.ts). */
  declare store: BlockStore<Block>; // set in the constructor (see BlockStore.ints)
  /** Every block that has an instruction in a page, for invalidation. */
  private readonly pageBlocks: Array<Block[] | undefined>;
  /** Region compiles per page, to stop compiling pages whose code keeps changing. */
  private readonly regionCompiles: Uint16Array;
  /** How many times each region has grown (compileRegionAround). */
  private readonly regionGrowths = new WeakMap<Region, number>();
  /** Regions compiled so far, and how many of them to WebAssembly (tests check that compiled code really ran). */
  regionsCompiled = 0;
  wasmRegionsCompiled = 0;
  /** Warm blocks compiled to wasm on their own so far (tests check that they ran). */
  get warmBlocksCompiled(): number { return this.warmCases.compiled; }
  /** When and how big regions are made, for the compiler in use. */
  readonly policy: RegionPolicy;
  /** The wasm regions' table and map (made with the first one); the run loop enters it (Flag.Region). */
  chain: WasmChain | null = null;
  /** The warm cases of hot switches, compiled to wasm on their own (wasm/warm-cases.ts). */
  private readonly warmCases: WarmCases;

  constructor(
    private readonly m: CodeHost,
    /** Code breakpoints (the machine's stop conditions): blocks end before them. */
    private readonly breakpoints: ReadonlySet<number>,
    /** Compile hot code (blocks, then regions); false: interpret everything. */
    readonly compiling: boolean,
    /** What regions compile to. */
    private readonly compiler: RegionCompiler,
    private readonly codeGotHot: () => void, // the warm-ups of the block interpreter and the run loop (run/run-loop-warm-up.ts)
  ) {
    this.store = new BlockStore<Block>(m.options.codeBytes, m.ram.blockInts, BLOCK_RECORDS_FIRST);
    this.policy = REGION_POLICY;
    this.warmCases = new WarmCases(m, this);
    const groups = Math.ceil(m.ram.size / (1 << this.policy.shift));
    this.regionCompiles = new Uint16Array(groups);
    this.blockPages = [];
    this.pageBlocks = [];
  }

  /** The cached block that starts at `pc`, or a new one. */
  blockAt(pc: number): Block {
    const ram = this.m.ram;
    const offset = (pc - ram.base) >>> 0;
    return (offset < ram.size ? this.builtAt(offset) : undefined) ?? this.buildBlock(pc);
  }

  /** The valid block built at this offset into RAM, if any. */
  private builtAt(offset: number): Block | undefined {
    const at = (this.blockPages[offset >>> PAGE_SHIFT]?.[(offset & 0xfff) >>> 1] ?? 0) - 1;
    if (at < 0) return undefined;
    const block = this.store.blockOf(at);
    return block.valid ? block : undefined;
  }

  /**
   * Runs a whole block that is not compiled (it fits in the run slice); returns the next pc as an offset
   * from RAM's base, modulo 2^32 (as `runBlock`). A machine that only interprets runs the closures, the
   * reference that the block interpreter is checked against.
   */
  interpret(block: Block): number {
    if (this.compiling) return runBlock(block.store, block.at, this.m);
    const ops = allOps(block, this.m);
    let pc = 0;
    for (let i = 0; i < ops.length; i++) pc = ops[i]();
    return (pc - this.m.ram.base) >>> 0;
  }

  /** Runs a plain block (block-store.ts Flag.Plain) from its record at `at` in the store, as `interpret`. */
  interpretAt(at: number): number {
    return runBlock(this.store, at, this.m);
  }

  /** The closure of a block's instruction `i`, to run it alone (where a run slice ends inside the block). */
  op(block: Block, i: number): Op {
    return opAt(block, i, this.m);
  }

  private buildBlock(start: number): Block {
    const m = this.m, ram = m.ram;
    let ops: Array<Op | undefined> | null = null;
    const decodedList = SCRATCH; // decoded into a scratch array and copied at its length: one allocation a block
    // Each instruction's word and pc for its record (newBlock), made as it is decoded: one loop, mostly run before V8 optimizes it.
    const { words, pcs } = SCRATCH_BUILT, watching = m.watchingReads, machineWords = m.translating || watching;
    let count = 0;
    // Where each instruction is, as an offset into RAM (mod 2^32): addresses of RAM are above 2^31, each one a new
    // heap number in code V8 has not optimized, where most of a large program's blocks are built (bigcode: ~6 MB).
    const startOffset = (start - ram.base) >>> 0, base = ram.base | 0;
    let offset = startOffset, lastOffset = startOffset;
    // No code breakpoints (a plain run): no lookup per instruction.
    const breakpoints = this.breakpoints.size > 0 ? this.breakpoints : null;
    for (;;) {
      const fits = offset < ram.size && ((ram.u16[offset >>> 1] & 3) !== 3 || offset + 4 <= ram.size);
      if (count > 0 && breakpoints !== null && breakpoints.has((ram.base + offset) >>> 0)) break;
      if (!fits) {
        if (count > 0) break; // fetching outside RAM faults: a block that already has instructions ends before it
        const faultAt = offset < ram.size ? start + 2 : start;
        return newBlock(this.store, m, {
          ops: [fetchFault(m, faultAt, start)], startPc: start | 0, endPc: (start + 2) | 0, takenPc: 0,
          startOffset: -1, endOffset: -1, takenOffset: -1, hotSince: m.step, decoded: null, breakpoint: this.breakpoints.has(start), idleLoop: null,
        }, null);
      }
      const low = ram.u16[offset >>> 1];
      const length = (low & 3) === 3 ? 4 : 2;
      const raw = length === 4 ? low | (ram.u16[(offset >>> 1) + 1] << 16) : low; // signed (see decodeShared)
      const decoded = decodeShared(raw);
      if (decoded === undefined) (ops ??= [])[count] = illegalEncoding(m, raw, (ram.base + offset) >>> 0);
      // A plain machine's word, kept in the shared decode (the last one's is asked below: a branch's target may be outside RAM).
      words[count] = decoded === undefined ? Kind.Closure : machineWords || decoded.word === NOT_ENCODED ? encodeInstruction(decoded, offset, m) : decoded.word;
      const ends = decoded === undefined || (decoded.ends === 0 && !watching ? false : endsBlock(decoded, watching));
      pcs[count] = (base + offset) | 0; // signed, as the store keeps it
      decodedList[count++] = decoded;
      lastOffset = offset;
      offset += length;
      // A block ends where its page does (after a 4-byte instruction that crosses into the next, too).
      if (ends || count >= MAX_BLOCK_LENGTH || offset >>> PAGE_SHIFT !== startOffset >>> PAGE_SHIFT) break;
    }
    const last = decodedList[count - 1], lastKind: Kind = last === undefined ? Kind.Closure : last.word & Mask.Kind; // its shared word's, made by now
    words[count - 1] = encodeInstruction(last, lastOffset, m);
    ram.markCode(startOffset, offset - startOffset);
    const decoded = decodedList.slice(0, count);
    const taken = lastKind >= Kind.Beq && lastKind <= Kind.J && lastKind !== Kind.Jalr ? (base + lastOffset + last!.imm) | 0 : 0; // signed (NewBlock); by kind, not takenTarget's name lookup
    const block = newBlock(this.store, m, {
      ops, startPc: start | 0, endPc: (base + offset) | 0, takenPc: taken, startOffset, endOffset: offset <= ram.size ? offset : -1,
      takenOffset: ramOffset(taken, base, ram.size), hotSince: m.step, decoded, breakpoint: breakpoints !== null && breakpoints.has(start),
      // Not null at build where no idle loop starts (changesNothing): bigcode's first 500K steps -1.5%, mathlib's run +2.8%.
      idleLoop: undefined,
    }, SCRATCH_BUILT);
    const page = startOffset >>> PAGE_SHIFT;
    const slots = this.blockPages[page] ?? (reachPage(this.blockPages, page)[page] = new Int32Array(1 << (PAGE_SHIFT - 1)));
    slots[(startOffset & 0xfff) >>> 1] = block.at + 1;
    for (let p = page; p <= (offset - 1) >>> PAGE_SHIFT; p++) (reachPage(this.pageBlocks, p)[p] ??= []).push(block);
    return block;
  }

  // ---- tiers ----

  /**
   * A block ran HOT_BLOCK_RUNS times more (the run loop asks every HOT_BLOCK_RUNS runs): hot if they took
   * at most HOT_BLOCK_WINDOW steps; its runs then count towards a region (compileRegionAround), and the
   * block interpreter runs it until then. Hot blocks used to become JavaScript functions here, which V8
   * runs in its own interpreter for their first hundreds of calls, at ~15 ns a step where the block
   * interpreter takes ~8 (without them: mathlib, softfloat, jpeg, core 8-15% less main-thread CPU).
   * Slower blocks are warm, not hot (compiling every block that ran 16 times made a program with 200 KB
   * of warm code 3 times slower), and asked again after HOT_BLOCK_RUNS more runs (WARM_ASKED_RUNS once
   * asked that often, over a window as many times longer).
   */
  compileHotBlock(block: Block): void {
    if (block.decoded === null || !this.compiling) return;
    this.codeGotHot();
    if (this.stillWarm(block.runs, block.hotSince)) {
      // Its runs still count: a region of its page takes it in with the hot blocks, as warm code.
      block.hotSince = this.m.step;
      this.warmCases.consider(block, this.chain);
      return;
    }
    block.hot = true;
    block.hotSince = this.m.step;
    const hotRuns = this.policy.hotRuns;
    if (block.runs < hotRuns) return;
    // Hot after more runs than a region needs: a kernel's goes into a region at its next run, by the run
    // loop's call (V8 inlines this method there; a first call or sum here sent the loop back unoptimized).
    // Other code, warm that long, counts its runs towards one from here (softfloat's range reduction,
    // warm for 4,480 runs, then ran 31,000 times outside the chain of regions).
    const lastBeforeRegion = hotRuns - 1;
    block.runs = this.runsPerTrap(block.runs) ? lastBeforeRegion : HOT_BLOCK_RUNS;
  }

  /**
   * compileHotBlock for a plain block (block-store.ts Flag.Plain), from its record `at`: the block's object
   * only where it got hot or a warm case may want it. bench/bigcode asks ~50K times a run, nearly always
   * of a warm block whose object (and the store's array of them) was out of the cache.
   */
  askPlain(at: number): void {
    const ints = this.store.ints;
    const offset = ints[at + Field.Start];
    const runs = ints[at + Field.Runs];
    if (offset >= 0 && this.compiling && this.stillWarm(runs, ints[at + Field.HotSince]) && !this.warmCases.wants(offset, runs, this.chain)) {
      this.codeGotHot();
      ints[at + Field.HotSince] = this.m.step | 0;
      return;
    }
    this.compileHotBlock(this.store.blockOf(at));
  }

  /**
   * Whether a block asked after `runs` runs, counted since step `hotSince` (Block.hotSince), is still
   * warm: its last HOT_BLOCK_RUNS runs (WARM_ASKED_RUNS past them, over a window as many times longer)
   * took more than HOT_BLOCK_WINDOW steps, and it is no busy kernel's code (`runsPerTrap`).
   */
  private stillWarm(runs: number, hotSince: number): boolean {
    const kernel = this.runsPerTrap(runs);
    const window = runs > WARM_ASKED_RUNS ? HOT_BLOCK_WINDOW * (WARM_ASKED_RUNS / HOT_BLOCK_RUNS) : HOT_BLOCK_WINDOW;
    return sinceStep(this.m.step, hotSince) > window && !kernel;
  }

  /** A hot block no region will run (at a breakpoint, in a page compiled too often): a JavaScript function, which V8 optimizes in time. */
  private compileOnItsOwn(block: Block): void {
    if (block.compiled === null && block.decoded !== null) block.compiled = compileBlock(block.decoded, block.pcs, allOps(block, this.m), block.end, this.m);
  }

  /**
   * A busy kernel's code: the program takes traps (interrupts, system calls) at least once per
   * TRAP_STEPS steps on average, and the block has run at least once for every two of them (a trap
   * handler, the scheduler, the queue and semaphore calls around a context switch). Such code runs
   * once per trap, so its runs come farther apart than HOT_BLOCK_WINDOW allows, yet as steadily as the
   * traps: it is hot, not warm (warm code that heats up this slowly does not repay a region; see above).
   */
  private runsPerTrap(runs: number): boolean {
    const traps = this.m.unretired, steadily = runs * 2 >= traps; // both always, for V8 to see them
    return traps * TRAP_STEPS >= this.m.step && steadily;
  }

  /**
   * Compiles a region in the page where `block` starts from the hot blocks (compiled on their own
   * already) of that page that no region runs yet and that `block` reaches, nearest first, up to
   * MAX_REGION_INSTRUCTIONS, so that V8 optimizes it in milliseconds (region-formation.ts). The region
   * one of `block`'s successors runs in (a loop whose rarer path got hot later) is grown instead
   * (compiled again with the new blocks) at most MAX_REGION_GROWTHS times while it fits: a loop split
   * between two regions leaves one on every turn. After that, new hot blocks go into a new region:
   * compile cost stays proportional to the code that got hot, and code V8 has optimized stays
   * optimized. Colder blocks stay out: a jump to one leaves the region, which costs less than V8
   * throwing away optimized code that reaches a path it never saw run. Small hot regions of other pages join it (regionsAcross).
   */
  compileRegionAround(block: Block): void {
    if (block.region !== null || block.decoded === null) return;
    if (block.breakpoint) { this.compileOnItsOwn(block); return; }
    const policy = this.policy;
    if (sinceStep(this.m.step, block.hotSince) > policy.window) {
      // Warm, not hot: count again from here.
      block.runs = HOT_BLOCK_RUNS;
      block.hotSince = this.m.step;
      return;
    }
    const ram = this.m.ram;
    const group = ((block.start - ram.base) >>> 0) >>> policy.shift;
    if (this.regionCompiles[group] >= policy.maxCompiles) { this.compileOnItsOwn(block); return; }
    this.regionCompiles[group]++;
    this.regionsCompiled++;
    const firstPage = group << (policy.shift - PAGE_SHIFT);
    const candidates = regionCandidates(this.pageBlocks, firstPage, 1 << (policy.shift - PAGE_SHIFT));
    // A path of a compiled loop that got hot later joins the loop's region, if it may still grow.
    const successorRegion = regionOfSuccessor(block, (pc) => this.cachedBlockAt((pc - ram.base) >>> 0));
    const near = successorRegion?.warm === true ? undefined : successorRegion;
    const growths = near === undefined ? policy.maxGrowths : this.regionGrowths.get(near) ?? 0;
    const growable = near !== undefined && growths < policy.maxGrowths &&
      near.blocks.every((b) => b.valid && b.region === near && ((b.start - ram.base) >>> 0) >>> policy.shift === group);
    const { chosen, grown } = regionBlocks(block, candidates, growable ? near : undefined, policy.maxInstructions, policy.maxCutInstructions);
    const absorbed = this.compiler === 'wasm' ? regionsAcross(chosen, group, policy.shift, ram.base, (pc) => this.cachedBlockAt((pc - ram.base) >>> 0), MAX_ACROSS_INSTRUCTIONS) : [];
    const wasm = this.compiler === 'wasm' ? compileWasmRegion(chosen, this.m, this.chain ??= this.newChain()) : undefined;
    if (wasm === undefined) chosen.length -= absorbed.reduce((n, r) => n + r.blocks.length, 0); // a JavaScript region: one group's blocks
    else { this.wasmRegionsCompiled++; for (const r of absorbed) r.detach?.(); }
    const region = wasm ?? compileRegion(ram.base + (group << policy.shift), chosen, this.m);
    // A grown region replaces the one it grew from, which no block runs any more.
    if (grown) near?.detach?.();
    this.regionGrowths.set(region, grown ? growths + 1 : 0);
    for (const b of chosen) {
      // A warm block compiled on its own leaves its function for the region.
      if (b.region?.warm === true) b.region.detach?.();
      b.region = region;
    }
  }

  private newChain(): WasmChain {
    const chain = new WasmChain(this.m);
    chain.switched = (pc) => this.warmCases.sighted(pc, chain);
    return chain;
  }

  /** The valid block built at this offset into RAM (an address of RAM is a heap number in V8's first tiers), if any. */
  cachedBlockAt(offset: number): Block | undefined {
    return offset >= 0 && offset < this.m.ram.size ? this.builtAt(offset) : undefined;
  }

  /** The block that starts at this offset into RAM, built if it was not; undefined outside RAM. */
  codeBlockAt(offset: number): Block | undefined {
    return offset >= 0 && offset < this.m.ram.size ? this.builtAt(offset) ?? this.buildBlock((this.m.ram.base + offset) >>> 0) : undefined;
  }

  // ---- invalidation ----

  /**
   * Drops the blocks that contain the words a store touched (a 4-byte instruction starting 2 bytes before
   * counts too), and the regions that inline them.
   */
  invalidate(offset: number, size: number): void {
    const base = this.m.ram.base;
    const low = base + Math.max(0, (offset & ~3) - 2);
    const high = base + ((offset + size - 1) | 3) + 1;
    for (let page = offset >>> PAGE_SHIFT; page <= (offset + size - 1) >>> PAGE_SHIFT; page++) {
      const blocks = this.pageBlocks[page];
      // Data next to code in one page: most stores there touch no block, and must stay cheap.
      if (!blocks || !blocks.some((block) => block.end > low && block.start < high)) continue;
      this.pageBlocks[page] = blocks.filter((block) => {
        if (block.end <= low || block.start >= high) return true;
        dropBlock(block);
        return false;
      });
    }
  }

  /**
   * Code breakpoints were added or removed at these addresses: drop the blocks of their pages (a block
   * that contains one must now end before it, or may now run through it), and let those pages' regions
   * be compiled again from scratch. Code on other pages stays compiled.
   */
  breakpointsChanged(addresses: Iterable<number>): void {
    const ram = this.m.ram;
    const pages = new Set<number>();
    for (const a of addresses) {
      const offset = (a - ram.base) >>> 0;
      if (offset < ram.size) pages.add(offset >>> PAGE_SHIFT);
    }
    for (const page of pages) {
      for (const block of this.pageBlocks[page] ?? []) dropBlock(block);
      emptyPage(this.pageBlocks, page);
      emptyPage(this.blockPages, page);
      const group = page >>> (this.policy.shift - PAGE_SHIFT);
      this.regionCompiles[group] = 0;
    }
  }

  /** RAM pages were rewritten behind the machine's back (a snapshot restore): drop code decoded from them. */
  memoryReplaced(pages: Iterable<number>): void {
    // A restore rewrites a page that holds code and data for its data, and leaves the code as it was:
    // keep the blocks (and regions) whose instructions are still there, so a seek stays compiled.
    const ram = this.m.ram;
    for (const page of pages) {
      if (!ram.codePages[page]) continue;
      for (const block of [...(this.pageBlocks[page] ?? [])]) {
        if (block.valid && !codeUnchanged(block, ram)) this.invalidate((block.start - ram.base) >>> 0, block.end - block.start);
      }
    }
  }

  /** Forgets every decoded instruction (after memory is replaced wholesale, or loads change how they compile). */
  flush(): void {
    this.blockPages.fill(undefined);
    for (const blocks of this.pageBlocks) blocks?.forEach((block) => { block.valid = false; });
    this.pageBlocks.fill(undefined);
    this.regionCompiles.fill(0);
    this.chain?.clear();
    this.m.ram.clearCodeMarks();
    this.store.release();
    this.store = new BlockStore<Block>(this.m.options.codeBytes, this.m.ram.blockInts, BLOCK_RECORDS_FIRST);
  }

  /** Between run slices: a store that is mostly dropped records (code that keeps rewriting itself) starts again. */
  reclaimDroppedBlocks(): void { if (this.store.renewable) this.flush(); }
}
