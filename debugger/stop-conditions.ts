/**
 * Stop conditions as values. `Until` is what a travel operation stops at (the core's `run` takes one):
 * the user's breakpoints with their conditions, data breakpoints, trap causes, step breakpoints, and a
 * statement or frame goal. `StopConditions` is the user's current set (line, function, instruction and
 * data breakpoints, exception filters), which `until()` turns into such a value. Conditions, hit
 * conditions and log messages are checked by the core when the engine stops at one of these addresses.
 */
import { Watchpoint } from '../emulator/machine';
import { TypeInfo } from './symbols/api';
import { Until as EngineUntil } from '../emulator/replay/engine';

export type BreakpointKind = 'line' | 'function' | 'instruction';

export interface AddressBreakpoint {
  id: number;
  kind: BreakpointKind;
  addresses: number[];
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
}

export interface DataBreakpoint {
  id: number;
  watch: Watchpoint;
  /** What the user put the breakpoint on (an expression or an address), for stop descriptions. */
  label: string;
  /** The expression's type, to show old and new values as values (bytes in hex without it). */
  type?: TypeInfo;
  condition?: string;
}

/** Exception filters offered in the Breakpoints view, each a set of mcause values. */
export const EXCEPTION_FILTERS = [
  { filter: 'illegal', label: 'Illegal instruction', causes: [2], default: false },
  { filter: 'misaligned', label: 'Misaligned access', causes: [0, 4, 6], default: false },
  { filter: 'ecall', label: 'Environment call (ecall)', causes: [8, 9, 11], default: false },
  { filter: 'breakpoint', label: 'Breakpoint trap (ebreak)', causes: [3], default: false },
  // A bad pointer: a load, store or fetch where nothing is (access fault), or a page the MMU refuses.
  { filter: 'access', label: 'Access fault or page fault (bad pointer)', causes: [1, 5, 7, 12, 13, 15], default: false },
] as const;

/**
 * A statement or frame condition: extra addresses to stop at, and whether a stop at one of them ends
 * the operation (the next statement of this frame, the return to the caller, ...).
 */
export interface StepGoal {
  readonly addresses: readonly number[];
  reached(pc: number): boolean;
}

/** What a travel operation stops at. Every field is optional: `{}` runs to the end (or the start). */
export interface Until {
  readonly breakpoints?: readonly AddressBreakpoint[];
  readonly dataBreakpoints?: readonly DataBreakpoint[];
  readonly trapCauses?: readonly number[];
  readonly stepBreakpoints?: readonly number[];
  readonly goal?: StepGoal;
}

/** The engine's part of a stop set: addresses, watchpoints, causes and steps, without conditions. */
export function engineUntil(until: Until): EngineUntil {
  const addresses = (until.breakpoints ?? []).flatMap((b) => b.addresses);
  return {
    breakpoints: [...new Set([...addresses, ...(until.goal?.addresses ?? [])])],
    watchpoints: (until.dataBreakpoints ?? []).map((d) => d.watch),
    trapCauses: until.trapCauses,
    stepBreakpoints: until.stepBreakpoints,
  };
}

/** Whether a stop set has anything of the user's in it (a statement step without them needs no second look). */
export function hasUserStops(until: Until): boolean {
  return (until.breakpoints?.length ?? 0) + (until.dataBreakpoints?.length ?? 0) + (until.trapCauses?.length ?? 0) + (until.stepBreakpoints?.length ?? 0) > 0;
}

export class StopConditions {
  private nextId = 1;
  private readonly lineBreakpoints = new Map<string, AddressBreakpoint[]>();
  private functionBreakpoints: AddressBreakpoint[] = [];
  private instructionBreakpoints: AddressBreakpoint[] = [];
  dataBreakpoints: DataBreakpoint[] = [];
  trapCauses: number[] = [];

  newId(): number {
    return this.nextId++;
  }

  setLineBreakpoints(file: string, list: AddressBreakpoint[]): void {
    this.lineBreakpoints.set(file, list);
  }
  setFunctionBreakpoints(list: AddressBreakpoint[]): void {
    this.functionBreakpoints = list;
  }
  setInstructionBreakpoints(list: AddressBreakpoint[]): void {
    this.instructionBreakpoints = list;
  }

  all(): AddressBreakpoint[] {
    return [...[...this.lineBreakpoints.values()].flat(), ...this.functionBreakpoints, ...this.instructionBreakpoints];
  }

  addresses(): number[] {
    return [...new Set(this.all().flatMap((b) => b.addresses))];
  }

  /** The user's breakpoints, data breakpoints and exception filters as a stop set (a copy: later changes do not reach it). */
  until(): Until {
    return { breakpoints: this.all(), dataBreakpoints: [...this.dataBreakpoints], trapCauses: [...this.trapCauses] };
  }
}

/** The breakpoints of a stop set at an address. */
export function breakpointsAt(until: Until, address: number): AddressBreakpoint[] {
  return (until.breakpoints ?? []).filter((b) => b.addresses.includes(address));
}

/** The data breakpoint of a stop set that a watchpoint stop came from. */
export function dataBreakpointFor(until: Until, watch: Watchpoint): DataBreakpoint | undefined {
  const list = until.dataBreakpoints ?? [];
  return list.find((d) => d.watch === watch)
    ?? list.find((d) => d.watch.address === watch.address && d.watch.length === watch.length && d.watch.access === watch.access);
}

/**
 * Whether a hit condition holds for the `count`-th execution: "5" or "== 5" (exactly the fifth),
 * ">= 5", "> 5", "< 5", "<= 5", "% 5" (every fifth).
 */
export function hitConditionHolds(condition: string, count: number): boolean {
  const m = /^\s*(==|>=|<=|>|<|%)?\s*(\d+)\s*$/.exec(condition);
  if (!m) throw new Error(`the hit count "${condition}" is not understood; write a number (the Nth hit), or >= N, > N, < N, <= N, == N, % N`);
  const n = Number(m[2]);
  switch (m[1]) {
    case '>=': return count >= n;
    case '>': return count > n;
    case '<': return count < n;
    case '<=': return count <= n;
    case '%': return n > 0 && count % n === 0;
    default: return count === n;
  }
}
