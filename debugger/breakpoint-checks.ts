/**
 * Whether an engine stop is a stop for the user: a breakpoint's condition, hit count and log message
 * (logpoints print and go on), a data breakpoint's condition. Hit counts are counted over the whole
 * recording, in both directions: the Nth execution is the Nth since step 0, wherever travel came from.
 */
import { Control, EngineStop } from '../emulator/replay/engine';
import { evaluateExpression } from './expressions/evaluate';
import { logMessage } from './log-message';
import { numberOf } from './values/value';
import { CancelledError, hitsBetween } from './history-scan';
import { Position } from './position';
import { WatchedValues } from './data-access';
import { AddressBreakpoint, breakpointsAt, dataBreakpointFor, hitConditionHolds, Until } from './stop-conditions';
import { breakpointStop, describeStop, Stop } from './stop';

export class BreakpointChecks {
  /** Per breakpoint: how many times it had executed up to and including `step`. */
  private readonly hitCounts = new Map<number, { step: number; count: number }>();

  constructor(private readonly position: Position, private readonly log: (text: string) => void) {}

  /** The stop to report for an engine stop, or undefined to keep going (a condition that does not hold, a logpoint, a goal address). */
  async judge(stop: EngineStop, until: Until, control: Control, watched?: WatchedValues): Promise<Stop | undefined> {
    const { step, pc } = this.position;
    if (stop.reason === 'breakpoint') {
      const matched: AddressBreakpoint[] = [];
      for (const bp of breakpointsAt(until, stop.address >>> 0)) {
        if (await this.holds(bp, control)) matched.push(bp);
      }
      return matched.length ? breakpointStop(matched, step, pc, this.position.where(stop.address >>> 0), stop) : undefined;
    }
    if (stop.reason === 'watchpoint') {
      const data = dataBreakpointFor(until, stop.watch);
      const access = watched?.access(stop, data);
      if (watched && !access) return undefined; // a store that left the watched bytes as they were
      if (data?.condition && !this.conditionHolds(data.condition)) return undefined;
      return describeStop(stop, step, pc, data, undefined, access);
    }
    return describeStop(stop, step, pc, undefined, this.position.exitStatus());
  }

  private async holds(bp: AddressBreakpoint, control: Control): Promise<boolean> {
    if (bp.condition && !this.conditionHolds(bp.condition)) return false;
    if (bp.hitCondition) {
      let holds: boolean;
      try {
        holds = hitConditionHolds(bp.hitCondition, await this.hitNumber(bp, control));
      } catch (e) {
        if (e instanceof CancelledError) throw e;
        this.log(`breakpoint hit count: ${(e as Error).message}\n`);
        return true;
      }
      if (!holds) return false;
    }
    if (bp.logMessage) {
      // Hits in the recording were all printed when the logpoint was set (retroactive logpoints); only
      // new history, at the frontier of a live session, prints here.
      const engine = this.position.engine;
      if (engine.live && engine.step >= engine.lastStep) this.log(`${logMessage(this.position.valueContext(), bp.logMessage)}\n`);
      return false;
    }
    return true;
  }

  /** A condition that cannot be evaluated stops (and says why), rather than being silently skipped. */
  conditionHolds(condition: string): boolean {
    const ctx = this.position.valueContext();
    try {
      return (numberOf(ctx, evaluateExpression(ctx, condition)) ?? 0) !== 0;
    } catch (e) {
      this.log(`breakpoint condition "${condition}" cannot be evaluated: ${(e as Error).message}\n`);
      return true;
    }
  }

  /** Which execution of `bp` this is, counted from the start of the recording (1 = the first). */
  async hitNumber(bp: AddressBreakpoint, control: Control = {}): Promise<number> {
    const engine = this.position.engine;
    const here = engine.step;
    const cached = this.hitCounts.get(bp.id);
    const from = cached && cached.step < here ? cached.step : 0;
    const hits = await hitsBetween(engine, from, here, bp.addresses, () => undefined, control);
    const count = (cached && cached.step < here ? cached.count + hits.filter((h) => h.step > cached.step).length : hits.length) + 1;
    await engine.seek(here);
    this.hitCounts.set(bp.id, { step: here, count });
    return count;
  }
}
