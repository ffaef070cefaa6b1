/**
 * The debugger: the one time-travel core under every front end (DAP adapter, GDB stub, CLI, MCP). It
 * owns the recording's replay engine, the program's symbols, the current position, the user's
 * breakpoints and step breakpoints, and every kind of travel. It knows no protocol: operations take a
 * `Control` (progress, cancellation) and return a `Stop` (stop.ts); front ends translate.
 *
 * Every operation is `run(direction, until, control)` underneath, with `until` a value: the user's stop
 * set (`stops()`), plus a goal for statement steps. See debugger/README.md for the list.
 */
import { parseElf } from '../emulator/elf';
import { Control, Direction, ReplayEngine } from '../emulator/replay/engine';
import { BreakpointChecks } from './breakpoint-checks';
import { Position } from './position';
import { Statements } from './statements';
import { StepBreakpoints } from './step-breakpoints';
import { Stop } from './stop';
import { StopConditions, Until } from './stop-conditions';
import { Frame, ProgramSymbols } from './symbols/api';
import { loadProgramSymbols } from './symbols/program-symbols';
import { ValueContext } from './values/value';
import { Travel } from './travel';
import { WholeRun } from './whole-run';
import { lastChange } from './last-change';
import * as steps from './statement-steps';

export interface DebuggerOptions {
  symbols?: ProgramSymbols;
  /** The ELF image, for the statement tables (with `symbols`). */
  program?: Uint8Array;
  /** Logpoint messages and breakpoint condition errors (the Debug Console, a terminal). */
  log?: (text: string) => void;
  /** The user's breakpoints, when the front end keeps them from before the debugger exists. */
  breakpoints?: StopConditions;
}

export class Debugger {
  readonly position: Position;
  /** The user's line, function, instruction and data breakpoints and exception filters. */
  readonly breakpoints: StopConditions;
  readonly stepBreakpoints: StepBreakpoints;
  readonly checks: BreakpointChecks;
  private readonly travel: Travel;

  /**
   * A debugger on an engine, with the program's debug information read from `program` when it has
   * any; `symbolsProblem` says why not (instructions, registers and memory still work without).
   */
  static open(engine: ReplayEngine, program: Uint8Array, programPath: string, options: DebuggerOptions & { sourceRoot?: string } = {}): { debugger: Debugger; symbolsProblem?: string } {
    try {
      const symbols = loadProgramSymbols(program, programPath, { sourceRoot: options.sourceRoot });
      return { debugger: new Debugger(engine, { ...options, symbols, program }) };
    } catch (e) {
      return { debugger: new Debugger(engine, { ...options, symbols: undefined }), symbolsProblem: (e as Error).message };
    }
  }

  constructor(readonly engine: ReplayEngine, options: DebuggerOptions = {}) {
    const statements = options.symbols && options.program ? new Statements(options.symbols, parseElf(options.program)) : undefined;
    this.position = new Position(engine, options.symbols, statements);
    this.breakpoints = options.breakpoints ?? new StopConditions();
    this.checks = new BreakpointChecks(this.position, options.log ?? (() => undefined));
    this.travel = new Travel(this.position, this.checks);
    this.stepBreakpoints = new StepBreakpoints((step) => engine.checkStep(step));
  }

  // ---- where we are ----

  get step(): number { return this.engine.step; }
  get lastStep(): number { return this.engine.lastStep; }
  get pc(): number { return this.position.pc; }
  get symbols(): ProgramSymbols | undefined { return this.position.symbols; }
  get statements(): Statements | undefined { return this.position.statements; }
  frames(max = 64): Frame[] { return this.position.frames(max); }
  valueContext(frame?: Frame): ValueContext { return this.position.valueContext(frame); }
  /** "bug.c:68", or the address when the line is unknown. */
  where(pc: number): string { return this.position.where(pc); }

  /** The user's stop set now: breakpoints, data breakpoints, exception filters, step breakpoints. */
  stops(): Until {
    return { ...this.breakpoints.until(), stepBreakpoints: this.stepBreakpoints.list() };
  }

  // ---- travel ----

  /** The one run: until something in `until` holds for the user (or, forward, its goal is reached). */
  run(direction: Direction, until: Until, control: Control = {}): Promise<Stop> {
    return this.travel.run(direction, until, control);
  }
  /** Continue / reverse continue to the user's stops. */
  continue(direction: Direction, control: Control = {}): Promise<Stop> {
    return this.run(direction, this.stops(), control);
  }
  /** One instruction either way, whatever the stop set (stepi / reverse-stepi). */
  stepInstruction(direction: Direction): Promise<Stop> {
    return this.travel.stepInstruction(direction);
  }
  next(control: Control = {}): Promise<Stop> { return steps.next(this.travel, this.stops(), control); }
  stepIn(control: Control = {}): Promise<Stop> { return steps.stepIn(this.travel, this.stops(), control); }
  stepOut(control: Control = {}): Promise<Stop> { return steps.stepOut(this.travel, this.stops(), control); }
  reverseNext(control: Control = {}): Promise<Stop> { return steps.reverseNext(this.travel, this.stops(), control); }
  reverseStepIn(control: Control = {}): Promise<Stop> { return steps.reverseStepIn(this.travel, this.stops(), control); }
  /** Reverse finish: to the call of the current frame. */
  reverseStepOut(control: Control = {}): Promise<Stop> { return steps.reverseStepOut(this.travel, this.stops(), control); }
  /** Back to the entry of a frame's function instance. */
  restartFrame(frame: Frame, control: Control = {}): Promise<Stop> { return steps.restartFrame(this.travel, frame, this.stops(), control); }
  /** Exactly to `step`. */
  seek(step: number, control: Control = {}): Promise<Stop> { return this.travel.seek(step, control); }
  /** The previous or next execution of any of `addresses` (a line's, or one instruction). */
  gotoExecution(addresses: number[], which: 'previous' | 'next', control: Control = {}): Promise<Stop> {
    return this.travel.execution(addresses, which, control);
  }
  /** Back to the last step before here that wrote `[address, address + length)`. */
  lastWrite(address: number, length: number, control: Control = {}): Promise<Stop> { return this.travel.write(address, length, 'last', control); }
  /** On to the next step after here that writes `[address, address + length)` (stops just after it). */
  nextWrite(address: number, length: number, control: Control = {}): Promise<Stop> { return this.travel.write(address, length, 'next', control); }

  /**
   * Back to the last step before here at which an expression over registers and CSRs changed ("$sp",
   * "($mstatus >> 3) & 1"): the twin of `lastWrite` for what has no memory to watch.
   */
  lastChange(expression: string, control: Control = {}): Promise<Stop> {
    return lastChange(this.position, this.engine.recording.program, expression, control);
  }

  // ---- history queries ----

  /**
   * Questions about the whole recording (every execution of a line, every write to a range, a value
   * sampled over the run, the timeline's events), each one forward pass on an engine of its own: the
   * position, snapshots and stop sets of this debugger are never touched, so a query runs beside it.
   */
  wholeRun(): WholeRun {
    // Kept while the recording stays the same length: its engine's snapshots make later queries cheaper.
    if (this.queries?.lastStep !== this.engine.lastStep) this.queries = { whole: new WholeRun(this.engine.recording, this.symbols), lastStep: this.engine.lastStep };
    return this.queries.whole;
  }
  private queries?: { whole: WholeRun; lastStep: number };
}
