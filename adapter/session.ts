/**
 * The debug adapter: a thin DAP session over the replay engine (the runtime is `Travel`). Handlers
 * translate requests, call the runtime and answer; every stop goes out through `reportStop`. The
 * adapter never imports `vscode`: any DAP client can drive it.
 */
import { basename } from 'node:path';
import { InitializedEvent, LoggingDebugSession, OutputEvent, ProgressEndEvent, ProgressStartEvent, ProgressUpdateEvent, Source, StoppedEvent, TerminatedEvent, Thread, ContinuedEvent, Handles } from '@vscode/debugadapter';
import { DebugProtocol } from '@vscode/debugprotocol';
import { parseElf } from '../emulator/elf';
import { EngineError } from '../emulator/replay/engine';
import { LaunchArguments } from './launch-arguments';
import { launch, Launched } from './launch';
import { loadProgramSymbols } from '../debugger/symbols/program-symbols';
import { Frame, ProgramSymbols } from '../debugger/symbols/api';
import { Statements } from '../debugger/statements';
import { EXCEPTION_FILTERS, StopConditions } from '../debugger/stop-conditions';
import { Travel } from './travel';
import { Stop } from './stops';
import { Variables } from './variables';
import { disassembleAround, hexAddress } from './disassembly';
import { evaluateExpression } from '../debugger/expressions/evaluate';
import { examineMemory, isExamineCommand } from '../debugger/expressions/examine';
import { RewindRequest } from './custom-requests';
import { CustomRequests } from './custom-request-handlers';
import { ConsoleOutput } from './console-output';
import { BreakpointRequests } from './breakpoint-requests';
import { parseAddress } from '../debugger/address';
import { HistoryRequests } from './history-requests';
import { OutputData } from './custom-requests';

const THREAD_ID = 1;
const READ_ONLY = 'history is read-only: a recording cannot be changed, only travelled; values, registers and memory are shown as they were at this step';

export class RewindSession extends LoggingDebugSession {
  private launched?: Launched;
  travel?: Travel;
  private symbols?: ProgramSymbols;
  private readonly conditions = new StopConditions();
  private variables?: Variables;
  private frames = new Handles<Frame>();
  private configured!: () => void;
  private readonly configurationDone = new Promise<void>((resolve) => { this.configured = resolve; });
  private busy = false;
  private progressId?: string;
  private progressCount = 0;
  private readonly gotoTargets = new Map<number, { addresses: number[]; which: 'previous' | 'next' }>();
  private readonly output = new ConsoleOutput((text, category, step) => this.sendEvent(outputEvent(text, category, step)), () => this.launched?.engine.machine.exactStep() ?? 0);
  private readonly custom = new CustomRequests(this);
  private readonly history = new HistoryRequests({
    travel: () => this.travel,
    symbols: () => this.symbols,
    conditions: this.conditions,
    recordingPath: () => this.launched?.recordingPath,
    frame: (id) => this.frameById(id),
    debuggerPath: (path) => this.convertClientPathToDebugger(path),
    debuggerLine: (line) => this.convertClientLineToDebugger(line),
    clientLine: (line) => this.convertDebuggerLineToClient(line),
    clientPath: (path) => this.convertDebuggerPathToClient(path),
    sendEvent: (event) => this.sendEvent(event),
    sendResponse: (response) => this.sendResponse(response),
    sendError: (response, message) => this.sendError(response, message),
  });
  private readonly breakpoints = new BreakpointRequests({
    conditions: this.conditions,
    symbols: () => this.symbols,
    travel: () => this.travel,
    variables: () => this.variables,
    frame: (id) => this.frames.get(id),
    applyConditions: () => this.applyConditions(),
    debuggerPath: (path) => this.convertClientPathToDebugger(path),
    debuggerLine: (line) => this.convertClientLineToDebugger(line),
    clientLine: (line) => this.convertDebuggerLineToClient(line),
    sourceOf: (address) => this.sourceOf(address),
  });

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  protected initializeRequest(response: DebugProtocol.InitializeResponse): void {
    const body: DebugProtocol.Capabilities = {
      // VS Code waits for setBreakpoints and friends, then sends configurationDone before the run starts.
      supportsConfigurationDoneRequest: true,
      // Shows the Step Back and Reverse buttons.
      supportsStepBack: true,
      // Breakpoints with an expression, a hit count, or a log message (logpoints).
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsFunctionBreakpoints: true,
      supportsInstructionBreakpoints: true,
      // "Break on Value Change/Read/Access" in Variables and Watch, and by address.
      supportsDataBreakpoints: true,
      supportsDataBreakpointBytes: true,
      supportsReadMemoryRequest: true,
      supportsDisassembleRequest: true,
      supportsSteppingGranularity: true,
      // "Restart Frame" travels back to the frame's entry.
      supportsRestartFrame: true,
      // "Jump to Cursor": the previous or next execution of a line.
      supportsGotoTargetsRequest: true,
      supportsEvaluateForHovers: true,
      supportsCancelRequest: true,
      // Reading history never changes it: no setVariable, setExpression or writeMemory.
      supportsSetVariable: false,
      supportsSetExpression: false,
      supportsWriteMemoryRequest: false,
      exceptionBreakpointFilters: EXCEPTION_FILTERS.map((f) => ({ filter: f.filter, label: f.label, default: f.default })),
    };
    response.body = body;
    this.sendResponse(response);
  }

  protected configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configured();
    this.sendResponse(response);
  }

  protected async launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchArguments): Promise<void> {
    try {
      this.launched = launch(args ?? {}, this.output.sink);
    } catch (e) {
      return this.sendErrorResponse(response, { id: 1001, format: (e as Error).message, showUser: true });
    }
    const { engine, program, programPath } = this.launched;
    try {
      this.symbols = loadProgramSymbols(program, programPath, { sourceRoot: args.sourceRoot });
    } catch (e) {
      this.output.console(`No debug information: ${(e as Error).message}. Instructions, registers and memory still work.\n`);
    }
    const statements = this.symbols ? new Statements(this.symbols, parseElf(program)) : undefined;
    this.travel = new Travel(engine, this.conditions, this.symbols, statements, (text) => this.output.console(text), (d, t) => this.progress(d, t));
    this.variables = new Variables(this.travel);
    this.sendEvent(new InitializedEvent());
    await this.configurationDone;
    this.sendResponse(response);
    this.output.console(`Rewind: ${engine.live ? `running ${basename(programPath)} live, recording to ${this.launched.recordingPath}` : `replaying ${this.launched.recordingPath} (${engine.lastStep.toLocaleString('en-US')} steps)`}\n`);
    if (args.stopOnEntry) this.reportStop({ reason: 'entry', description: 'start of recording' });
    else await this.runTravel(() => this.travel!.continue('forward'));
  }

  protected async disconnectRequest(response: DebugProtocol.DisconnectResponse): Promise<void> {
    this.travel?.cancel();
    try {
      await this.launched?.engine.finishLive();
    } catch (e) {
      this.output.console(`The recording could not be completed: ${(e as Error).message}\n`);
    }
    this.sendResponse(response);
  }

  // ---- breakpoints ----

  protected async setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): Promise<void> {
    response.body = this.breakpoints.setBreakpoints(args);
    // A new logpoint prints every hit in the recording first (retroactive logpoints), then the answer goes.
    await this.history.printNewLogpoints();
    this.sendResponse(response);
  }

  protected setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    response.body = this.breakpoints.setFunctionBreakpoints(args);
    this.sendResponse(response);
  }

  protected setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments): void {
    response.body = this.breakpoints.setInstructionBreakpoints(args);
    this.sendResponse(response);
  }

  protected setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    const problem = this.breakpoints.exceptionFiltersProblem(args.filters);
    if (problem) return this.sendErrorResponse(response, { id: 1002, format: problem });
    response.body = this.breakpoints.setExceptionBreakpoints(args);
    this.sendResponse(response);
  }

  protected dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    this.answer(response, () => this.breakpoints.dataBreakpointInfo(args));
  }

  protected setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    this.answer(response, () => this.breakpoints.setDataBreakpoints(args));
  }

  private applyConditions(): void {
    if (this.travel && !this.busy) this.conditions.apply(this.travel.engine);
  }

  // ---- travel ----

  protected continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.startTravel(response, () => this.travel!.continue('forward'));
  }
  protected reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.startTravel(response, () => this.travel!.continue('backward'));
  }
  protected nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.startTravel(response, () => (args.granularity === 'instruction' ? this.travel!.stepInstruction('forward') : this.travel!.next()));
  }
  protected stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.startTravel(response, () => (args.granularity === 'instruction' ? this.travel!.stepInstruction('forward') : this.travel!.stepIn()));
  }
  protected stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    this.startTravel(response, () => (args.granularity === 'instruction' ? this.travel!.stepInstruction('forward') : this.travel!.stepOut()));
  }
  protected stepBackRequest(response: DebugProtocol.StepBackResponse, args: DebugProtocol.StepBackArguments): void {
    this.startTravel(response, () => (args.granularity === 'instruction' ? this.travel!.stepInstruction('backward') : this.travel!.stepBack()));
  }
  protected restartFrameRequest(response: DebugProtocol.RestartFrameResponse, args: DebugProtocol.RestartFrameArguments): void {
    const frame = this.frames.get(args.frameId);
    if (!frame) return this.sendErrorResponse(response, { id: 1003, format: `frame ${args.frameId} is no longer valid: the program moved since the stack was shown` });
    this.startTravel(response, () => this.travel!.restartFrame(frame));
  }
  protected pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.travel?.cancel();
    this.sendResponse(response);
  }
  protected cancelRequest(response: DebugProtocol.CancelResponse, args: DebugProtocol.CancelArguments): void {
    if (this.history.cancel(args ?? {})) return this.sendResponse(response);
    if (args?.progressId === undefined || args.progressId === this.progressId) this.travel?.cancel();
    this.sendResponse(response);
  }

  protected gotoTargetsRequest(response: DebugProtocol.GotoTargetsResponse, args: DebugProtocol.GotoTargetsArguments): void {
    const resolved = this.symbols?.resolveLine(this.convertClientPathToDebugger(args.source.path ?? ''), this.convertClientLineToDebugger(args.line));
    if (!resolved) return this.sendErrorResponse(response, { id: 1004, format: `line ${args.line} has no code to go to` });
    const line = this.convertDebuggerLineToClient(resolved.line);
    const targets = (['previous', 'next'] as const).map((which) => {
      const id = this.gotoTargets.size + 1;
      this.gotoTargets.set(id, { addresses: resolved.addresses, which });
      return { id, label: `${which === 'previous' ? 'Previous' : 'Next'} execution of line ${line}`, line };
    });
    response.body = { targets };
    this.sendResponse(response);
  }
  protected gotoRequest(response: DebugProtocol.GotoResponse, args: DebugProtocol.GotoArguments): void {
    const target = this.gotoTargets.get(args.targetId);
    if (!target) return this.sendErrorResponse(response, { id: 1005, format: `unknown goto target ${args.targetId}` });
    this.startTravel(response, () => this.travel!.gotoExecution(target.addresses, target.which), true);
  }

  /** Answers at once, then travels and reports the stop (continued first when the client did not ask to run). */
  startTravel(response: DebugProtocol.Response, run: () => Promise<Stop>, announce = false): void {
    if (!this.travel) return this.sendErrorResponse(response, { id: 1006, format: 'nothing is loaded yet: launch a recording or a program first' });
    if (this.busy) return this.sendErrorResponse(response, { id: 1007, format: 'the program is already moving: pause it (or wait for it to stop) first' });
    this.sendResponse(response);
    if (announce) this.sendEvent(new ContinuedEvent(THREAD_ID, true));
    void this.runTravel(run);
  }

  async runTravel(run: () => Promise<Stop>): Promise<Stop | undefined> {
    this.busy = true;
    let stop: Stop;
    try {
      stop = await run();
    } catch (e) {
      this.output.console(`${e instanceof EngineError ? '' : 'Rewind: '}${(e as Error).message}\n`);
      stop = { reason: 'pause', description: `Step ${this.travel!.step.toLocaleString('en-US')}`, text: (e as Error).message };
    } finally {
      this.busy = false;
      this.endProgress();
    }
    this.reportStop(stop);
    return stop;
  }

  /** Travels without reporting the stop (the caller answers first, then reports it). */
  async runTravelQuietly<T>(run: () => Promise<T>): Promise<T> {
    this.busy = true;
    try {
      return await run();
    } finally {
      this.busy = false;
      this.endProgress();
    }
  }

  /** Every stop reaches VS Code here. */
  private reportStop(stop: Stop): void {
    this.output.flush();
    this.frames = new Handles<Frame>();
    this.variables?.reset();
    const event = new StoppedEvent(stop.reason, THREAD_ID, stop.text) as DebugProtocol.StoppedEvent;
    event.body.description = stop.description;
    event.body.allThreadsStopped = true;
    if (stop.hitBreakpointIds?.length) event.body.hitBreakpointIds = stop.hitBreakpointIds;
    this.sendEvent(event);
  }

  private progress(done: number, total: number): void {
    if (this.progressId === undefined) {
      this.progressId = `rewind-${++this.progressCount}`;
      const start = new ProgressStartEvent(this.progressId, 'Travelling through the recording') as DebugProtocol.ProgressStartEvent;
      start.body.cancellable = true;
      this.sendEvent(start);
    }
    const event = new ProgressUpdateEvent(this.progressId, `${done.toLocaleString('en-US')} steps`) as DebugProtocol.ProgressUpdateEvent;
    // A live run has no known end (total 0): no percentage then.
    if (total > 0) event.body.percentage = Math.min(100, (100 * done) / total);
    this.sendEvent(event);
  }

  private endProgress(): void {
    if (this.progressId === undefined) return;
    this.sendEvent(new ProgressEndEvent(this.progressId));
    this.progressId = undefined;
  }

  // ---- where we are ----

  protected threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD_ID, 'RV32 hart 0')] };
    this.sendResponse(response);
  }

  protected stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    this.answer(response, () => {
      const frames = this.travel!.frames();
      const start = args.startFrame ?? 0;
      const shown = frames.slice(start, args.levels ? start + args.levels : undefined);
      const stackFrames: DebugProtocol.StackFrame[] = shown.map((f) => ({
        id: this.frames.create(f),
        name: f.function?.name ?? this.symbols?.symbolAt(f.pc)?.name ?? hexAddress(f.pc),
        ...this.locationOf(f),
        column: 1,
        instructionPointerReference: hexAddress(f.pc),
      }));
      if (stackFrames.length === 0) {
        const pc = this.travel!.view.pc;
        stackFrames.push({ id: 0, name: this.symbols?.symbolAt(pc)?.name ?? hexAddress(pc), line: 0, column: 0, instructionPointerReference: hexAddress(pc) });
      }
      return { stackFrames, totalFrames: frames.length || 1 };
    });
  }

  protected scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    this.answer(response, () => ({ scopes: this.variables!.scopes(this.frames.get(args.frameId)) }));
  }

  protected variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    this.answer(response, () => {
      const all = this.variables!.variables(args.variablesReference);
      const start = args.start ?? 0;
      return { variables: all.slice(start, args.count ? start + args.count : undefined) };
    });
  }

  protected evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    if (args.context === 'repl' && this.travel?.engine.waitingForInput) {
      // The live program waits for console input: a line typed in the Debug Console is that input.
      this.travel.engine.sendInput(new TextEncoder().encode(`${args.expression}\n`));
      response.body = { result: '', variablesReference: 0 };
      return this.startTravel(response, () => this.travel!.continue('forward'), true);
    }
    this.answer(response, () => {
      const frame = args.frameId !== undefined ? this.frames.get(args.frameId) : undefined;
      const ctx = this.travel!.valueContext(frame);
      // gdb's memory examine, typed in the Debug Console.
      if (args.context === 'repl' && isExamineCommand(args.expression)) return { result: examineMemory(ctx, args.expression), variablesReference: 0 };
      const v = this.variables!.variable(ctx, args.expression, args.expression, evaluateExpression(ctx, args.expression), ctx.frame);
      return { result: v.value, type: v.type, variablesReference: v.variablesReference, memoryReference: v.memoryReference };
    });
  }

  protected disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): void {
    this.answer(response, () => {
      const address = (parseAddress(args.memoryReference) + (args.offset ?? 0)) >>> 0;
      const instructions = disassembleAround(this.travel!.view, this.symbols, address, args.instructionOffset ?? 0, args.instructionCount, (file) => new Source(basename(file), this.convertDebuggerPathToClient(file)));
      return { instructions };
    });
  }

  protected readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    this.answer(response, () => {
      const address = (parseAddress(args.memoryReference) + (args.offset ?? 0)) >>> 0;
      const bytes = this.travel!.view.readMemory(address, Math.min(args.count, 1 << 20));
      return { address: hexAddress(address), data: Buffer.from(bytes).toString('base64'), unreadableBytes: args.count - bytes.length };
    });
  }

  // ---- history is read-only ----

  protected setVariableRequest(response: DebugProtocol.SetVariableResponse): void {
    this.sendErrorResponse(response, { id: 1010, format: READ_ONLY, showUser: true });
  }
  protected setExpressionRequest(response: DebugProtocol.SetExpressionResponse): void {
    this.sendErrorResponse(response, { id: 1010, format: READ_ONLY, showUser: true });
  }
  protected writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse): void {
    this.sendErrorResponse(response, { id: 1010, format: READ_ONLY, showUser: true });
  }

  protected customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    if (HistoryRequests.commands.includes(command)) return void this.history.handle(command, response, args);
    if (!Object.values(RewindRequest).includes(command as never)) {
      return this.sendErrorResponse(response, { id: 1011, format: `unknown request ${command}` });
    }
    void this.custom.handle(command, response, args);
  }

  // ---- helpers ----

  /** Runs a synchronous handler body; an exception becomes an error response with its message. */
  answer<T>(response: DebugProtocol.Response, body: () => T): void {
    try {
      response.body = body();
      this.sendResponse(response);
    } catch (e) {
      this.sendErrorResponse(response, { id: 1020, format: (e as Error).message });
    }
  }

  sendError(response: DebugProtocol.Response, message: string): void {
    this.sendErrorResponse(response, { id: 1021, format: message });
  }

  get isBusy(): boolean {
    return this.busy;
  }

  announceAndStop(stop: Stop): void {
    this.sendEvent(new ContinuedEvent(THREAD_ID, true));
    this.reportStop(stop);
  }

  frameById(id: number | undefined): Frame | undefined {
    return id === undefined ? undefined : this.frames.get(id);
  }

  get launchedInfo(): Launched | undefined {
    return this.launched;
  }

  private locationOf(frame: Frame): { source?: DebugProtocol.Source; line: number } {
    const loc = frame.location;
    if (!loc) return { line: 0 };
    return { source: new Source(basename(loc.file), this.convertDebuggerPathToClient(loc.file)), line: this.convertDebuggerLineToClient(loc.line) };
  }

  private sourceOf(address: number): { source?: DebugProtocol.Source; line?: number } {
    const loc = this.symbols?.locationAt(address);
    return loc ? { source: new Source(basename(loc.file), this.convertDebuggerPathToClient(loc.file)), line: this.convertDebuggerLineToClient(loc.line) } : {};
  }

  terminate(): void {
    this.sendEvent(new TerminatedEvent());
  }
}

/** An output event; the guest's lines carry the step that printed them. */
function outputEvent(text: string, category: string, step?: number): DebugProtocol.OutputEvent {
  const event = new OutputEvent(text, category) as DebugProtocol.OutputEvent;
  if (step !== undefined) event.body.data = { step } satisfies OutputData;
  return event;
}
