/**
 * When and how big regions of hot code are made (region.ts RegionPolicy), for CodeCache.
 *
 * Regions of one page, small enough for V8's optimizing compiler. The same for both region compilers:
 * wasm compiles in microseconds with Liftoff, but V8 then optimizes the hot functions with TurboFan in
 * the background, in time superlinear in their size as for JavaScript. Measured on the bench programs
 * (CPU time, 2 cores shared with other work), wasm regions of whole 64 KiB groups, of 512 instructions,
 * or made sooner (after 64 runs, or from warm code without HOT_REGION_WINDOW) all ran slower than these.
 * Why warm code loses: V8 (11.3) optimizes a wasm function once its calls have used up a budget, and
 * charges each return and loop back edge the size of the machine code before it (up to a quarter of the
 * budget), not the code that ran; so a region of a page's warm blocks is optimized after a few dozen
 * calls, whatever little of it each call runs (bench/bigcode: 84 of 104 such regions, 22 s of TurboFan). With
 * that held back (a larger `--wasm-tiering-budget`, which would apply to every module in the process),
 * Liftoff's code for bigcode still ran no faster than the block interpreter, once compiled. Nor as warm
 * cases (Liftoff only) of the blocks the chain returns to, after 256 runs: bigcode 3,707 -> 4,624M
 * instructions (`rewind run`, cachegrind), the emitter's ~19K host instructions a guest instruction
 * against ~54 saved a step in wasm, for code that runs 256-1,024 times in all (bench/LOG.md, session 30).
 */
import { HOT_REGION_RUNS, HOT_REGION_WINDOW } from './block';
import { MAX_CUT_REGION_INSTRUCTIONS, MAX_REGION_COMPILES, MAX_REGION_GROWTHS, MAX_REGION_INSTRUCTIONS, REGION_SHIFT, RegionPolicy } from './region';

export const REGION_POLICY: RegionPolicy = {
  shift: REGION_SHIFT, maxInstructions: MAX_REGION_INSTRUCTIONS, maxCutInstructions: MAX_CUT_REGION_INSTRUCTIONS, maxGrowths: MAX_REGION_GROWTHS,
  maxCompiles: MAX_REGION_COMPILES, hotRuns: HOT_REGION_RUNS, window: HOT_REGION_WINDOW,
};
