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
 */
import { Block } from './block';
import { Region, RegionBlock } from './region';

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
 * `trigger` through candidates and seed blocks, breadth first, while they fit in `max` instructions.
 */
export function connectedBlocks(trigger: Block, seed: readonly Block[], candidates: readonly Block[], max: number): RegionBlock[] {
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
  // Then the page's other hot blocks, most-run first (fewer regions to compile; measured, leaving room
  // for later paths instead ran slower).
  const rest = candidates.filter((b) => !seen.has(b)).sort((a, b) => b.runs - a.runs);
  for (const b of rest) {
    if (instructions + b.pcs.length > max) continue;
    chosen.push(b);
    instructions += b.pcs.length;
  }
  return chosen;
}

/** The region one of `block`'s successors runs in, if any (a loop's region, for a path of it that got hot late). */
export function regionOfSuccessor(block: Block, blockAt: (pc: number) => Block | undefined): Region | undefined {
  for (const pc of successorsOf(block)) {
    const region = blockAt(pc)?.region;
    if (region) return region;
  }
  return undefined;
}
