/**
 * Where a wasm region (wasm-region.ts) checks that the run slice has room for what it runs next, and for
 * how many steps. Every block used to check that it fitted, at its start: a branch and an exit to the
 * run loop per block, which V8's optimizing compiler paid for at each (every exit carries every
 * register the region holds to the merge before the epilogue). Now the dispatch checks (every entry and
 * every jump back goes through it), and so do a block that loops on itself (at each turn) and the
 * blocks where a path forward from a check would grow past ROOM_STEPS. From a check, control runs
 * through blocks in the order of their starts (a jump to a later block is a branch forward; anything
 * else goes back through the dispatch or leaves) until the next check, so the check asks for the
 * longest such path: if the slice has no room for it, the region leaves there, at a block's start,
 * with the steps exact, and the run loop's interpreter runs what is left of the slice (at most
 * ROOM_STEPS, or one block if longer). The run loop enters a region only with room for its entry's
 * check (Region.room), so a slice's last steps cost no entry that takes none.
 * Measured (TurboFan's CPU time compiling each run's modules alone, medians of 8-12 interleaved sets):
 * bench/mathlib 189-197 -> 142-158 ms, softfloat 131-140 -> 110-119, tree 129-148 -> 112-117, kernel
 * 125 -> 107, wasm 8-14% smaller; with checks at the dispatch and loops only (no ROOM_STEPS), -25-35%,
 * but bench/rtos (a slice end at every tick) ran 8-12% slower in a steady process, at 32 steps 3-8%.
 */
import { RegionBlock } from '../region';
import { branchTarget } from './region-registers';

/**
 * The most steps a path may take between two checks: fewer checks make a region's code smaller and
 * quicker to optimize, more leave fewer steps to the interpreter where a slice ends (every timer tick
 * of a kernel: bench/rtos ends a slice every ~4,000 steps; at 16 its steady state is as before).
 */
export const ROOM_STEPS = 16;

export interface SliceRoom {
  /** For each block (by start): the steps its check asks for, if it has one (0 where it has none). */
  readonly checks: Int32Array;
  /** The steps the dispatch asks for (0: no check there, every block checks itself). */
  readonly dispatch: number;
  /** The most any entry's first check asks for (Region.room). */
  readonly entry: number;
}

/** Numbers a region's blocks: the block that starts at `pc` (its index by start), or -1 (RegionWriter). */
export interface Cases { caseAt(pc: number): number }

/**
 * Where `sorted`'s blocks (`cases` numbers them) check, and for how many steps; `loopsOnItself[j]` says
 * which blocks loop on themselves; `targets` and `ends`, if given, each block's branchTarget and end,
 * which the caller has worked out (a kindOf and a heap number each, and a getter's call, in cold code).
 * A block's successors are over-approximated (the next instruction and, for a branch or jump, its
 * target), which can only make a bound larger. (A method and arrays, not closures: regionFunction made
 * two closures and a context for every warm case, and each question was two calls; bench/LOG.md,
 * session 30.)
 */
export function sliceRoom(sorted: readonly RegionBlock[], cases: Cases, loopsOnItself: ArrayLike<boolean>,
  targets?: ArrayLike<number>, ends?: ArrayLike<number>): SliceRoom {
  const n = sorted.length;
  if (n > ahead.length) { ahead = new Int32Array(2 * n); checked = new Uint8Array(2 * n); }
  // A loop, not `fill` (a C++ builtin, through V8's runtime entry, for the 1-6 blocks of a warm case).
  for (let j = 0; j < n; j++) checked[j] = 0;
  for (let j = n - 1; j >= 0; j--) {
    const block = sorted[j];
    const count = block.decoded!.length;
    let most = onward(sorted, j, cases.caseAt(ends !== undefined ? ends[j] : block.end), 0);
    const target = targets !== undefined ? targets[j] : branchTarget(block, block.end);
    if (target >= 0) most = onward(sorted, j, cases.caseAt(target), most);
    ahead[j] = count + most;
    if (loopsOnItself[j]) checked[j] = 1;
  }
  const checks = new Int32Array(n);
  let dispatch = 0;
  let entry = 0;
  for (let j = 0; j < n; j++) {
    if (checked[j] !== 0) checks[j] = ahead[j];
    else if (ahead[j] > dispatch) dispatch = ahead[j];
    if (ahead[j] > entry) entry = ahead[j];
  }
  return { checks, dispatch, entry };
}

/**
 * For each block of the region being looked at (sliceRoom, which runs for every region and warm case:
 * arrays of its own for each were a third of a warm case's garbage): the most steps from its start to
 * the next check (or out of the region), the block included, and whether it checks.
 */
let ahead = new Int32Array(64);
let checked = new Uint8Array(64);

/** `most`, or the steps on from block t after block j (case -1: none), if j goes on to t without a check. */
function onward(sorted: readonly RegionBlock[], j: number, t: number, most: number): number {
  if (t <= j || checked[t] !== 0) return most;
  if (sorted[j].decoded!.length + ahead[t] > ROOM_STEPS) { checked[t] = 1; return most; }
  return ahead[t] > most ? ahead[t] : most;
}
