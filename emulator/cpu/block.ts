/**
 * Basic blocks: runs of compiled instructions that end at the first instruction that can change the
 * flow of control or the machine's mode (branches, jumps, CSR access, ecall/ebreak/mret/wfi, fence.i,
 * an illegal encoding), at a page boundary, or at a length limit. The run loop executes a whole block
 * without looking anything up between its instructions; when fewer steps remain in the current run
 * slice than the block holds, it runs the block's instructions one at a time, so every stop is exact.
 */
import { Decoded } from '../isa/decode';
import { Region } from './region';
import { InterpretedBlock } from './block-interpreter';

export const MAX_BLOCK_LENGTH = 64;
/** Runs of a block (as a whole) after which it is hot (its runs count towards a region)... */
export const HOT_BLOCK_RUNS = 16;
/**
 * ...if they took at most this many steps: a block that runs less often than once in ~1000 steps is
 * warm, not hot (see CodeCache.compileHotBlock).
 */
export const HOT_BLOCK_WINDOW = 16_384;
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
   * lookup; their start is checked before one is reused.
   */
  successor: Block | null;
  otherSuccessor: Block | null;
  /**
   * Their start offsets (startOffset; -1 without a link), kept in this block: the run loop compares
   * where it goes on with these, in a cache line it already has, and reads a linked block only once it
   * is the one (comparing with the linked block's own startOffset cost a cache miss on the first link
   * whenever the second was the one: bench/bigcode, more than half its links).
   */
  successorOffset: number;
  otherSuccessorOffset: number;
  /** Whole runs so far (since it became hot, or was last found warm; see CodeCache). */
  runs: number;
  /**
   * The step at which it started counting runs: when it was built or compiled on its own, or started
   * counting again (HOT_BLOCK_WINDOW, HOT_REGION_WINDOW).
   */
  hotSince: number;
  /** The block as a JavaScript function (block-compiler.ts), for hot code that gets no region. */
  compiled: (() => number) | null;
  /** It ran HOT_BLOCK_RUNS times within HOT_BLOCK_WINDOW steps: its runs now count towards a region. */
  hot: boolean;
  /** What the compilers need (null for a block that only raises an instruction fetch fault). */
  readonly decoded: Array<Decoded | undefined> | null;
  /** The compiled region (region.ts) that runs this block, if any. */
  region: Region | null;
  /** A code breakpoint is set at `start` (blocks end before breakpoints, so only there). */
  readonly breakpoint: boolean;
  /** The idle loop that starts here (idle-loop.ts): undefined until looked for, null if there is none. */
  idleLoop: IdleLoop | null | undefined;
}

/** What a new block is made from (the rest starts empty). */
export type NewBlock = Pick<Block, 'startOffset' | 'breakpoint' | 'idleLoop' | 'words' | 'first' | 'ops' | 'pcs' | 'endOffset' | 'takenOffset' | 'start' | 'end' | 'taken' | 'hotSince' | 'decoded'>;

/**
 * A new block, its fields in the order the run loop reads them. V8 lays an object out in the order its
 * fields are first set, and a warm program's blocks are mostly not in the cache when they run (bigcode:
 * ~7,000 blocks of 15 instructions, each run every ~50,000 steps): what the run loop reads for every
 * block should take as few cache lines as it can. Its arrays are copies of exactly its length: those
 * built by `push` have room for 16 or more (most blocks are shorter), kept as long as the block.
 */
export function newBlock(b: NewBlock): Block {
  return {
    startOffset: b.startOffset, valid: true, successorOffset: -1, otherSuccessorOffset: -1, successor: null, otherSuccessor: null, breakpoint: b.breakpoint, idleLoop: b.idleLoop,
    region: null, compiled: null, hot: false, count: b.pcs.length, runs: 0, words: b.words, first: b.first, endOffset: b.endOffset,
    takenOffset: b.takenOffset, ops: b.ops, pcs: b.pcs.slice(), start: b.start, end: b.end, taken: b.taken, hotSince: b.hotSince,
    decoded: b.decoded === null ? null : b.decoded.slice(),
  };
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
 * Whether a block must end after an instruction with this (base) mnemonic; undefined = illegal. While
 * reads are watched, loads end blocks too: a load that hits a watchpoint must finish (write rd) and
 * then stop, which only the last instruction of a block can do.
 */
export function endsBlock(name: string | undefined, watchingReads: boolean): boolean {
  return name === undefined || TERMINATORS.has(name) || (watchingReads && LOADS.has(name));
}
