/**
 * Holding V8's optimizing compiler (TurboFan) back while code that would not repay it runs: a young
 * process's first steps (run/youth.ts) and the compiles of warm cases (cpu/wasm/warm-cases.ts). Holds
 * nest: V8 optimizes again when the last one ends.
 *
 * Held by asking for ~10^9 ticks before a function is optimized and none for small functions (V8 11 reads
 * both flags at every tick). V8 keeps counting each function's ticks meanwhile, so whatever got hot is
 * marked at its next tick after the hold, if it runs again. Measured and left out:
 * `--max-optimized-bytecode-size=0` (V8 gives a function too large to optimize an interrupt budget of
 * 2^30, which outlives the hold).
 */
import { FlagSetter, v8FlagSetter } from './v8-flags';

const HOLD = '--ticks-before-optimization=1000000000 --max-bytecode-size-for-early-opt=0';
/** V8 11's defaults: V8 checks its flags against a code cache's, and dist/'s is made at an exit. */
const RELEASE = '--ticks-before-optimization=3 --max-bytecode-size-for-early-opt=81';

let setter: FlagSetter | null | undefined;
let holds = 0;

/** The setter, where V8's defaults are known (V8 11) and no tiering flags were given to Node; else null. */
function holdSetter(): FlagSetter | null {
  if (setter !== undefined) return setter;
  const host = (globalThis as { process?: NodeJS.Process }).process;
  // Tiering flags given to Node: the values to set back are not known here.
  // (No regular expression: its first use compiles one, ~0.1-0.4 ms of a start.)
  const given = [...host?.execArgv ?? [], host?.env?.NODE_OPTIONS ?? ''].some((a) => a.includes('ticks') || a.includes('early-opt'));
  setter = host?.versions?.v8?.startsWith('11.') === true && !given ? v8FlagSetter() ?? null : null;
  return setter;
}

/** Holds V8's optimizing back until `releaseOptimizing`; false (and nothing held) where it cannot. */
export function holdOptimizing(): boolean {
  const set = holdSetter();
  if (set === null) return false;
  if (holds++ === 0) set(HOLD);
  return true;
}

/** Ends a hold that `holdOptimizing` returned true for. */
export function releaseOptimizing(): void {
  if (holds === 0 || setter == null) return;
  if (--holds === 0) setter(RELEASE);
}
