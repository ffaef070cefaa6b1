/**
 * Basic blocks: runs of compiled instructions that end at the first instruction that can change the
 * flow of control or the machine's mode (branches, jumps, CSR access, ecall/ebreak/mret/wfi, fence.i,
 * an illegal encoding), at a page boundary, or at a length limit. The run loop executes a whole block
 * without looking anything up between its instructions; when fewer steps remain in the current run
 * slice than the block holds, it runs the block's instructions one at a time, so every stop is exact.
 */
import { Region } from './region';
import { InterpretedBlock } from './block-interpreter';
import { encodeBlock, fuseBlock, fusingRuns, Kind } from './block-encoding';
import { BlockStore, Field, Flag } from './block-store';
import type { ExecContext, Op } from './compile';
import type { Ram } from '../memory/ram';
import { NOT_ENCODED, SharedDecoded } from './shared-decode';

export const MAX_BLOCK_LENGTH = 64;
/** Runs of a block (as a whole) after which it is hot (its runs count towards a region)... */
export const HOT_BLOCK_RUNS = 16;
/**
 * ...if they took at most this many steps: a block that runs less often than once in ~1000 steps is
 * warm, not hot (see CodeCache.compileHotBlock).
 */
export const HOT_BLOCK_WINDOW = 16_384;
/**
 * A block asked this many times (a power of two, above HOT_BLOCK_RUNS) is asked every WARM_ASKED_RUNS
 * runs after, over as many times the window: each question reads the block's object and fields out of
 * the cache (bench/bigcode: 130K questions a run of its ~7,000 warm blocks, ~190 ns each).
 */
export const WARM_ASKED_RUNS = 64;
/**
 * Runs after which a block goes into a region (region.ts) with the other hot blocks of its page: later
 * than single blocks, so that short runs do not pay for compiles, and most of the page's hot paths have
 * run by then. Regions are small (MAX_REGION_INSTRUCTIONS), so V8 optimizes them soon after.
 */
export const HOT_REGION_RUNS = 256;
/**
 * ...and only if it got there within this many steps of becoming hot: code that is warm rather than hot
 * (a large program that calls each of its functions now and then) would never repay the optimizing
 * compiler's time, and regions that V8 never optimizes run slower than the block interpreter. A
 * block that heated up too slowly starts counting again, so a later hot phase still gets its region.
 * Library code called from warm code (soft-float's __kernel_sinf, ~1 run per 6,000 steps) got none at
 * 1M and left the chain of regions at each call; at 2M: mathlib ~10% less main-thread CPU, softfloat
 * ~7%, kernel ~4%, and bigcode, whose blocks run every ~90,000 steps, unchanged.
 */
export const HOT_REGION_WINDOW = 2_000_000;

export interface Block extends InterpretedBlock {
  /** Address of each instruction, for locating a trap or an early end within the block. */
  readonly pcs: number[];
  readonly start: number;
  /** First byte after the block's last instruction. */
  readonly end: number;
  /** False once a store has changed one of its instructions. */
  valid: boolean;
  /**
   * The two blocks that most recently ran after this one (a branch has two), tried before the page
   * lookup (kept in the block's record: block-store.ts).
   */
  successor: Block | null;
  otherSuccessor: Block | null;
  /** Whole runs so far (since it became hot, or was last found warm; see CodeCache). */
  runs: number;
  /**
   * The step at which it started counting runs: when it was built or compiled on its own, or started
   * counting again (HOT_BLOCK_WINDOW, HOT_REGION_WINDOW); kept modulo 2^32 in the record (block-store.ts
   * sinceStep).
   */
  hotSince: number;
  /** The block as a JavaScript function (block-compiler.ts), for hot code that gets no region. */
  compiled: (() => number) | null;
  /** It ran HOT_BLOCK_RUNS times within HOT_BLOCK_WINDOW steps: its runs now count towards a region. */
  hot: boolean;
  /** What the compilers need (null for a block that only raises an instruction fetch fault). */
  readonly decoded: Array<SharedDecoded | undefined> | null;
  /** The compiled region (region.ts) that runs this block, if any. */
  region: Region | null;
  /** A code breakpoint is set at `start` (blocks end before breakpoints, so only there). */
  readonly breakpoint: boolean;
  /** The idle loop that starts here (idle-loop.ts): undefined until looked for, null if there is none. */
  idleLoop: IdleLoop | null | undefined;
}

/**
 * What a new block is made from (the rest starts empty): `start`, `end` and `taken` signed (`pc | 0`, as the
 * block keeps them), where an address of RAM as given was a heap number in V8's first tiers, which build
 * most blocks: three or more for each block built (bench/LOG.md, session 29).
 */
export type NewBlock = Pick<Block, 'startOffset' | 'breakpoint' | 'idleLoop' | 'ops' | 'endOffset' | 'takenOffset' | 'hotSince' | 'decoded'> & {
  readonly startPc: number;
  readonly endPc: number;
  readonly takenPc: number;
};

/** A block's words and pcs as the code cache made them while decoding it (its first `count` of each). */
export interface BuiltRecord {
  readonly words: Int32Array;
  readonly pcs: Int32Array;
}

/**
 * A new block with its record in the store (block-store.ts), its words encoded (block-interpreter.ts
 * encodeBlock) or copied from `built`, where the code cache made them while decoding. What the run loop
 * reads for every block (runs, links, whether it is a plain interpreted block) lives in the record; the
 * fields that decide that (valid, hot, region, compiled, idleLoop) set the record's flags as they change.
 */
export function newBlock(store: BlockStore<Block>, m: ExecContext, b: NewBlock, built: BuiltRecord | null): Block {
  const block = new StoredBlock(store, b);
  const first = block.at + Field.Words;
  if (built === null) {
    storePcs(store.pcs, first, b.startPc, b.decoded);
    encodeBlock(block, m);
    return block;
  }
  const ints = store.ints;
  const pcs = store.pcs;
  const words = built.words;
  const from = built.pcs;
  const count = block.count;
  for (let i = 0; i < count; i++) {
    ints[first + i] = words[i];
    pcs[first + i] = from[i];
  }
  ints[first + count] = Kind.End;
  if (fusingRuns()) fuseBlock(ints, first, count);
  return block;
}

/**
 * Its fields are declared only (no class field definitions): V8 runs a define per field for each new
 * object while the constructor is not optimized, which most of a program's blocks are built in.
 */
class StoredBlock implements Block {
  declare readonly store: BlockStore<Block>;
  declare readonly at: number;
  declare readonly count: number;
  declare readonly startOffset: number;
  declare readonly endOffset: number;
  declare readonly takenOffset: number;
  /**
   * `start`, `end` and `taken`, signed (`pc | 0`): small integers in the object, where addresses above 2^31
   * were a heap number each (three more objects a block for the young generation to copy).
   */
  declare private readonly startPc: number;
  declare private readonly endPc: number;
  declare private readonly takenPc: number;
  declare readonly decoded: Array<SharedDecoded | undefined> | null;
  /** `pcs`, made the first time it is asked for (most blocks never are: see BlockStore.pcs). */
  declare private pcList: number[] | null;
  declare readonly breakpoint: boolean;
  declare ops: Array<Op | undefined> | null;
  declare private isHot: boolean;
  declare private regionRunning: Region | null;
  declare private compiledFunction: (() => number) | null;
  declare private idle: IdleLoop | null | undefined;

  constructor(store: BlockStore<Block>, b: NewBlock) {
    this.store = store;
    this.count = b.decoded === null ? 1 : b.decoded.length;
    this.startOffset = b.startOffset;
    this.endOffset = b.endOffset;
    this.takenOffset = b.takenOffset;
    this.startPc = b.startPc;
    this.endPc = b.endPc;
    this.takenPc = b.takenPc;
    this.decoded = b.decoded;
    this.pcList = null;
    this.breakpoint = b.breakpoint;
    this.ops = b.ops;
    this.isHot = false;
    this.regionRunning = null;
    this.compiledFunction = null;
    this.idle = b.idleLoop;
    // Its flags as flagsChanged would set them (it is not hot and has no region or compiled function yet).
    const plain = !b.breakpoint && b.idleLoop === null;
    this.at = store.add(this, this.count, b.startOffset, b.endOffset, b.takenOffset, b.hotSince | 0, plain ? Flag.Valid | Flag.Plain : Flag.Valid);
  }

  get start(): number { return this.startPc >>> 0; }
  get end(): number { return this.endPc >>> 0; }
  get taken(): number { return this.takenPc >>> 0; }

  /**
   * From the store: a getter that computed them from `decoded` on first use put a copy of its loop in
   * each of the block interpreter's slow paths (V8 inlines it there), whose optimizing compile took
   * longer on every program; those read the store's pcs instead.
   */
  get pcs(): number[] {
    if (this.pcList !== null) return this.pcList;
    const pcs = this.store.pcs;
    const first = this.at + Field.Words;
    const list = new Array<number>(this.count);
    for (let i = 0; i < this.count; i++) list[i] = pcs[first + i] >>> 0;
    return (this.pcList = list);
  }

  get valid(): boolean { return (this.store.ints[this.at + Field.Flags] & Flag.Valid) !== 0; }
  set valid(valid: boolean) {
    if (valid === this.valid) return;
    const ints = this.store.ints;
    ints[this.at + Field.Flags] = valid ? Flag.Valid : 0;
    if (!valid) this.store.dropped(this.at);
    this.flagsChanged();
  }
  get runs(): number { return this.store.ints[this.at + Field.Runs]; }
  set runs(runs: number) { this.store.ints[this.at + Field.Runs] = runs; }
  get hotSince(): number { return this.store.ints[this.at + Field.HotSince]; }
  set hotSince(step: number) { this.store.ints[this.at + Field.HotSince] = step | 0; }
  get hot(): boolean { return this.isHot; }
  set hot(hot: boolean) { this.isHot = hot; this.flagsChanged(); }
  get region(): Region | null { return this.regionRunning; }
  set region(region: Region | null) { this.regionRunning = region; this.flagsChanged(); }
  get compiled(): (() => number) | null { return this.compiledFunction; }
  set compiled(compiled: (() => number) | null) { this.compiledFunction = compiled; this.flagsChanged(); }
  get idleLoop(): IdleLoop | null | undefined { return this.idle; }
  set idleLoop(loop: IdleLoop | null | undefined) { this.idle = loop; this.flagsChanged(); }
  get successor(): Block | null { return this.linked(Field.NextAt); }
  set successor(block: Block | null) { this.link(Field.Next, block); }
  get otherSuccessor(): Block | null { return this.linked(Field.OtherAt); }
  set otherSuccessor(block: Block | null) { this.link(Field.Other, block); }

  private linked(field: Field.NextAt | Field.OtherAt): Block | null {
    const at = this.store.ints[this.at + field];
    return at < 0 ? null : this.store.blockOf(at);
  }

  /** Links a successor (the run loop does this in the record itself). */
  private link(field: Field.Next | Field.Other, block: Block | null): void {
    const ints = this.store.ints;
    ints[this.at + field] = block === null ? -1 : block.startOffset;
    ints[this.at + field + 1] = block === null ? -1 : block.at;
  }

  /**
   * Sets Flag.Plain in the record where the run loop may run the block from its record alone, and
   * Flag.Region with the region's room where it may enter the block's region with no other check.
   */
  private flagsChanged(): void {
    const ints = this.store.ints;
    const valid = ints[this.at + Field.Flags] & Flag.Valid;
    const region = this.regionRunning;
    const usual = valid !== 0 && !this.breakpoint && this.idle === null;
    const plain = usual && !this.isHot && region === null && this.compiledFunction === null;
    ints[this.at + Field.Flags] = valid | (plain ? Flag.Plain : 0) |
      (usual && region !== null && region.chained === true ? Flag.Region | (region.room << Flag.RoomShift) : 0);
  }
}

/** The address of each instruction of a block at `start` (one that raises a fetch fault has one), signed, into `pcs` from `first`. */
function storePcs(pcs: Int32Array, first: number, start: number, decoded: ReadonlyArray<SharedDecoded | undefined> | null): void {
  let pc = start | 0;
  pcs[first] = pc;
  if (decoded === null) return;
  // Only a block's last instruction can be an illegal one (its length does not matter).
  for (let i = 1; i < decoded.length; i++) pcs[first + i] = pc = (pc + decoded[i - 1]!.length) | 0;
}

/** Whether RAM still holds the instructions `block` was decoded from. */
export function codeUnchanged(block: Block, ram: Ram): boolean {
  const decoded = block.decoded;
  if (decoded === null) return false;
  const u16 = ram.u16;
  for (let i = 0; i < decoded.length; i++) {
    const d = decoded[i];
    const half = ((block.pcs[i] - ram.base) >>> 0) >>> 1;
    if (d === undefined || half + (d.length >>> 1) > u16.length) return false;
    const raw = d.length === 4 ? (u16[half] | (u16[half + 1] << 16)) >>> 0 : u16[half];
    if (raw !== d.raw >>> 0) return false;
  }
  return true;
}

/** One turn of an idle loop (idle-loop.ts): the blocks it runs through, its steps, and how many are `wfi`. */
export interface IdleLoop {
  readonly blocks: readonly Block[];
  readonly steps: number;
  readonly waits: number;
}

const TERMINATORS = new Set([
  'jal', 'jalr', 'beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu',
  'ecall', 'ebreak', 'mret', 'sret', 'wfi', 'sfence.vma', 'fence.i',
  'csrrw', 'csrrs', 'csrrc', 'csrrwi', 'csrrsi', 'csrrci',
  // They write rd after their store, so nothing may end their block between the two (see machine.ts).
  'lr.w', 'sc.w', 'amoswap.w', 'amoadd.w', 'amoxor.w', 'amoand.w', 'amoor.w', 'amomin.w', 'amomax.w', 'amominu.w', 'amomaxu.w',
]);

const LOADS = new Set(['lb', 'lh', 'lw', 'lbu', 'lhu']);

/**
 * Whether a block must end after `d` (undefined: an illegal encoding). While reads are watched, loads end
 * blocks too: a load that hits a watchpoint must finish (write rd) and then stop, which only the last
 * instruction of a block can do.
 */
export function endsBlock(d: SharedDecoded | undefined, watchingReads: boolean): boolean {
  if (d === undefined) return true;
  let ends = d.ends;
  if (ends === NOT_ENCODED) ends = d.ends = TERMINATORS.has(d.spec.name) ? 1 : 0;
  return ends !== 0 || (watchingReads && LOADS.has(d.spec.name));
}

/** Marks a block invalid; its region goes too (its code has the block inlined), and its other blocks heat up again. */
export function dropBlock(block: Block): void {
  block.valid = false;
  const region = block.region;
  if (region === null) return;
  region.detach?.();
  for (const other of region.blocks) {
    if (other.region === region) { other.region = null; other.runs = HOT_BLOCK_RUNS; }
  }
}
