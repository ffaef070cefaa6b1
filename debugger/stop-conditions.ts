/**
 * The user's stop conditions as the session knows them (line, function, instruction and data
 * breakpoints, exception filters), and how they are put on the engine. Conditions, hit conditions and
 * log messages are checked by the travel code when the engine stops at one of these addresses.
 */
import { Watchpoint } from '../emulator/machine';
import { ReplayEngine } from '../emulator/replay/engine';

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
  condition?: string;
}

/** Exception filters offered in the Breakpoints view, each a set of mcause values. */
export const EXCEPTION_FILTERS = [
  { filter: 'illegal', label: 'Illegal instruction', causes: [2], default: false },
  { filter: 'misaligned', label: 'Misaligned access', causes: [0, 4, 6], default: false },
  { filter: 'ecall', label: 'Environment call (ecall)', causes: [8, 9, 11], default: false },
  { filter: 'breakpoint', label: 'Breakpoint trap (ebreak)', causes: [3], default: false },
] as const;

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

  at(address: number): AddressBreakpoint[] {
    return this.all().filter((b) => b.addresses.includes(address));
  }

  dataBreakpointFor(watch: Watchpoint): DataBreakpoint | undefined {
    return this.dataBreakpoints.find((d) => d.watch === watch)
      ?? this.dataBreakpoints.find((d) => d.watch.address === watch.address && d.watch.length === watch.length && d.watch.access === watch.access);
  }

  /** Puts the user's conditions on the engine, plus `extraAddresses` (temporary stepping breakpoints). */
  apply(engine: ReplayEngine, extraAddresses: number[] = []): void {
    engine.setBreakpoints([...new Set([...this.addresses(), ...extraAddresses])]);
    engine.setWatchpoints(this.dataBreakpoints.map((d) => d.watch));
    engine.setTrapStops(this.trapCauses);
  }
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
