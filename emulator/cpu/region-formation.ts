/**
 * Which blocks go into a region: the hot blocks connected to the one that got hot first, nearest first,
 * then the page's other hot blocks, most-run first; and which region grows when a block gets hot later.
 *
 * A region made of the most-run blocks of its page, connected or not, mixes the loops of several
 * functions; it fills up (MAX_REGION_INSTRUCTIONS), and the blocks of the loop that got hot may be the
 * ones left out, or a path of it that gets hot later (the case of a `switch` taken only in a later
 * phase, the slow path of a library routine) goes into another region: every turn of that loop then
 * leaves one region and enters the other, through the chain, each time storing and loading the
 * registers. So the loop's own blocks go in first, and a later hot path joins the region its successor
 * runs in (not the page's latest region, which may hold another function's loop).
 *
 * Where the hot code around the block fits in one region, the region takes the page's hot code in whole
 * parts (`parts`: connected parts of its control flow graph, a loop with its exits and the leaf
 * functions it calls), so that filling a region with other hot code never takes half of another loop,
 * whose other half would then run in another region.
 *
 * A warm path of a hot function (one that runs every few thousand steps, too seldom to be hot: a
 * soft-float routine's rarer case) is left out, and the chain leaves the region for it each time. Taking
 * such a block in once it had run 1024 times at a region's rate, next to a region (its successor's),
 * helped softfloat (main thread 65 -> 56 ms, the chain left 77K -> 33K times) but cost mathlib 5% and
 * more background compiling: its paths got one region each, block by block from their ends backwards,
 * since a region grows from the block that asks, forwards (connected parts), not to its predecessors.
 */
import { Block, HOT_BLOCK_RUNS } from './block';
import { Region, RegionBlock } from './region';
import { PAGE_SHIFT } from '../memory/ram';

const BRANCHES = new Set(['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu']);

/**
 * Where control may go after `block`: its branch's two ways, a jump's target (and for a call, where it
 * returns to), the next instruction after any other last instruction, and the blocks that followed it
 * when it last ran outside a region (the targets of a computed jump).
 */
export function successorsOf(block: Block): number[] {
  const decoded = block.decoded;
  const last = decoded?.[decoded.length - 1];
  const name = last?.spec.name;
  const next: number[] = [];
  if (name !== undefined && (BRANCHES.has(name) || name === 'jal')) next.push(block.taken);
  if (name !== 'jalr' && !(name === 'jal' && last!.rd === 0)) next.push(block.end);
  if (block.successor !== null) next.push(block.successor.start);
  if (block.otherSuccessor !== null) next.push(block.otherSuccessor.start);
  return next;
}

/**
 * `seed` (the blocks of a region being grown, or none) and then the `candidates` reachable from
 * `trigger` through candidates and seed blocks, breadth first, while they fit in `max` instructions;
 * then the page's other hot code while all fits in `fill`.
 */
export function connectedBlocks(trigger: Block, seed: readonly Block[], candidates: readonly Block[], max: number, fill = max): RegionBlock[] {
  const byStart = new Map<number, Block>();
  for (const b of candidates) byStart.set(b.start, b);
  for (const b of seed) byStart.set(b.start, b);
  const inSeed = new Set<Block>(seed);
  const chosen: RegionBlock[] = [...seed];
  let total = size(seed);
  const seen = new Set<Block>([trigger]);
  const queue: Block[] = [trigger];
  for (let i = 0; i < queue.length; i++) {
    const b = queue[i];
    if (!inSeed.has(b)) {
      const more = instructions(b);
      if (total + more > max) continue;
      chosen.push(b);
      total += more;
    }
    for (const pc of successorsOf(b)) {
      const next = byStart.get(pc);
      if (next !== undefined && !seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  // Then the page's other hot code, in whole parts, the one with the most-run block first (fewer regions
  // to compile; measured, leaving room for later paths instead ran slower).
  const rest = candidates.filter((b) => !seen.has(b));
  if (rest.length === 0) return chosen;
  let most = rest[0];
  let mostRuns = most.runs;
  for (let i = 1; i < rest.length; i++) {
    const runs = rest[i].runs;
    if (runs > mostRuns) { most = rest[i]; mostRuns = runs; }
  }
  return wholeParts(chosen, parts(most, rest), fill);
}

/**
 * The blocks of the region `block` asked for, from the page's hot `candidates`, and whether it is
 * `growable` (the region of one of its successors, which may still grow) grown: the hot code connected
 * to `block` goes in whole if it fits in a region, into the region it grows if it fits there too, else
 * into a new one; if it does not fit, the blocks nearest `block`, up to `cutMax` instructions (more than
 * `max`: region.ts MAX_CUT_REGION_INSTRUCTIONS), with no other hot code added beyond `max`.
 */
export function regionBlocks(block: Block, candidates: readonly Block[], growable: Region | undefined, max: number,
  cutMax: number): { chosen: RegionBlock[]; grown: boolean } {
  const hotParts = parts(block, candidates, max);
  if (size(hotParts[0]) <= max) {
    const grown = growable !== undefined && size(growable.blocks) + size(hotParts[0]) <= max;
    return { chosen: wholeParts(grown ? [...growable.blocks] : [], hotParts, max), grown };
  }
  const chosen = growable !== undefined ? connectedBlocks(block, growable.blocks as Block[], candidates, cutMax, max) : [];
  const grown = growable !== undefined && chosen.length > growable.blocks.length;
  return { chosen: grown ? chosen : connectedBlocks(block, [], candidates, cutMax, max), grown };
}

/** Adds each of `parts` to the blocks of a region, in order, if it fits whole in `max` instructions. */
export function wholeParts(chosen: RegionBlock[], parts: readonly RegionBlock[][], max: number): RegionBlock[] {
  let total = size(chosen);
  for (const part of parts) {
    const more = size(part);
    if (total + more > max) continue;
    chosen.push(...part);
    total += more;
  }
  return chosen;
}

/**
 * Instructions in `blocks`: their decoded lists' lengths (a block's `pcs` is a list the store makes at
 * its first use and keeps, which a wasm region never asks for otherwise: bench/LOG.md, session 29).
 */
export function size(blocks: readonly RegionBlock[]): number {
  let sum = 0;
  for (let i = 0; i < blocks.length; i++) sum += instructions(blocks[i]);
  return sum;
}

/** Instructions in `block` (as many as its pcs: one for a block that did not decode). */
function instructions(block: RegionBlock): number {
  const decoded = block.decoded;
  return decoded !== null ? decoded.length : 1;
}

/**
 * The connected parts of `candidates` (which include `hot`), through edges within functions followed
 * both ways: hot's part first, then the others by their most-run block (none if hot's part is more
 * than `fits` instructions: regionBlocks then cuts it). In each, the blocks in the order they are
 * reached from its first block, always taking the most-run block next to those taken.
 *
 * Indexed arrays, each block's fields read once: they are getters over the block store, and this runs
 * cold (Sparkplug) at every region's formation, over all of the page's hot blocks left out of regions.
 * With Maps and Sets of blocks, a frontier scanned through `runs` at every step and a sort by a
 * comparator of getters, forming bench/mathlib's 25 regions took 58M instructions (cachegrind).
 */
export function parts(hot: Block, candidates: readonly Block[], fits = Infinity): Block[][] {
  const n = candidates.length;
  const walk = new PartWalk(candidates);
  const h = candidates.indexOf(hot);
  const all = [h < 0 ? [hot] : walk.grow(h)];
  if (fits !== Infinity && size(all[0]) > fits) return all;
  // The other parts from their most-run block: the blocks by runs, most first, equals in their order.
  const order = new Float64Array(n);
  const runs = walk.runs;
  for (let i = 0; i < n; i++) order[i] = RUNS_ABOVE - runs[i];
  byKey(order);
  for (let i = 0; i < n; i++) {
    const b = order[i] % KEY_INDEX;
    if (walk.reached[b] === 0) all.push(walk.grow(b));
  }
  return all;
}

/**
 * `parts`'s graph: each candidate's runs, its neighbours (both ends of its edges within functions, in
 * the order of the edges) packed by candidate, and the walk's marks. In small functions: one that did it
 * all ran long enough, over a process's programs, for V8 to optimize it (one large compile) in whichever
 * program its budget ran out (bench/kernel, in the bench's order).
 */
class PartWalk {
  declare readonly candidates: readonly Block[];
  declare readonly runs: Int32Array;
  /** Candidate i's neighbours are neighbours[first[i]..first[i + 1]). */
  declare readonly first: Int32Array;
  declare readonly neighbours: Int32Array;
  declare readonly reached: Uint8Array;
  declare readonly queued: Uint8Array;
  declare readonly frontier: Int32Array;

  constructor(candidates: readonly Block[]) {
    const n = candidates.length;
    this.candidates = candidates;
    this.runs = new Int32Array(n);
    const index = indexAndRuns(candidates, this.runs);
    // Edges in order, then each block's neighbours packed by block.
    const from: number[] = [];
    const to: number[] = [];
    const degree = edgesWithin(candidates, index, from, to);
    const first = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) first[i + 1] = first[i] + degree[i];
    const neighbours = new Int32Array(first[n]);
    const filled = first.slice(0, n);
    for (let e = 0; e < from.length; e++) {
      neighbours[filled[from[e]]++] = to[e];
      neighbours[filled[to[e]]++] = from[e];
    }
    this.first = first;
    this.neighbours = neighbours;
    this.reached = new Uint8Array(n);
    this.queued = new Uint8Array(n);
    this.frontier = new Int32Array(n);
  }

  /** The part from candidate `start`, always taking the most-run block next to those taken. */
  grow(start: number): Block[] {
    const { runs, first, neighbours, reached, queued, frontier } = this;
    const part: Block[] = [];
    let size = 1;
    frontier[0] = start;
    queued[start] = 1;
    while (size > 0) {
      // The most-run block of the frontier, the first queued of equals (a Set's order, as before).
      let at = 0;
      for (let k = 1; k < size; k++) if (runs[frontier[k]] > runs[frontier[at]]) at = k;
      const best = frontier[at];
      size--;
      for (let k = at; k < size; k++) frontier[k] = frontier[k + 1];
      reached[best] = 1;
      part.push(this.candidates[best]);
      for (let k = first[best]; k < first[best + 1]; k++) {
        const next = neighbours[k];
        if (reached[next] === 0 && queued[next] === 0) { queued[next] = 1; frontier[size++] = next; }
      }
    }
    return part;
  }
}

/**
 * Each candidate's runs into `runs`; returns each start's candidate (the last, as a Map of them had), by
 * offset into RAM: a small integer, where an address of RAM is a heap number made at each read of a block's
 * `start`, `end` or `taken` in V8's first tiers (bench/LOG.md, session 29).
 */
function indexAndRuns(candidates: readonly Block[], runs: Int32Array): Map<number, number> {
  const index = new Map<number, number>();
  for (let i = 0; i < candidates.length; i++) {
    const b = candidates[i];
    runs[i] = b.runs;
    index.set(b.startOffset, i);
  }
  return index;
}

/** The edges within functions between candidates (withinFunction), in order, into from/to; returns each one's degree. */
function edgesWithin(candidates: readonly Block[], index: Map<number, number>, from: number[], to: number[]): Int32Array {
  const degree = new Int32Array(candidates.length);
  const targets = [0, 0];
  for (let i = 0; i < candidates.length; i++) {
    const count = withinFunction(candidates[i], targets);
    for (let k = 0; k < count; k++) {
      const t = index.get(targets[k]);
      if (t === undefined || candidates[t] === candidates[i]) continue;
      from.push(i);
      to.push(t);
      degree[i]++;
      degree[t]++;
    }
  }
  return degree;
}

/**
 * Where control goes after `block`, for `parts`, into `out` (returns how many) as offsets into RAM (-1:
 * outside it, or none; see indexAndRuns): a branch's two ways, a jump's target, a direct call's callee
 * and the block after the call, the last two targets of a jump through a register. A return's caller
 * and a call through a pointer's callee are left out: followed both ways, they would join every
 * function that calls another of the page into one part, too big for a region, which is then cut.
 */
function withinFunction(block: Block, out: number[]): number {
  const decoded = block.decoded;
  const last = decoded?.[decoded.length - 1];
  const name = last?.spec.name;
  if (name === 'jal') {
    out[0] = block.takenOffset;
    if (last!.rd === 0) return 1;
    out[1] = block.endOffset;
    return 2;
  }
  if (name === 'jalr') {
    // A call through a pointer comes back after it; a jump through a register (a `switch`'s table, a
    // tail call) goes where it went the last two times; a return leaves the function.
    if (last!.rd !== 0) { out[0] = block.endOffset; return 1; }
    if (last!.rs1 === RA) return 0;
    out[0] = block.successor?.startOffset ?? -1;
    out[1] = block.otherSuccessor?.startOffset ?? -1;
    return 2;
  }
  out[0] = block.takenOffset;
  out[1] = block.endOffset;
  return 2;
}

const RA = 1;

/** The region one of `block`'s successors runs in, if any (a loop's region, for a path of it that got hot late). */
export function regionOfSuccessor(block: Block, blockAt: (pc: number) => Block | undefined): Region | undefined {
  for (const pc of successorsOf(block)) {
    const region = blockAt(pc)?.region;
    if (region) return region;
  }
  return undefined;
}

/**
 * The blocks that start in pages [firstPage, firstPage + pages) and may go into a new region, by address:
 * valid, hot (their runs count towards a region), in no region or only a warm one, at no breakpoint.
 * From each page's list of its blocks (`pageBlocks`, which also has those that start in the page before
 * and end in it), not its table of block starts: a region's compile went through 2048 mostly empty slots
 * a page with Array.prototype.flatMap, which V8 runs through its runtime for each one (~0.2 ms a region
 * while cold: 14 ms of bench/mathlib's 67 region compiles).
 */
export function regionCandidates(pageBlocks: ReadonlyArray<readonly Block[] | undefined>, firstPage: number, pages: number): Block[] {
  const found: Block[] = [];
  const starts: number[] = [];
  for (let page = firstPage; page < firstPage + pages; page++) {
    const blocks = pageBlocks[page];
    if (blocks === undefined) continue;
    for (let i = 0; i < blocks.length; i++) {
      // The fields first, then the getters, the rarest first: most of a page's blocks are cold.
      const b = blocks[i];
      if (b.decoded === null || b.breakpoint || b.runs < HOT_BLOCK_RUNS) continue;
      const region = b.region;
      if ((region !== null && region.warm !== true) || !b.valid) continue;
      // Its offset into RAM, not its `start` (see indexAndRuns): the same order within RAM.
      const offset = b.startOffset;
      if (offset >>> PAGE_SHIFT !== page) continue;
      found.push(b);
      starts.push(offset);
    }
  }
  // In address order, as the table of block starts gave them: formation takes the nearest first.
  const order = byKey(Float64Array.from(starts));
  const sorted = new Array<Block>(found.length);
  for (let i = 0; i < found.length; i++) sorted[i] = found[order[i] % KEY_INDEX];
  return sorted;
}

/**
 * `keys` (non-negative integers below 2^33) made into the indices of their elements (each element
 * `% KEY_INDEX`), in the order of the keys, equal keys by index: a typed array's own sort of numbers,
 * which V8 runs in C++, where a sort with a comparison function calls it (and the getters it reads) at
 * every compare in V8's first tiers, and an insertion sort written here ran long enough for V8 to
 * optimize it on the main thread of a young process (bench/mathlib: `parts`, 88 ms, --single-threaded).
 */
function byKey(keys: Float64Array): Float64Array {
  for (let i = 0; i < keys.length; i++) keys[i] = keys[i] * KEY_INDEX + i;
  return keys.sort();
}

/** Indices below this (a page's blocks: 2,048 at most). */
const KEY_INDEX = 65536;
/** Above any block's runs (an int32), for a key that orders by runs, most first. */
const RUNS_ABOVE = 2 ** 31;

/**
 * At most this many instructions in a region that takes in regions of other pages (regionsAcross).
 * bench/statemachine's loop (page 8, 12 instructions) calls its `switch` (page 0, 15 with the shared
 * `sw; sw; ret` its cases jump back to): as two regions, every turn tail-called from one to the other
 * and back, storing and loading the registers each time (four tail calls a turn with the case and back);
 * as one, two. Steady state (third run in a process, main-thread CPU, medians of 8 interleaved pairs)
 * 129 -> 111 ms, first run 230 -> 215, `rewind run`'s whole process (cachegrind) 2,425M -> 2,278M
 * instructions. At MAX_REGION_INSTRUCTIONS (128) instead, mathlib, softfloat and tree merged regions of
 * ~40-100 instructions, each merge a recompile of the lot, and tree's chain of them (four pages into
 * one region in three compiles) ran 0-6% slower; at 64 only statemachine's regions change.
 */
export const MAX_ACROSS_INSTRUCTIONS = 64;

/**
 * The regions of hot code in other groups that `chosen` (a new region's blocks, in group `group` of
 * `shift` address bits) leads to: a call's callee, a return's caller, a jump's target, and on from
 * their blocks in turn, each taken whole while all fit in `max` instructions; not warm ones (a switch's
 * cases: hundreds of them, each run seldom). Their blocks are added to `chosen`; the caller detaches
 * them once the new region is compiled (a JavaScript region, region-compiler.ts, holds one page only).
 * Invalidation needs nothing more: a store into any of its blocks drops the whole region (dropBlock).
 */
export function regionsAcross(chosen: RegionBlock[], group: number, shift: number, ramBase: number,
  blockAt: (pc: number) => Block | undefined, max: number): Region[] {
  const absorbed: Region[] = [];
  let total = size(chosen);
  for (let i = 0; i < chosen.length; i++) {
    for (const pc of successorsOf(chosen[i] as Block)) {
      if (((pc - ramBase) >>> 0) >>> shift === group) continue;
      const region = blockAt(pc)?.region;
      if (region === undefined || region === null || region.warm === true || absorbed.includes(region)) continue;
      const more = size(region.blocks);
      if (total + more > max || !region.blocks.every((b) => b.valid && b.region === region)) continue;
      absorbed.push(region);
      chosen.push(...region.blocks);
      total += more;
    }
  }
  return absorbed;
}
