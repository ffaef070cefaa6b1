/**
 * The reference for every search: one forward pass over a straight run that notes each position where
 * a stop condition holds. A breakpoint holds at a position whose pc is a breakpoint address (before
 * that instruction runs); a watchpoint or a trap stop holds at the position just before the step that
 * accessed the memory or took the trap.
 */
import { Machine, Watchpoint } from '../../emulator/machine';
import { Until } from '../../emulator/replay/engine';
import { Program } from './programs';
import { straightMachine } from './record';

export interface Conditions {
  breakpoints?: number[];
  watchpoints?: Watchpoint[];
  trapStops?: number[];
}

export type HitKind = 'breakpoint' | 'watchpoint' | 'trap';

export interface Hit {
  position: number;
  kind: HitKind;
}

/** The conditions as the engine takes them: a stop set for each run. */
export function untilOf(c: Conditions, stepBreakpoints: number[] = []): Until {
  return { breakpoints: c.breakpoints, watchpoints: c.watchpoints, trapCauses: c.trapStops, stepBreakpoints };
}

export function applyConditions(target: Machine, c: Conditions): void {
  target.setBreakpoints(c.breakpoints ?? []);
  target.setWatchpoints(c.watchpoints ?? []);
  target.setTrapStops(c.trapStops ?? []);
}

/** Every hit of a straight run from step 0 to `lastStep`, in order. */
export function forwardScan(program: Program, conditions: Conditions, lastStep: number): Hit[] {
  const machine: Machine = straightMachine(program);
  applyConditions(machine, conditions);
  const hits: Hit[] = [];
  // The first run may stop at a breakpoint at step 0; after a breakpoint stop, resuming passes it by;
  // after a watchpoint or trap stop, a breakpoint at the new position still counts.
  let passBreakpointHere = false;
  while (machine.step < lastStep) {
    const r = machine.run(lastStep - machine.step, passBreakpointHere, true);
    passBreakpointHere = false;
    if (r.kind === 'breakpoint') {
      hits.push({ position: machine.step, kind: 'breakpoint' });
      passBreakpointHere = true;
    } else if (r.kind === 'watchpoint' || r.kind === 'trap') {
      hits.push({ position: r.hitStep, kind: r.kind === 'trap' ? 'trap' : 'watchpoint' });
    } else {
      break;
    }
  }
  return hits;
}
