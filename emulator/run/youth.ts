/**
 * A young process: `rewind run`, `record` and `replay` hold V8's optimizing compiler back for their
 * program's first YOUTH_STEPS steps. V8 marks the block interpreter's `runBlock` (a loop over one large
 * switch) for TurboFan within its first few thousand turns, mostly those of the warm-ups
 * (cpu/interpreter-warm-up.ts); the compile takes ~90M instructions of a worker thread, and a process
 * that ends meanwhile waits for it at its exit. A program of a few thousand steps (the riscv-tests) ends
 * long before that code could pay for itself. V8 keeps counting each function's ticks while the hold
 * lasts, so at its end whatever had got hot is marked at its next tick, as it would have been.
 *
 * Held by asking for ~10^9 ticks before a function is optimized and none for small functions (V8 11 reads
 * both flags at every tick). Measured and left out: `--max-optimized-bytecode-size=0` (V8 gives a
 * function too large to optimize an interrupt budget of 2^30, which outlives the hold), the warm-ups
 * deferred to the end of youth (their feedback restarts runBlock's ticks: bench/softfloat +2-6%
 * instructions), a longer youth (20K steps, which would take in examples/hello: softfloat +3-6%,
 * statemachine +1-2%, mathlib and qrcode +1%).
 */
import { FlagSetter, v8FlagSetter } from '../v8-flags';

/**
 * Steps of youth: the riscv-tests' `-p` programs run a few hundred to ~6.3K (rv32ua lrsc: 1000 turns of
 * an lr/sc loop).
 */
export const YOUTH_STEPS = 8192;

const HOLD = '--ticks-before-optimization=1000000000 --max-bytecode-size-for-early-opt=0';
/** V8 11's defaults: V8 checks its flags against a code cache's, and dist/'s is made at an exit. */
const RELEASE = '--ticks-before-optimization=3 --max-bytecode-size-for-early-opt=81';

/**
 * The step at which the run loop (run-loop.ts) ends a slice, where youth ends: Infinity when the process
 * is not young, or while a scratch machine runs (besideYouth).
 */
export const youth = { end: Infinity };

/** How to let V8 optimize again, while the process is young. */
let release: FlagSetter | undefined;

/** For a process that runs one program once: holds V8's optimizing while the program is young. */
export function holdOptimizingWhileYoung(): void {
  const host = (globalThis as { process?: NodeJS.Process }).process;
  if (release !== undefined || host?.versions?.v8?.startsWith('11.') !== true) return;
  // Tiering flags given to Node: the values to set back are not known here.
  if ([...host.execArgv, host.env.NODE_OPTIONS ?? ''].some((a) => /ticks|early-opt/.test(a))) return;
  const set = v8FlagSetter();
  if (set === undefined) return;
  set(HOLD);
  release = set;
  youth.end = YOUTH_STEPS;
  // Before the code cache is written (cli/cached-bundle.ts listens first).
  host.prependOnceListener('exit', growUp);
}

/** The end of youth: V8 optimizes again (the run loop's call at YOUTH_STEPS, or the process's exit). */
export function growUp(): void {
  if (release === undefined) return;
  release(RELEASE);
  release = undefined;
  youth.end = Infinity;
}

/**
 * Runs `f`, which runs machines of its own (the warm-ups' scratch machines, whose step counts jump by
 * millions), without ending youth.
 */
export function besideYouth<T>(f: () => T): T {
  const end = youth.end;
  youth.end = Infinity;
  try {
    return f();
  } finally {
    youth.end = end;
  }
}
