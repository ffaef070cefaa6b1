/**
 * The runtime behind the DAP session: every way of moving through the recording, forwards and
 * backwards, at instruction and statement granularity, with the user's breakpoints (and their
 * conditions and hit counts) honoured in both directions. It knows nothing of DAP beyond the `Stop` it
 * returns; the session only translates.
 */
import { basename } from 'node:path';
import { Control, EngineStop, ReplayEngine } from '../emulator/replay/engine';
import { Frame, ProgramSymbols } from '../debugger/symbols/api';
import { machineView } from '../debugger/machine-view';
import { Statements } from '../debugger/statements';
import { AddressBreakpoint, hitConditionHolds, StopConditions } from '../debugger/stop-conditions';
import { breakpointStop, describeStop, Stop, stepStop } from './stops';
import { CancelledError, Hit, hitsBetween, searchBackward } from '../debugger/history-scan';
import { evaluateExpression } from '../debugger/expressions/evaluate';
import { numberOf } from '../debugger/values/value';
import { formatValue } from '../debugger/values/format';

export type Direction = 'forward' | 'backward';

/** Where one statement-level position is: the function instance (by CFA) and the line. */
interface Place {
  fn?: number;
  cfa?: number;
  line?: number;
}

export class TravelError extends Error {}

export class Travel {
  private cancelRequested = false;
  /** Per breakpoint: how many times it had executed up to and including `step`. */
  private readonly hitCounts = new Map<number, { step: number; count: number }>();
  /** Temporary breakpoint addresses of the stepping operation under way. */
  private extra: number[] = [];
  readonly view;

  constructor(
    readonly engine: ReplayEngine,
    readonly conditions: StopConditions,
    readonly symbols: ProgramSymbols | undefined,
    readonly statements: Statements | undefined,
    /** Logpoint messages and condition errors go to the Debug Console. */
    private readonly log: (text: string) => void,
    private readonly onProgress: (done: number, total: number) => void = () => undefined,
  ) {
    this.view = machineView(engine.machine);
  }

  get step(): number {
    return this.engine.step;
  }

  /** Stops the operation under way at its next slice (pause, or cancel of its progress). */
  cancel(): void {
    this.cancelRequested = true;
  }

  private control(): Control {
    return { cancelled: () => this.cancelRequested, progress: (done, total) => this.onProgress(done, total) };
  }

  /** Runs an operation; a cancelled one reports a pause where it left the engine. */
  private async operation(run: () => Promise<Stop>): Promise<Stop> {
    this.cancelRequested = false;
    try {
      return await run();
    } catch (e) {
      if (e instanceof CancelledError) return describeStop({ reason: 'cancelled' }, this.step);
      throw e;
    } finally {
      this.extra = [];
      this.restore();
    }
  }

  private restore = (): void => this.conditions.apply(this.engine, this.extra);

  // ---- continue ----

  continue(direction: Direction): Promise<Stop> {
    return this.operation(async () => {
      for (;;) {
        const stop = await this.run(direction);
        const user = await this.userStop(stop);
        if (user) return user;
      }
    });
  }

  private run(direction: Direction): Promise<EngineStop> {
    return direction === 'forward' ? this.engine.continueForward(this.control()) : this.engine.continueBackward(this.control());
  }

  /**
   * The stop to report for an engine stop, or undefined to keep going (a breakpoint whose condition or
   * hit count does not hold, a logpoint, or a temporary stepping address).
   */
  private async userStop(stop: EngineStop): Promise<Stop | undefined> {
    if (stop.reason === 'breakpoint') {
      const matched: AddressBreakpoint[] = [];
      for (const bp of this.conditions.at(stop.address >>> 0)) {
        if (await this.breakpointHolds(bp)) matched.push(bp);
      }
      return matched.length ? breakpointStop(matched, this.step, this.where(stop.address >>> 0)) : undefined;
    }
    if (stop.reason === 'watchpoint') {
      const data = this.conditions.dataBreakpointFor(stop.watch);
      if (data?.condition && !this.conditionHolds(data.condition)) return undefined;
      return describeStop(stop, this.step, data);
    }
    return describeStop(stop, this.step, undefined, this.exitStatus());
  }

  private async breakpointHolds(bp: AddressBreakpoint): Promise<boolean> {
    if (bp.condition && !this.conditionHolds(bp.condition)) return false;
    if (bp.hitCondition) {
      let holds: boolean;
      try {
        holds = hitConditionHolds(bp.hitCondition, await this.hitNumber(bp));
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
      if (this.engine.live && this.step >= this.engine.lastStep) this.log(`${this.interpolate(bp.logMessage)}\n`);
      return false;
    }
    return true;
  }

  /** A condition that cannot be evaluated stops (and says why), rather than being silently skipped. */
  conditionHolds(condition: string): boolean {
    try {
      const value = evaluateExpression(this.valueContext(), condition);
      return (numberOf(this.valueContext(), value) ?? 0) !== 0;
    } catch (e) {
      this.log(`breakpoint condition "${condition}" cannot be evaluated: ${(e as Error).message}\n`);
      return true;
    }
  }

  private interpolate(message: string): string {
    return message.replace(/\{([^}]+)\}/g, (_, expression: string) => {
      try {
        return formatValue(this.valueContext(), evaluateExpression(this.valueContext(), expression));
      } catch (e) {
        return `<${(e as Error).message}>`;
      }
    });
  }

  /** Which execution of `bp` this is, counted from the start of the recording (1 = the first). */
  private async hitNumber(bp: AddressBreakpoint): Promise<number> {
    const here = this.step;
    const cached = this.hitCounts.get(bp.id);
    const from = cached && cached.step < here ? cached.step : 0;
    const hits = await hitsBetween(this.engine, from, here, bp.addresses, () => undefined, this.restore, this.control());
    const count = (cached && cached.step < here ? cached.count + hits.filter((h) => h.step > cached.step).length : hits.length) + 1;
    await this.engine.seek(here);
    this.hitCounts.set(bp.id, { step: here, count });
    return count;
  }

  private exitStatus(): string | undefined {
    const halted = this.engine.machine.halted;
    if (!halted || this.step < this.engine.lastStep) return undefined;
    if (halted.kind === 'exit') return `the program exited with status ${halted.code}`;
    if (halted.kind === 'stuck') return halted.message;
    return undefined;
  }

  // ---- instruction steps ----

  stepInstruction(direction: Direction): Promise<Stop> {
    return this.operation(async () => {
      const stop = direction === 'forward' ? await this.engine.stepForward() : await this.engine.stepBack();
      if (stop.reason === 'step') return stepStop(this.step);
      return describeStop(stop, this.step, undefined, this.exitStatus());
    });
  }

  // ---- statement steps forward ----

  /** Step over: the next statement of this frame, or the caller once this frame returns. */
  next(): Promise<Stop> {
    const here = this.placeHere();
    const frames = this.frames(2);
    const fn = frames[0]?.function;
    if (!fn || !this.statements || here.cfa === undefined) return this.stepInstruction('forward');
    const startPc = this.engine.machine.pc >>> 0;
    const caller = frames[1];
    const candidates = [...this.statements.inFunction(fn), ...(caller ? [caller.pc] : [])];
    return this.forwardUntil(candidates, (pc) => {
      const place = this.placeHere();
      if (caller && pc === caller.pc && place.cfa === caller.cfa) return true; // returned to the caller
      return place.fn === fn.low && place.cfa === here.cfa && this.symbols!.isStatementStart(pc) && (place.line !== here.line || pc <= startPc);
    });
  }

  /** Step into: the next statement start anywhere with source, in a new line or another frame. */
  stepIn(): Promise<Stop> {
    const here = this.placeHere();
    if (!this.statements || here.fn === undefined) return this.stepInstruction('forward');
    const frames = this.frames(2);
    const caller = frames[1];
    const candidates = [...this.statements.all(), ...(caller ? [caller.pc] : [])];
    return this.forwardUntil(candidates, (pc) => {
      const place = this.placeHere();
      if (caller && place.cfa === caller.cfa && pc === caller.pc) return true;
      // Entering a function: stop after its prologue, on the body's first line, as C debuggers do.
      const fn = this.symbols!.functionAt(pc);
      if (fn && pc === fn.low && this.statements!.bodyStart(fn) !== pc) return false;
      return this.statements!.hasSource(pc) && this.symbols!.isStatementStart(pc) && !samePlace(place, here);
    });
  }

  /** Step out: back in the caller, just after the call, with this frame gone. */
  stepOut(): Promise<Stop> {
    const caller = this.frames(2)[1];
    if (!caller) return this.continue('forward');
    return this.forwardUntil([caller.pc], () => this.placeHere().cfa === caller.cfa);
  }

  private forwardUntil(candidates: number[], accept: (pc: number) => boolean): Promise<Stop> {
    return this.operation(async () => {
      this.extra = candidates;
      this.restore();
      const targets = new Set(candidates);
      for (;;) {
        const stop = await this.engine.continueForward(this.control());
        const user = await this.userStop(stop);
        if (user) return user;
        // Otherwise: a stepping address (stop if the step is done), or a condition that did not hold.
        if (stop.reason === 'breakpoint' && targets.has(stop.address >>> 0) && accept(stop.address >>> 0)) return stepStop(this.step);
      }
    });
  }

  // ---- statement steps backward ----

  /** Reverse next: the start of the previous statement executed in this frame, stepping over calls. */
  stepBack(): Promise<Stop> {
    const frames = this.frames(1);
    const fn = frames[0]?.function;
    if (!fn || !this.statements) return this.stepInstruction('backward');
    const here = this.placeHere();
    const pc = this.engine.machine.pc >>> 0;
    if (pc === fn.low) return this.reverseStepOut();
    const candidates = this.statements.inFunction(fn).concat(fn.low);
    return this.backwardTo(candidates, (hits, complete) => {
      // Only this instance of the function: the hits since its latest entry with the same frame.
      let mine = hits.filter((h) => h.info.fn === fn.low && h.info.cfa === here.cfa);
      const entry = findLastIndex(mine, (h) => h.pc === fn.low);
      if (entry >= 0) mine = mine.slice(entry);
      return this.previousStatement(mine, complete || entry >= 0, (h) => h.pc === fn.low);
    }, () => this.reverseStepOut());
  }

  /** Reverse step into: the start of the previous statement executed anywhere with source. */
  reverseStepIn(): Promise<Stop> {
    if (!this.statements || this.placeHere().fn === undefined) return this.stepInstruction('backward');
    return this.backwardTo(this.statements.all(), (hits, complete) => this.previousStatement(hits, complete, () => false), async () => {
      await this.engine.seek(0);
      return describeStop({ reason: 'start' }, 0);
    });
  }

  /**
   * The start of the previous "line execution" before here: consecutive statement hits at the same
   * place form one.
   */
  private previousStatement(hits: Array<Hit<Place>>, complete: boolean, isEntry: (h: Hit<Place>) => boolean): number | undefined | 'more' {
    // Wherever we are in the current line's execution, its start is the run of same-place hits that
    // ends with the last hit; if we stand on a new line's first statement, that run is the previous line.
    if (hits.length === 0) return complete ? undefined : 'more';
    let i = hits.length - 1;
    while (i > 0 && samePlace(hits[i - 1].info, hits[i].info) && !isEntry(hits[i])) i--;
    if (i === 0 && !complete && !isEntry(hits[0])) return 'more';
    return hits[i].step;
  }

  /** Reverse step out (reverse finish): to the call of the current frame, in the caller. */
  reverseStepOut(): Promise<Stop> {
    const fn = this.frames(1)[0]?.function;
    const here = this.placeHere();
    if (!fn || here.cfa === undefined) return this.stepInstruction('backward');
    // At the function's first instruction, the call is the step just before.
    if (this.engine.machine.pc >>> 0 === fn.low && this.step > 0) return this.stepInstruction('backward');
    return this.backwardTo([fn.low], (hits, complete) => {
      const entry = findLastIndex(hits, (h) => h.info.cfa === here.cfa);
      if (entry >= 0) return hits[entry].step;
      return complete ? undefined : 'more';
    }, async () => {
      await this.engine.seek(0);
      return describeStop({ reason: 'start' }, 0);
    }, (target) => Math.max(0, target - 1));
  }

  /** Restart frame: back to the first instruction of the frame's function instance. */
  restartFrame(frame: Frame): Promise<Stop> {
    const fn = frame.function;
    if (!fn) throw new TravelError('this frame has no known function, so its entry cannot be found');
    const cfa = frame.cfa;
    return this.backwardTo([fn.low], (hits, complete) => {
      const entry = findLastIndex(hits, (h) => h.info.cfa === cfa);
      if (entry >= 0) return hits[entry].step;
      return complete ? undefined : 'more';
    }, async () => {
      throw new TravelError(`the entry of ${fn.name} is not in the recording (it was entered before step 0)`);
    });
  }

  private backwardTo(
    candidates: number[], decide: (hits: Array<Hit<Place>>, complete: boolean) => number | undefined | 'more',
    none: () => Promise<Stop>, adjust: (target: number) => number = (t) => t,
  ): Promise<Stop> {
    return this.operation(async () => {
      const from = this.step;
      if (from === 0) return describeStop({ reason: 'start' }, 0);
      const target = await searchBackward(this.engine, from, candidates, () => this.placeHere(), decide, this.restore, this.control());
      if (target === undefined) {
        await this.engine.seek(from);
        return none();
      }
      // A user breakpoint (or data breakpoint) met between the target and here stops the step first.
      await this.engine.seek(from);
      this.restore();
      const user = await this.lastUserStopAfter(adjust(target));
      if (user) return user;
      await this.engine.seek(adjust(target));
      return stepStop(this.step);
    });
  }

  /** The last user stop strictly between `target` and here, travelling back to it; else undefined (position unchanged). */
  private async lastUserStopAfter(target: number): Promise<Stop | undefined> {
    const from = this.step;
    if (this.conditions.addresses().length === 0 && this.conditions.dataBreakpoints.length === 0 && this.conditions.trapCauses.length === 0) return undefined;
    const added = this.engine.addStepBreakpoint(target);
    try {
      for (;;) {
        const stop = await this.engine.continueBackward(this.control());
        if (stop.reason === 'cancelled') throw new CancelledError();
        if (this.step <= target || stop.reason === 'start') break;
        if (stop.reason === 'stepBreakpoint') continue;
        const user = await this.userStop(stop);
        if (user) return user;
      }
    } finally {
      if (added) this.engine.removeStepBreakpoint(target);
    }
    await this.engine.seek(from);
    return undefined;
  }

  // ---- jumps ----

  seek(step: number): Promise<Stop> {
    return this.operation(async () => {
      const stop = await this.engine.seek(step, this.control());
      if (stop.reason === 'cancelled') return describeStop(stop, this.step);
      return stepStop(this.step);
    });
  }

  /** The previous (or next) execution of any of `addresses`, e.g. a source line's. */
  gotoExecution(addresses: number[], which: 'previous' | 'next'): Promise<Stop> {
    return this.operation(async () => {
      const from = this.step;
      this.engine.setBreakpoints(addresses);
      this.engine.setWatchpoints([]);
      this.engine.setTrapStops([]);
      const saved = this.engine.stepBreakpoints();
      for (const s of saved) this.engine.removeStepBreakpoint(s);
      try {
        const stop = which === 'previous' ? await this.engine.continueBackward(this.control()) : await this.engine.continueForward(this.control());
        if (stop.reason === 'breakpoint') return { reason: 'goto', description: `Step ${this.step.toLocaleString('en-US')}` };
        await this.engine.seek(from);
        if (stop.reason === 'cancelled') return describeStop(stop, this.step);
        throw new TravelError(which === 'previous' ? 'that line did not run before this step' : 'that line does not run again after this step');
      } finally {
        for (const s of saved) this.engine.addStepBreakpoint(s);
      }
    });
  }

  /** Back to the last step that wrote `[address, address + length)`. */
  lastWrite(address: number, length: number): Promise<Stop> {
    return this.operation(async () => {
      const from = this.step;
      const stop = await this.engine.lastWrite(address, length, this.control());
      if (stop.reason === 'watchpoint') return describeStop(stop, this.step, { id: 0, watch: stop.watch, label: `${length} bytes at 0x${(address >>> 0).toString(16)}` });
      await this.engine.seek(from);
      if (stop.reason === 'cancelled') return describeStop(stop, this.step);
      throw new TravelError(`nothing wrote ${length} bytes at 0x${(address >>> 0).toString(16)} between the start of the recording and step ${from.toLocaleString('en-US')}`);
    });
  }

  // ---- where we are ----

  /** A place for messages: "bug.c:68" when the line is known, else the address. */
  where(pc: number): string {
    const loc = this.symbols?.locationAt(pc);
    return loc ? `${basename(loc.file)}:${loc.line}` : `0x${pc.toString(16).padStart(8, '0')}`;
  }

  frames(max = 64): Frame[] {
    if (!this.symbols) return [];
    return this.symbols.unwind(this.view, max);
  }

  valueContext(frame?: Frame) {
    return { machine: this.engine.machine, view: this.view, symbols: this.symbols, frame: frame ?? this.frames(1)[0] };
  }

  private placeHere(): Place {
    const frame = this.frames(1)[0];
    if (!frame) return {};
    return { fn: frame.function?.low, cfa: frame.cfa, line: frame.location?.line };
  }
}

function samePlace(a: Place, b: Place): boolean {
  return a.fn === b.fn && a.cfa === b.cfa && a.line === b.line;
}

function findLastIndex<T>(list: T[], test: (item: T) => boolean): number {
  for (let i = list.length - 1; i >= 0; i--) if (test(list[i])) return i;
  return -1;
}

