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
  let instructions = seed.reduce((sum, b) => sum + b.pcs.length, 0);
  const seen = new Set<Block>([trigger]);
  const queue: Block[] = [trigger];
  for (let i = 0; i < queue.length; i++) {
    const b = queue[i];
    if (!inSeed.has(b)) {
      if (instructions + b.pcs.length > max) continue;
      chosen.push(b);
      instructions += b.pcs.length;
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
  return rest.length === 0 ? chosen : wholeParts(chosen, parts(rest.reduce((a, b) => (b.runs > a.runs ? b : a)), rest), fill);
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
  const hotParts = parts(block, candidates);
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
  let instructions = size(chosen);
  for (const part of parts) {
    const more = size(part);
    if (instructions + more > max) continue;
    chosen.push(...part);
    instructions += more;
  }
  return chosen;
}

/** Instructions in `blocks`. */
export function size(blocks: readonly RegionBlock[]): number {
  return blocks.reduce((sum, b) => sum + b.pcs.length, 0);
}

/**
 * The connected parts of `candidates` (which include `hot`), through edges within functions followed
 * both ways: hot's part first, then the others by their most-run block. In each, the blocks in the
 * order they are reached from its first block, always taking the most-run block next to those taken.
 */
export function parts(hot: Block, candidates: readonly Block[]): Block[][] {
  const byStart = new Map(candidates.map((b) => [b.start, b]));
  const neighbours = new Map<Block, Block[]>(candidates.map((b) => [b, []]));
  for (const b of candidates) {
    for (const to of withinFunction(b)) {
      const target = byStart.get(to);
      if (target === undefined || target === b) continue;
      neighbours.get(b)!.push(target);
      neighbours.get(target)!.push(b);
    }
  }
  const reached = new Set<Block>();
  const grow = (first: Block): Block[] => {
    const part: Block[] = [];
    const frontier = new Set<Block>([first]);
    while (frontier.size > 0) {
      let best = first;
      let bestRuns = -1;
      for (const b of frontier) if (b.runs > bestRuns) { best = b; bestRuns = b.runs; }
      frontier.delete(best);
      reached.add(best);
      part.push(best);
      for (const n of neighbours.get(best) ?? []) if (!reached.has(n)) frontier.add(n);
    }
    return part;
  };
  const all = [grow(hot)];
  for (const b of [...candidates].sort((a, c) => c.runs - a.runs)) if (!reached.has(b)) all.push(grow(b));
  return all;
}

/**
 * Where control goes after `block`, for `parts`: a branch's two ways, a jump's target, a direct call's
 * callee and the block after the call, the last two targets of a jump through a register. A return's
 * caller and a call through a pointer's callee are left out: followed both ways, they would join every
 * function that calls another of the page into one part, too big for a region, which is then cut.
 */
function withinFunction(block: Block): number[] {
  const decoded = block.decoded;
  const last = decoded?.[decoded.length - 1];
  if (last?.spec.name === 'jal') return last.rd !== 0 ? [block.taken, block.end] : [block.taken];
  if (last?.spec.name === 'jalr') {
    // A call through a pointer comes back after it; a jump through a register (a `switch`'s table, a
    // tail call) goes where it went the last two times; a return leaves the function.
    if (last.rd !== 0) return [block.end];
    return last.rs1 === RA ? [] : [block.successor?.start ?? 0, block.otherSuccessor?.start ?? 0];
  }
  return [block.taken, block.end];
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
export function regionCandidates(pageBlocks: ReadonlyArray<readonly Block[] | undefined>, firstPage: number, pages: number, ramBase: number): Block[] {
  const found: Block[] = [];
  for (let page = firstPage; page < firstPage + pages; page++) {
    for (const b of pageBlocks[page] ?? []) {
      if (((b.start - ramBase) >>> 0) >>> PAGE_SHIFT === page && b.valid && (b.region === null || b.region.warm === true) &&
        b.runs >= HOT_BLOCK_RUNS && !b.breakpoint && b.decoded !== null) found.push(b);
    }
  }
  // In address order, as the table of block starts gave them: formation takes the nearest first.
  return found.sort((a, b) => a.start - b.start);
}

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
  let instructions = size(chosen);
  for (let i = 0; i < chosen.length; i++) {
    for (const pc of successorsOf(chosen[i] as Block)) {
      if (((pc - ramBase) >>> 0) >>> shift === group) continue;
      const region = blockAt(pc)?.region;
      if (region === undefined || region === null || region.warm === true || absorbed.includes(region)) continue;
      const more = size(region.blocks);
      if (instructions + more > max || !region.blocks.every((b) => b.valid && b.region === region)) continue;
      absorbed.push(region);
      chosen.push(...region.blocks);
      instructions += more;
    }
  }
  return absorbed;
}
