/**
 * Warm code's wasm functions are optimized by V8 only if they run many times. V8 runs a new function in
 * Liftoff's code and optimizes it with TurboFan, on a background thread, once its calls have used up a
 * budget; each exit charges the size of the machine code before it, so a warm case (warm-cases.ts), left
 * through its epilogue at the end, pays its whole size at every call and is optimized after ~900 calls,
 * however few it makes in all. bench/statemachine's run sent 215-290 of its ~599 cases to TurboFan (as
 * their code changed), and its main thread ran no faster for it: main-thread / process CPU, medians of 6
 * interleaved processes, after four other programs in each, 176 / 376 ms, with four times the budget
 * 177 / 276 (twice: 172 / 312 in another set of 7).
 *
 * Until session 18 only a process that runs one program once (rewind run, record, replay) got the larger
 * budget: V8 keeps the module it compiled from the same bytes, with its functions' budgets and TurboFan
 * code, so a second run of the same program in a process runs more of its cases in Liftoff's code (main
 * thread 134 -> 149 ms). Now every process does: in the bench's process (the emulation section's 14
 * programs first, then statemachine, tree, and the warm-up table's three fresh statemachine runs of 5M,
 * 30M and all steps, then jpeg's 5M; single-threaded callgrind, every thread's work counted, two runs
 * each) statemachine's run 1,726-1,800 -> 1,395-1,445M instructions, tree 730-757 -> 664-669M, the
 * warm-up runs 368-474 -> 356-405M (5M steps), 578-626 -> 544-560M (30M) and 798-823 -> 875-910M (the
 * whole run, the fourth in the process: more of its cases still in Liftoff's code, some optimized during
 * it: a cost left for the first run's), jpeg's 5M 211-233 -> 204-220M; twice the budget 1,505,
 * 673, 373, 604, 906 and 206M. Main-thread / process CPU there (medians of 8 interleaved processes, load
 * 8-10, three whole statemachine runs after the 14 programs): the first 161 / 402 -> 157 / 319 ms, the
 * second 121 / 296 -> 138 / 255, the third 110 / 168 -> 125 / 193. On the bench's 2 cores the other
 * threads' work is what made its first run's wall time ~2x its main thread's (bench/README.md, session 18).
 *
 * V8 gives a module's functions their budget when it compiles the module, from the flag
 * --wasm-tiering-budget; so warm modules are compiled with the flag set WARM_BUDGET_FACTOR times higher,
 * and set back at once: the hottest cases still get optimized (24-37 of statemachine's), and every other
 * module (hot regions, which repay TurboFan) keeps V8's budget. Done only where the flag's default is
 * known (V8 11, Node 20) and no budget was given to Node; elsewhere modules compile as they are.
 *
 * Measured and left out (session 11): hot regions kept from TurboFan until they had run T steps (compiled
 * with the largest budget, counting their steps in a global at each exit, then compiled again without
 * the count and with V8's budget). bench/mathlib's 26 regions cost ~190 ms of TurboFan (each compiled
 * alone) and 19 of them ran under 1.2M steps in all, yet `rewind run`'s main thread got 25-70 ms slower
 * (T = 32K to 4M steps: Liftoff's code, the second emit and compile) for 0-55 ms less on other threads:
 * process CPU no lower (mathlib, tree, jpeg; medians of 5-7 interleaved processes).
 */
import { v8FlagSetter } from '../../v8-flags';

/** V8's default --wasm-tiering-budget, by V8 major version (later versions changed it, and its charging). */
const DEFAULT_BUDGETS: Record<string, number> = { 11: 1_800_000 };

/** How many times V8's budget a warm module's functions get. */
const WARM_BUDGET_FACTOR = 4;

type SetFlags = (flags: string) => void;

/** Whether this process runs one program once (expectOneRun), and V8's budget with the way to set it. */
let oneRun = false;
let budget: { readonly budget: number; readonly set: SetFlags } | null | undefined;

/** This process runs one program once and exits: the warm cases' emitter is kept from TurboFan (warm-cases.ts). */
export function expectOneRun(): void {
  oneRun = true;
}

/** Whether this process runs one program once (expectOneRun). */
export function runsOnce(): boolean {
  return oneRun;
}

function knownBudget(): { readonly budget: number; readonly set: SetFlags } | null {
  const host = (globalThis as { process?: NodeJS.Process }).process;
  const value = DEFAULT_BUDGETS[host?.versions?.v8?.split('.')[0] ?? ''];
  // A budget or tiering given to Node: the value to set back is not known here.
  const given = [...host?.execArgv ?? [], host?.env?.NODE_OPTIONS ?? ''].some((a) => a.includes('tiering'));
  const set = v8FlagSetter();
  return value === undefined || given || set === undefined ? null : { budget: value, set };
}

/** Compiles a module of warm code (see above). */
export function compileWarmModule(bytes: Uint8Array): WebAssembly.Module {
  budget ??= knownBudget();
  if (!budget) return new WebAssembly.Module(bytes);
  budget.set(`--wasm-tiering-budget=${budget.budget * WARM_BUDGET_FACTOR}`);
  try {
    return new WebAssembly.Module(bytes);
  } finally {
    budget.set(`--wasm-tiering-budget=${budget.budget}`);
  }
}
