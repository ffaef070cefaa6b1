/**
 * Travel: every way of moving through the recording, built on the engine's seek and
 * `run(direction, until, control)`. The stop set is always a value (`Until`): the user's breakpoints
 * (with conditions, hit counts, logpoints), data breakpoints, trap causes, step breakpoints, and for a
 * statement step its goal. Statement steps themselves are in statement-steps.ts.
 */
import { Control, Direction, EngineStop } from '../emulator/replay/engine';
import { hexNumber } from '../emulator/hex';
import { disassemble } from '../emulator/isa/disassemble';
import { BreakpointChecks } from './breakpoint-checks';
import { CancelledError, Hit, searchBackward } from './history-scan';
import { Place, Position } from './position';
import { engineUntil, hasUserStops, Until } from './stop-conditions';
import { describeStop, Stop, stepStop } from './stop';
import { WatchedValues } from './data-access';
import { watchRangeProblem } from './watch-range';
import { countText } from './count-text';

export class TravelError extends Error {}

/** What a backward search decides from the hits seen so far: a step, none, or "look further back". */
export type Decide = (hits: Array<Hit<Place>>, complete: boolean) => number | undefined | 'more';

export class Travel {
  constructor(readonly position: Position, readonly checks: BreakpointChecks) {}

  private get engine() {
    return this.position.engine;
  }

  /** Runs an operation; a cancelled one reports a pause where it left the engine. */
  async operation(run: () => Promise<Stop>): Promise<Stop> {
    try {
      return await run();
    } catch (e) {
      if (e instanceof CancelledError) return this.describe({ reason: 'cancelled' });
      throw e;
    }
  }

  describe(stop: EngineStop): Stop {
    return describeStop(stop, this.position.step, this.position.pc, undefined, this.position.exitStatus());
  }

  step(): Stop {
    return stepStop(this.position.step, this.position.pc);
  }

  /**
   * Runs until a stop in `until` holds for the user, or (forward) its goal is reached. Backward, a goal
   * is not looked at: statement steps back search history instead (`backwardTo`).
   */
  run(direction: Direction, until: Until, control: Control = {}): Promise<Stop> {
    return this.operation(async () => {
      const forEngine = engineUntil(until);
      const goal = direction === 'forward' ? until.goal : undefined;
      const targets = new Set(goal?.addresses ?? []);
      const watched = new WatchedValues(this.position, direction, until.dataBreakpoints ?? []);
      for (;;) {
        const stop = await this.engine.run(direction, forEngine, control);
        const user = await this.checks.judge(stop, until, control, watched);
        if (user?.reason === 'end') return this.withEndingInstruction(user);
        if (user) return user;
        // Otherwise: a goal address (stop if the step is done), or a condition that did not hold.
        if (goal && stop.reason === 'breakpoint' && targets.has(stop.address >>> 0) && goal.reached(stop.address >>> 0)) return this.step();
      }
    });
  }

  /**
   * At the end of a program that exited, the instruction that ended the run (the store to the test
   * finisher, the semihosting call): the pc shows what comes after it (a `wfi` loop that never runs),
   * which reads as a hang.
   */
  private async withEndingInstruction(stop: Stop): Promise<Stop> {
    const halted = this.engine.machine.halted;
    const step = this.position.step;
    if (halted?.kind !== 'exit' || step === 0) return stop;
    await this.engine.seek(step - 1);
    const pc = this.position.pc;
    const bytes = this.position.view.readMemory(pc, 4);
    await this.engine.seek(step);
    const word = bytes.length === 4 ? (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0 : 0;
    const what = halted.via === 'test-finisher' ? 'its store to the test finisher' : halted.via === 'htif' ? 'its write to tohost' : 'its semihosting exit call';
    const line = `The run ended with ${what}: ${disassemble(word, pc)} at ${hexNumber(pc)} (${this.position.where(pc)}), step ${countText(step - 1)}; ${stop.description.replace(/^end of recording: /, '')}.`;
    return { ...stop, details: [...(stop.details ?? []), line] };
  }

  stepInstruction(direction: Direction): Promise<Stop> {
    return this.operation(async () => {
      const stop = await this.engine.stepInstruction(direction);
      return stop.reason === 'step' ? this.step() : this.describe(stop);
    });
  }

  seek(step: number, control: Control = {}): Promise<Stop> {
    return this.operation(async () => {
      const stop = await this.engine.seek(step, control);
      return stop.reason === 'cancelled' ? this.describe(stop) : this.step();
    });
  }

  /**
   * Back to the step `decide` picks from the executions of `candidates` before here (each noted with
   * its place), unless a stop in `until` comes first; `none` says what happens when there is none.
   */
  backwardTo(candidates: number[], decide: Decide, none: () => Promise<Stop>, until: Until, control: Control, adjust: (target: number) => number = (t) => t): Promise<Stop> {
    return this.operation(async () => {
      const from = this.position.step;
      if (from === 0) return this.describe({ reason: 'start' });
      const target = await searchBackward(this.engine, from, candidates, () => this.position.place(), decide, control);
      await this.engine.seek(from);
      if (target === undefined) return none();
      // A user breakpoint (or data breakpoint) met between the target and here stops the step first.
      const user = await this.lastUserStopAfter(adjust(target), until, control);
      if (user) return user;
      await this.engine.seek(adjust(target));
      return this.step();
    });
  }

  /** The last user stop strictly between `target` and here, travelling back to it; else undefined (position unchanged). */
  private async lastUserStopAfter(target: number, until: Until, control: Control): Promise<Stop | undefined> {
    const from = this.position.step;
    if (!hasUserStops({ ...until, stepBreakpoints: [] })) return undefined;
    const bounded = { ...until, goal: undefined, stepBreakpoints: [...(until.stepBreakpoints ?? []), target] };
    const forEngine = engineUntil(bounded);
    for (;;) {
      const stop = await this.engine.run('backward', forEngine, control);
      if (stop.reason === 'cancelled') throw new CancelledError();
      if (this.position.step <= target || stop.reason === 'start') break;
      if (stop.reason === 'stepBreakpoint') continue;
      const user = await this.checks.judge(stop, until, control);
      if (user) return user;
    }
    await this.engine.seek(from);
    return undefined;
  }

  /** The previous (or next) execution of any of `addresses`, e.g. a source line's. */
  execution(addresses: number[], which: 'previous' | 'next', control: Control = {}): Promise<Stop> {
    return this.operation(async () => {
      const from = this.position.step;
      const stop = await this.engine.run(which === 'previous' ? 'backward' : 'forward', { breakpoints: addresses }, control);
      if (stop.reason === 'breakpoint') return { ...this.step(), reason: 'execution', cause: stop };
      await this.engine.seek(from);
      if (stop.reason === 'cancelled') return this.describe(stop);
      throw new TravelError(which === 'previous' ? 'that line did not run before this step' : 'that line does not run again after this step');
    });
  }

  /** Back to the last step that wrote `[address, address + length)` (or on to the next one that writes it). */
  write(address: number, length: number, which: 'last' | 'next', control: Control = {}): Promise<Stop> {
    return this.operation(async () => {
      const problem = watchRangeProblem(address >>> 0, length, this.engine.machine.config);
      if (problem) throw new TravelError(problem);
      const from = this.position.step;
      const watch = { address: address >>> 0, length, access: 'write' } as const;
      const stop = await this.engine.run(which === 'last' ? 'backward' : 'forward', { watchpoints: [watch] }, control);
      const label = `${length} bytes at ${hexNumber(address)}`;
      if (stop.reason === 'watchpoint') return describeStop(stop, this.position.step, this.position.pc, { id: 0, watch, label });
      await this.engine.seek(from);
      if (stop.reason === 'cancelled') return this.describe(stop);
      throw new TravelError(which === 'last'
        ? `nothing wrote ${label} between the start of the recording and step ${countText(from)}`
        : `nothing writes ${label} after step ${countText(from)}`);
    });
  }
}
