/**
 * A young process: `rewind run`, `record` and `replay` hold V8's optimizing compiler back for their
 * program's first YOUTH_STEPS steps. V8 marks the block interpreter's `runBlock` (a loop over one large
 * switch) for TurboFan within its first few thousand turns, mostly those of the warm-ups
 * (cpu/interpreter-warm-up.ts); the compile takes ~90M instructions of a worker thread, and a process
 * that ends meanwhile waits for it at its exit. A program of a few thousand steps (the riscv-tests) ends
 * long before that code could pay for itself. V8 keeps counting each function's ticks while the hold
 * lasts, so at its end whatever had got hot is marked at its next tick, as it would have been.
 *
 * Held as v8-hold.ts says. Measured and left out: the warm-ups deferred to the end of youth (their
 * feedback restarts runBlock's ticks: bench/softfloat +2-6% instructions), a longer youth (20K steps, which would take in examples/hello: softfloat +3-6%,
 * statemachine +1-2%, mathlib and qrcode +1%).
 */
import { holdOptimizing, releaseOptimizing } from '../v8-hold';

/**
 * Steps of youth: the riscv-tests' `-p` programs run a few hundred to ~6.3K (rv32ua lrsc: 1000 turns of
 * an lr/sc loop).
 */
export const YOUTH_STEPS = 8192;

/**
 * The step at which the run loop (run-loop.ts) ends a slice, where youth ends: Infinity when the process
 * is not young, or while a scratch machine runs (besideYouth).
 */
export const youth = { end: Infinity };

/** Whether the process is young (V8's optimizing held for it). */
let young = false;

/** For a process that runs one program once: holds V8's optimizing while the program is young. */
export function holdOptimizingWhileYoung(): void {
  const host = (globalThis as { process?: NodeJS.Process }).process;
  if (young || host === undefined || !holdOptimizing()) return;
  young = true;
  youth.end = YOUTH_STEPS;
  // Before the code cache is written (cli/cached-bundle.ts listens first).
  host.prependOnceListener('exit', growUp);
}

/** The end of youth: V8 optimizes again (the run loop's call at YOUTH_STEPS, or the process's exit). */
export function growUp(): void {
  if (!young) return;
  young = false;
  releaseOptimizing();
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
