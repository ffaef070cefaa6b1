/**
 * The block store: what the run loop and the block interpreter read for every block run, packed per
 * block in one Int32Array (a record: a header, then one encoded word per instruction), so that a block
 * run touches one or two adjacent cache lines instead of a JavaScript object's fields, its page's words
 * and the linked block's object in as many places. A large program that calls each of its functions now
 * and then (bench/bigcode: ~7,000 blocks, each run every ~50,000 steps) finds most of them out of the
 * cache; before, its blocks' objects (~1.1 MB) and their pages' words (~0.4 MB) did not fit a core's
 * 1 MB L2 here. The Block objects (block.ts) stay for everything else (regions, compilers, traps, idle
 * loops) and keep their record's flags up to date, so a block that is no plain interpreted block (in a
 * region, hot, at a breakpoint...) takes the run loop's path through its object.
 *
 * Records are only appended: a dropped block's record stays (its object may still be asked), marked
 * invalid. A new store replaces the whole one when the code cache forgets everything (CodeCache.flush),
 * or when dropped records are most of a large store (code that keeps rewriting itself).
 *
 * A machine's store keeps its records in the machine's WebAssembly memory, right after the registers
 * (memory/ram.ts Ram.blockInts): `ints[r]` is register x`r`, and the records start at
 * BLOCK_RECORDS_FIRST. So the block interpreter reads a block's words and the registers from one typed
 * array, which V8's optimized code checks (its map) and loads (length, data pointer) once a turn of the
 * switch instead of twice: bench/bigcode 3,642.9 -> 3,452.3M instructions a fresh run (bench/LOG.md,
 * session 30). That area does not grow: a store near its end is replaced between run slices
 * (`renewable`), and a replaced store copies its records out (`release`), so that the blocks it leaves
 * behind never write into its successor's.
 */
import { markMutable } from '../mutable-fields';

/** A record's header, in ints, before its words. */
export const enum Field {
  /** Flag.Valid, Flag.Plain, Flag.Region and, for a region's block, its room (Flag.RoomShift). */
  Flags = 0,
  /** The block's startOffset (see block-interpreter.ts InterpretedBlock). */
  Start = 1,
  /** The start offset of the block that ran after it last (-1: none), and that block's record. */
  Next = 2,
  NextAt = 3,
  /** ...and of the one before (a branch has two successors). */
  Other = 4,
  OtherAt = 5,
  Count = 6,
  End = 7,
  Taken = 8,
  /** Block.runs. */
  Runs = 9,
  /** The block's object, in `BlockStore.blocks`. */
  Id = 10,
  /**
   * Block.hotSince, modulo 2^32 (`step | 0`; compare with `sinceStep`): read where the run loop asks
   * whether a plain block got hot, without its object (CodeCache.askPlain).
   */
  HotSince = 11,
  /** Its first instruction's word. */
  Words = 12,
}

/** Steps from `since` (a step kept as `step | 0`, Field.HotSince) to `step`, modulo 2^32. */
export function sinceStep(step: number, since: number): number {
  return ((step | 0) - since) >>> 0;
}

/**
 * A record's flags (Field.Flags). Const enums here and below, so that each is a literal where the run
 * loop reads it for every block: an `export const` is read from its module at every use (see
 * block-encoding.ts Mask).
 */
export const enum Flag {
  /** The block has not been dropped. */
  Valid = 1,
  /**
   * The run loop may run it from its record alone: valid, interpreted (no region, no compiled function),
   * not hot, no breakpoint at its start, known to start no idle loop.
   */
  Plain = 2,
  /**
   * The run loop may enter its region with no look at its object's other fields: valid, in a region, no
   * breakpoint at its start, known to start no idle loop; the region's room (Region.room) is the word's
   * bits from RoomShift up. Four checks of the object's fields folded into one of the word it reads anyway.
   */
  Region = 4,
  RoomShift = 8,
}

/** Slots of the run loop's table of recent blocks (a power of two); see RunLoop.blockAt and `recent`. */
export const enum Recent { Blocks = 65536 }

/**
 * Ints a new store's arrays start with: 2^14, or as many as the program has bytes of code (rounded up to a
 * power of two), when its machine is told (MachineOptions.codeBytes). Grown by doubling, both arrays were
 * allocated again and copied four times on bench/bigcode's way to 2^18 ints (174K used), and calloc
 * cleared each new one. One of the final size is touched only as records fill it (calloc maps a large
 * one fresh), so a program that runs little of its code (bench/mathlib: 30K ints of 2^19) pays nothing more.
 */
function firstInts(codeBytes: number): number {
  return Math.max(1 << 14, 2 ** Math.ceil(Math.log2(Math.max(1, codeBytes))));
}

/** Ints of dropped records beyond which a store that is mostly them is replaced (16 MiB). */
const MAX_WASTE = 1 << 22;

/**
 * Ints of a machine's records (memory/ram.ts BLOCK_RECORDS_BYTES) left free when the store is replaced:
 * room for the records that one run slice builds after the store came near its end (4 MiB: bench/bigcode's
 * whole run builds 0.17M ints).
 */
const RENEW_ROOM = 1 << 20;

/** `B`: the blocks' objects (block.ts Block). */
export class BlockStore<B = unknown> {
  /**
   * Set in the constructor, not declared as a field: a class field starts as undefined, and V8 then
   * types it as holding anything, not an Int32Array (bench/bigcode's fresh run +90M instructions).
   */
  declare ints: Int32Array;
  /**
   * Beside `ints`, at the same index as each instruction's word (`at + Field.Words + i`): its pc, signed
   * (`pc | 0`), for the block interpreter's slow paths and a block's `pcs` (made only when asked). Off the
   * records, so that a block run does not read them, and off V8's heap: a large program's first run
   * builds thousands of blocks, and their arrays of pcs (bench/bigcode: 1.4 MB of its ~7 MB of blocks)
   * were copied by every scavenge that found them young.
   */
  declare pcs: Int32Array;
  /** The first free int. */
  top = 0;
  /** Ints of dropped blocks' records. */
  waste = 0;
  /** Each record's block, by its Id. */
  readonly blocks: B[] = [];
  /**
   * The blocks the run loop looked up last, as records, at their start offset's halfword modulo
   * Recent.Blocks (0 where none was: record 0, checked as any other before use; in a machine's store,
   * where the registers are, its flags are x0's 0: never valid): one Int32Array instead
   * of the code cache's per-page tables of block objects. 65536 slots (256 KiB, of which the host
   * commits only the pages a program's code reaches, as it did for 8192 filled with -1): bench/bigcode
   * calls ~880K times a run through a table of 1,800 functions, and 98K of its 918K lookups missed in
   * 8192 slots (14K in 65536); each miss read the page table's slot and the block's object, both out of
   * the cache (in perf samples a quarter of the run loop's, ~250 ns a miss). Under cachegrind the larger
   * table shows no gain (D1 misses -0.75%, instructions +0.4%, session 12): the time is in the misses'
   * latency, one after the other.
   */
  readonly recent = new Int32Array(Recent.Blocks);

  /** The store's records do not grow: they are a machine's (see above). */
  private readonly fixed: boolean;
  /** Past this `top`, a machine's store is `renewable` (the run loop checks it where it builds blocks). */
  readonly renewAt: number;

  /**
   * `codeBytes`: the program's bytes of code, when known (see firstInts). `area`: a machine's
   * Ram.blockInts, whose records start at `first`; without it, an array of the store's own.
   */
  constructor(codeBytes = 0, area?: Int32Array, first = 0) {
    this.fixed = area !== undefined;
    this.ints = area ?? new Int32Array(firstInts(codeBytes));
    this.top = first;
    this.renewAt = this.fixed ? this.ints.length - RENEW_ROOM : 0x7fffffff;
    this.pcs = new Int32Array(Math.max(firstInts(codeBytes), first * 2));
    // Replaced as the store grows, and counted as blocks are dropped, while the run loop reads them.
    markMutable(this, { ints: new Int32Array(0), pcs: new Int32Array(0), waste: 1 });
  }

  /**
   * A new record for `block` with `count` words and pcs to fill (at the returned position + Field.Words),
   * and room for the word after them (block-encoding.ts Kind.End); `flags`: Flag's.
   */
  add(block: B, count: number, startOffset: number, endOffset: number, takenOffset: number, hotSince: number, flags: number): number {
    const at = this.top;
    const size = Field.Words + count + 1;
    if (at + size > this.pcs.length) {
      const pcs = new Int32Array(Math.max(this.pcs.length * 2, at + size));
      pcs.set(this.pcs);
      this.pcs = pcs;
    }
    if (at + size > this.ints.length) {
      if (this.fixed) throw new RangeError(`the block store is full: ${at} ints of records in one run slice`);
      const grown = new Int32Array(Math.max(this.ints.length * 2, at + size));
      grown.set(this.ints);
      this.ints = grown;
    }
    this.top = at + size;
    const ints = this.ints;
    ints[at + Field.Flags] = flags;
    ints[at + Field.Start] = startOffset;
    ints[at + Field.Next] = -1;
    ints[at + Field.NextAt] = -1;
    ints[at + Field.Other] = -1;
    ints[at + Field.OtherAt] = -1;
    ints[at + Field.Count] = count;
    ints[at + Field.End] = endOffset;
    ints[at + Field.Taken] = takenOffset;
    ints[at + Field.Runs] = 0;
    ints[at + Field.Id] = this.blocks.length;
    ints[at + Field.HotSince] = hotSince;
    this.blocks.push(block);
    return at;
  }

  /** A record's block was dropped. */
  dropped(at: number): void {
    this.waste += Field.Words + this.ints[at + Field.Count] + 1;
  }

  /**
   * Dropped records are most of a large store, or a machine's store is within RENEW_ROOM of its end: the
   * code cache should start a new one (between run slices).
   */
  get renewable(): boolean {
    return (this.waste > MAX_WASTE && this.waste * 2 > this.top) || this.top > this.renewAt;
  }

  /**
   * The store is replaced: its records move to an array of its own, for the blocks that may still
   * read or write their records (their flags, runs, links), where the next store's records now are.
   */
  release(): void {
    if (this.fixed) this.ints = this.ints.slice(0, this.top);
  }

  /** The block whose record is at `at`. */
  blockOf(at: number): B {
    return this.blocks[this.ints[at + Field.Id]];
  }
}
