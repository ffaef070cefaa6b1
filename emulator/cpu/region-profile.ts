/**
 * A region profile: the blocks (by start address) of each region of hot code a run had compiled at its
 * end. `rewind record` leaves it in the recording's snapshot index (replay/snapshot-index.ts), and
 * `rewind replay` compiles those regions at its start (compileProfiled): the recording's
 * program has run once already, so its hot code is known. Without a profile a fresh process interprets
 * each hot block for its first HOT_BLOCK_RUNS + HOT_REGION_RUNS runs and forms its region from what got
 * hot by then. Measured with a prototype (cachegrind, `rewind run` with the profile of an earlier run,
 * whole process): mathlib 2,420M -> 2,246M instructions (TurboFan -48M, JIT code -84M: the blocks'
 * interpretation), jpeg 1,511M -> 1,457M; regions compiled in one module instead of one each saved
 * nothing more (2,238M, 1,455M).
 *
 * Compiled as the run loop would compile them: each region's blocks are made hot (their runs count
 * towards a region), then a region is formed around each of them still in none (CodeCache.compileRegionAround),
 * which takes the page's hot blocks it reaches, before the next region's blocks are made hot. Exact
 * whatever the profile holds: blocks are decoded from RAM as it is, and a store into them later drops
 * them as any other.
 */
import { Block, HOT_BLOCK_RUNS } from './block';
import type { CodeCache } from './code-cache';

/** Each region's block starts (guest addresses), in the order the regions are to be compiled. */
export type RegionProfile = ReadonlyArray<readonly number[]>;

/** Regions in a profile at most (a larger one is cut), and blocks in a region. */
export const MAX_PROFILE_REGIONS = 4096;
export const MAX_PROFILE_BLOCKS = 256;

/**
 * The profile of the regions of hot code (not warm cases) that run `blocks` (a block store's, built so
 * far); none for a program whose compiled code is mostly warm cases, which the profile leaves out:
 * bench/statemachine (5 blocks in regions, 1,747 warm cases) replayed +0.8-2.6% instructions with its
 * profile compiled (at step 0 or where youth ends): V8 then optimized the region writer, for nothing.
 */
export function profileOf(blocks: readonly Block[]): number[][] {
  const byRegion = new Map<object, { starts: number[]; hotAt: number }>();
  let hot = 0, warm = 0;
  for (const b of blocks) {
    const region = b.region;
    if (!b.valid || region === null) continue;
    if (region.warm === true) { warm++; continue; }
    hot++;
    const r = byRegion.get(region);
    if (r === undefined) byRegion.set(region, { starts: [b.start], hotAt: b.hotSince });
    else {
      if (r.starts.length < MAX_PROFILE_BLOCKS) r.starts.push(b.start);
      r.hotAt = Math.max(r.hotAt, b.hotSince);
    }
  }
  if (warm > hot) return [];
  // In the order the run compiled them (when their last block got hot), not that of their blocks' builds:
  // a region formed later may take in an earlier one of another page (region-formation.ts regionsAcross),
  // and bench/memory replayed +1.4% instructions with two of its regions the other way round.
  return [...byRegion.values()].sort((a, b) => a.hotAt - b.hotAt).slice(0, MAX_PROFILE_REGIONS).map((r) => r.starts);
}

/**
 * Compiles the regions of `profile` in `cache` now, for a machine whose RAM is `ram`: each region's blocks
 * are made hot (as the run loop's question would after their first HOT_BLOCK_RUNS runs: the first one
 * also runs the warm-ups), then regions are formed around them (a region's first block listed need not
 * reach the rest) before the next region's blocks are hot. With every profile block hot before any
 * region was formed, formation took blocks of several regions into one (bench/branches: 3 regions
 * instead of the run's 6, its replay +15-20% instructions; bench/mathlib got 16 regions and 9 more after
 * their blocks' HOT_REGION_RUNS runs when formed around each region's first block only).
 */
export function compileProfiled(profile: RegionProfile, cache: CodeCache, ram: { readonly base: number; readonly size: number }): void {
  for (const starts of profile) {
    const blocks: Block[] = [];
    for (const pc of starts) {
      if (((pc - ram.base) >>> 0) >= ram.size) continue;
      const b = cache.blockAt(pc);
      if (!b.valid || b.decoded === null || b.breakpoint || b.decoded.includes(undefined) || b.region !== null) continue;
      b.runs = HOT_BLOCK_RUNS;
      cache.compileHotBlock(b);
      if (b.hot) blocks.push(b);
    }
    // Formed before the next region's blocks are hot: a region takes in no other region's blocks.
    for (const b of blocks) if (b.region === null) cache.compileRegionAround(b);
  }
}
