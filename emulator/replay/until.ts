/**
 * What a run stops at, as a value: `engine.run(direction, until, control)` takes one, and nothing about
 * it stays behind in the engine. Two operations (a reverse step, a history query, the GDB stub's
 * continue) therefore never see each other's conditions, and no caller has to restore anything.
 *
 * The machine itself does keep breakpoints and watchpoints (its compiled code is built around them), so
 * `MachineStops` puts a stop set on it only when it differs from the one already there: the same set run
 * after run (a user continuing, a scan in windows) costs nothing.
 */
import { Machine, Watchpoint } from '../machine';
import { Ram } from '../memory/ram';
import { pagesWatched } from '../run/watched-pages';

export type Direction = 'forward' | 'backward';

export interface Until {
  /** Code addresses: stop before the instruction there. */
  readonly breakpoints?: readonly number[];
  /** Data watchpoints: stop after the access going forward, before it going back. */
  readonly watchpoints?: readonly Watchpoint[];
  /** mcause values (interrupts with bit 31): stop after taking such a trap. */
  readonly trapCauses?: readonly number[];
  /** Steps (QEMU's replay-break, any number): stop when the run reaches exactly one of them. */
  readonly stepBreakpoints?: readonly number[];
}

/** Stop at nothing: a run goes to the end of the recording (forward) or step 0 (backward). */
export const NOTHING: Until = {};

/** A stop set ready for the run loop: lookups as sets, step breakpoints sorted. */
export interface PreparedUntil {
  readonly breakpoints: ReadonlySet<number>;
  readonly watchpoints: readonly Watchpoint[];
  readonly trapCauses: readonly number[];
  readonly stepBreakpoints: ReadonlySet<number>;
  readonly sortedSteps: readonly number[];
}

export function prepareUntil(until: Until): PreparedUntil {
  const steps = [...new Set(until.stepBreakpoints ?? [])].sort((a, b) => a - b);
  return {
    breakpoints: new Set((until.breakpoints ?? []).map((a) => a >>> 0)),
    watchpoints: until.watchpoints ?? [],
    trapCauses: [...new Set((until.trapCauses ?? []).map((c) => c >>> 0))],
    stepBreakpoints: new Set(steps),
    sortedSteps: steps,
  };
}

/** The first step breakpoint in `[from, to]`, if any (binary search). */
export function firstStepBreakpoint(until: PreparedUntil, from: number, to: number): number | undefined {
  const s = until.sortedSteps;
  const i = firstAtOrAfter(s, from);
  return i < s.length && s[i] <= to ? s[i] : undefined;
}

/** The last step breakpoint in `[from, end)`, as a hit of a reverse search (a position and its stop), if any. */
export function lastStepBreakpoint(until: PreparedUntil, from: number, end: number): { position: number; stop: { reason: 'stepBreakpoint'; step: number } } | undefined {
  const s = until.sortedSteps;
  const i = firstAtOrAfter(s, end) - 1;
  return i >= 0 && s[i] >= from ? { position: s[i], stop: { reason: 'stepBreakpoint', step: s[i] } } : undefined;
}

/** The index of the first of the ascending `steps` at or after `step` (`steps.length`: none). */
function firstAtOrAfter(steps: readonly number[], step: number): number {
  let lo = 0, hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid] < step) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/**
 * When nothing but writes to watched memory (and step breakpoints) can stop a run: the RAM pages such a
 * write lands in (a hit is a store there, and every store marks its page written). Else undefined.
 */
export function onlyWatchedWrites(until: PreparedUntil, ram: Ram): number[] | undefined {
  if (until.breakpoints.size !== 0 || until.trapCauses.length !== 0 || until.watchpoints.some((w) => w.access !== 'write')) return undefined;
  return pagesWatched(ram, until.watchpoints).written;
}

/** Puts stop sets on a machine, changing only what differs from the set already there. */
export class MachineStops {
  private breakpoints: ReadonlySet<number> = new Set();
  private watchpoints: readonly Watchpoint[] = [];
  private trapCauses: readonly number[] = [];

  constructor(private readonly machine: Machine) {}

  apply(until: PreparedUntil): void {
    if (!sameSet(until.breakpoints, this.breakpoints)) {
      this.machine.setBreakpoints(until.breakpoints);
      this.breakpoints = until.breakpoints;
    }
    // Watchpoints by identity: a watchpoint stop hands back the very object the caller passed.
    if (until.watchpoints.length !== this.watchpoints.length || until.watchpoints.some((w, i) => w !== this.watchpoints[i])) {
      this.machine.setWatchpoints(until.watchpoints);
      this.watchpoints = until.watchpoints;
    }
    if (until.trapCauses.length !== this.trapCauses.length || until.trapCauses.some((c, i) => c !== this.trapCauses[i])) {
      this.machine.setTrapStops(until.trapCauses);
      this.trapCauses = until.trapCauses;
    }
  }
}

function sameSet(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/** True when a run with this stop set can only end at the end of the recording. */
export function nothingStops(until: PreparedUntil): boolean {
  return onlyStepBreakpoints(until) && until.stepBreakpoints.size === 0;
}

/** True when nothing but step breakpoints (if any) is in the stop set: where a run stops is known without running it. */
export function onlyStepBreakpoints(until: PreparedUntil): boolean {
  return until.breakpoints.size === 0 && until.watchpoints.length === 0 && until.trapCauses.length === 0;
}
