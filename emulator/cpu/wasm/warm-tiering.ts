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
 * threads' work is what made its first run's wall time ~2x its main thread's (bench/LOG.md, session 18).
 *
 * Since session 25 warm modules never tier up: compiled with lazy compilation, dynamic tiering and
 * tier-up off (set for the compile and set back at once; V8 reads them when it compiles a module, and
 * a lazy function's compile would read --wasm-tier-up again and send it to TurboFan), every function in
 * Liftoff's code with no budget check at its exits (~6 instructions and ~70 bytes of out-of-line code
 * each): bench/statemachine's Liftoff code 398 -> 314 KB; cachegrind --predictable of a fresh `rewind
 * run` 1,882-1,883 -> 1,869M instructions, I1 misses 17.8M -> 16.9M (bench/LOG.md, session 25).
 * Until then a warm module was compiled with 4 times V8's --wasm-tiering-budget: 24-37 of
 * statemachine's cases and its modules' shared chain-ons reached TurboFan (215-290 cases before that).
 * Done only where the flags are known (V8 11, Node 20) and none of them was given to Node; elsewhere
 * modules compile as they are.
 *
 * Measured and left out (session 11): hot regions kept from TurboFan until they had run T steps (compiled
 * with the largest budget, counting their steps in a global at each exit, then compiled again without
 * the count and with V8's budget). bench/mathlib's 26 regions cost ~190 ms of TurboFan (each compiled
 * alone) and 19 of them ran under 1.2M steps in all, yet `rewind run`'s main thread got 25-70 ms slower
 * (T = 32K to 4M steps: Liftoff's code, the second emit and compile) for 0-55 ms less on other threads:
 * process CPU no lower (mathlib, tree, jpeg; medians of 5-7 interleaved processes).
 */
import { v8FlagSetter } from '../../v8-flags';

/** V8 versions whose wasm tiering flags (their names and defaults) are known here (Node 20's V8 11). */
const KNOWN_VERSIONS: Record<string, boolean> = { 11: true };

/** The flags a warm module is compiled with, and the defaults set back at once. */
const WARM_FLAGS = '--no-wasm-lazy-compilation --no-wasm-dynamic-tiering --no-wasm-tier-up';
const DEFAULT_FLAGS = '--wasm-lazy-compilation --wasm-dynamic-tiering --wasm-tier-up';

type SetFlags = (flags: string) => void;

/** Whether this process runs one program once (expectOneRun), and the way to set V8's flags. */
let oneRun = false;
let setter: SetFlags | null | undefined;

/** This process runs one program once and exits: the warm cases' emitter is kept from TurboFan (warm-cases.ts). */
export function expectOneRun(): void {
  oneRun = true;
}

/** Whether this process runs one program once (expectOneRun). */
export function runsOnce(): boolean {
  return oneRun;
}

function knownSetter(): SetFlags | null {
  const host = (globalThis as { process?: NodeJS.Process }).process;
  const known = KNOWN_VERSIONS[host?.versions?.v8?.split('.')[0] ?? ''] === true;
  // Tiering or lazy compilation given to Node: the values to set back are not known here.
  const given = [...host?.execArgv ?? [], host?.env?.NODE_OPTIONS ?? ''].some((a) => a.includes('tier') || a.includes('lazy') || a.includes('liftoff'));
  const set = v8FlagSetter();
  return !known || given || set === undefined ? null : set;
}

/** Compiles a module of warm code (see above). */
export function compileWarmModule(bytes: Uint8Array): WebAssembly.Module {
  setter ??= knownSetter();
  if (!setter) return new WebAssembly.Module(bytes);
  setter(WARM_FLAGS);
  try {
    return new WebAssembly.Module(bytes);
  } finally {
    setter(DEFAULT_FLAGS);
  }
}
