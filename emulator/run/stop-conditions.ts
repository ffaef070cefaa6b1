/**
 * Stop conditions of a run: code breakpoints, data watchpoints, trap stops, and the stop that a check
 * met during the current step (the run loop returns it once the step completes). The checks are cheap
 * when nothing is set: the run loop asks `breakpoints.size` first, loads ask only while reads are
 * watched (machine.ts compiles that test in), stores only on pages the RAM write barrier marks.
 *
 * Which RAM pages are watched, and recompiling code when that changes, is the machine's business
 * (machine.ts); this file only decides whether an access or a trap is a hit.
 */
import { StopReason, Watchpoint } from './stop-reason';

export class StopConditions {
  /** Code breakpoints: the machine stops before executing an instruction at one of these addresses. */
  readonly breakpoints = new Set<number>();
  watchpoints: Watchpoint[] = [];
  /** mcause values to stop after. */
  readonly trapStops = new Set<number>();
  /** A stop condition met during the current step. */
  pending: StopReason | null = null;
  /** False while a run passes stop conditions by (a seek). */
  on = true;
  /** A breakpoint at the pc where a run starts does not stop that run: it is where the last one stopped. */
  runStartStep = -1;

  /** Replaces the code breakpoints; returns the addresses where one came or went. */
  setBreakpoints(addresses: Iterable<number>): number[] {
    const breakpoints = this.breakpoints;
    const wanted = new Set<number>();
    for (const a of addresses) wanted.add(a >>> 0);
    const changed = [...wanted].filter((a) => !breakpoints.has(a)).concat([...breakpoints].filter((a) => !wanted.has(a)));
    breakpoints.clear();
    for (const a of wanted) breakpoints.add(a);
    return changed;
  }

  /** Replaces the mcause values to stop after. */
  setTrapStops(causes: Iterable<number>): void {
    this.trapStops.clear();
    for (const c of causes) this.trapStops.add(c >>> 0);
  }

  /** A new run starts at `step`. */
  begin(step: number, ignoreBreakpointHere: boolean, on: boolean): void {
    this.on = on;
    this.runStartStep = ignoreBreakpointHere ? step : -1;
    this.pending = null;
  }

  /** Whether the run must stop before executing the instruction at `pc` with `step` steps taken. */
  breakpointAt(pc: number, step: number): boolean {
    return this.on && this.breakpoints.size !== 0 && this.breakpoints.has(pc) && step !== this.runStartStep;
  }

  /** The pending stop, cleared. */
  take(): StopReason {
    const stop = this.pending!;
    this.pending = null;
    return stop;
  }

  /** Records a hit if the access matches a watchpoint; returns whether it did. */
  checkWatchpoints(address: number, size: number, access: 'read' | 'write', pc: number, hitStep: () => number): boolean {
    if (!this.on) return false;
    for (const w of this.watchpoints) {
      if (w.access !== 'readWrite' && w.access !== access) continue;
      if (address + size <= w.address || address >= w.address + w.length) continue;
      if (this.pending === null) this.pending = { kind: 'watchpoint', address, size, access, pc, hitStep: hitStep(), watch: w };
      return true;
    }
    return false;
  }

  /** Records a trap stop if the run stops at traps with this cause. */
  trapTaken(mcause: number, pc: number, hitStep: () => number): void {
    if (this.on && this.trapStops.size !== 0 && this.trapStops.has(mcause >>> 0) && this.pending === null) {
      this.pending = { kind: 'trap', mcause: mcause >>> 0, pc, hitStep: hitStep() };
    }
  }
}
