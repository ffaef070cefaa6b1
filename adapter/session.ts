/**
 * The debug adapter: a thin DAP session over the time-travel core (`Debugger`, in debugger/). Handlers
 * translate requests, call the core and answer; every stop goes out through `reportStop`. The adapter
 * never imports `vscode`: any DAP client can drive it.
 */
import { basename } from 'node:path';
import { InitializedEvent, OutputEvent, StoppedEvent, TerminatedEvent, Thread, ContinuedEvent, Handles } from '@vscode/debugadapter';
import { DebugProtocol } from '@vscode/debugprotocol';
import { Control } from '../emulator/replay/engine';
import { hexAddress } from '../emulator/hex';
import { LaunchArguments } from './launch-arguments';
import { launch, Launched } from './launch';
import { Debugger } from '../debugger/debugger';
import { frameName } from '../debugger/frame-name';
import { Stop } from '../debugger/stop';
import { Frame } from '../debugger/symbols/api';
import { StopConditions } from '../debugger/stop-conditions';
import { CAPABILITIES } from './capabilities';
import { ProtocolEdge } from './protocol-edge';
import { privilegeNote, ReportedStop } from './stops';
import { Variables } from './variables';
import { disassembleAround, disassemblyWindow } from './disassembly';
import { evaluateExpression } from '../debugger/expressions/evaluate';
import { examineMemory, isExamineCommand } from '../debugger/expressions/examine';
import { isRewindRequest } from './custom-requests';
import { CustomRequests } from './custom-request-handlers';
import { ConsoleOutput } from './console-output';
import { BreakpointRequests } from './breakpoint-requests';
import { TravelRunner } from './travel-runner';
import { parseAddress } from '../debugger/address';
import { HistoryRequests } from './history-requests';
import { OutputData } from './custom-requests';
import { SourceFiles } from './source-files';
import { endInUserCode } from './end-in-user-code';
import { countText } from '../debugger/count-text';

const THREAD_ID = 1;
const NOT_LOADED = 'nothing is loaded yet: launch a recording or a program first';
const READ_ONLY = 'history is read-only: a recording cannot be changed, only travelled; values, registers and memory are shown as they were at this step';

export class RewindSession extends ProtocolEdge {
  private launched?: Launched;
  private readonly sources = new SourceFiles((p) => this.convertDebuggerPathToClient(p), (l) => this.convertDebuggerLineToClient(l));
  core?: Debugger;
  private readonly conditions = new StopConditions();
  private variables?: Variables;
  private frames = new Handles<Frame>();
  private configured!: () => void;
  private readonly configurationDone = new Promise<void>((resolve) => { this.configured = resolve; });
  private readonly gotoTargets = new Map<number, { addresses: number[]; which: 'previous' | 'next' }>();
  private readonly output = new ConsoleOutput({
    send: (text, category, data) => this.sendEvent(outputEvent(text, category, data)),
    stepNow: () => this.launched?.engine.machine.exactStep() ?? 0,
    canSend: () => this.clientKeepsUp,
    recordingPath: () => this.launched?.recordingPath,
  });
  readonly travel = new TravelRunner({
    sendEvent: (event) => this.sendEvent(event),
    reportStop: (stop) => this.reportStop(stop),
    console: (text) => this.output.console(text),
    step: () => this.core?.step ?? 0,
  });
  private readonly custom = new CustomRequests(this);
  private readonly history = new HistoryRequests({
    core: () => this.core,
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
    core: () => this.core,
    variables: () => this.variables,
    frame: (id) => this.frames.get(id),
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
    response.body = CAPABILITIES;
    this.sendResponse(response);
  }

  protected configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configured();
    this.sendResponse(response);
  }

  protected launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchArguments): void {
    this.guard(response, () => this.launchSession(response, args));
  }

  private async launchSession(response: DebugProtocol.LaunchResponse, args: LaunchArguments): Promise<void> {
    if (this.launched) return this.sendErrorResponse(response, { id: 1000, format: `this session already debugs ${this.launched.recordingPath}: start another debug session for another recording or program` });
    try {
      this.launched = launch(args ?? {}, this.output.sink, (text) => this.output.console(text));
    } catch (e) {
      return this.sendErrorResponse(response, { id: 1001, format: (e as Error).message, showUser: true });
    }
    const { engine, program, programPath } = this.launched;
    const opened = Debugger.open(engine, program, programPath, { sourceRoot: args.sourceRoot, log: (text) => this.output.console(text), breakpoints: this.conditions });
    if (opened.symbolsProblem) this.output.console(`No debug information: ${opened.symbolsProblem}. Instructions, registers and memory still work.\n`);
    this.core = opened.debugger;
    this.variables = new Variables(this.core);
    this.sendEvent(new InitializedEvent());
    await this.configurationDone;
    this.sendResponse(response);
    this.output.console(`Rewind: ${engine.live ? `running ${basename(programPath)} live, recording to ${this.launched.recordingPath}` : `replaying ${this.launched.recordingPath} (${countText(engine.lastStep)} steps)`}\n`);
    // 'important' output is also shown as a notification in VS Code.
    for (const warning of this.launched.warnings) {
      this.output.console(`Rewind: ${warning}\n`);
      this.sendEvent(outputEvent(`Rewind: ${warning}\n`, 'important'));
    }
    if (args.stopOnEntry) this.reportStop({ reason: 'entry', description: 'start of recording' });
    // F5's run to the first stop; when that is the end, in library code, it lands in the user's code.
    else await this.travel.run(async (control) => endInUserCode(this.core!, await this.core!.continue('forward', control), 0, (file) => this.sources.exists(file),
      (text) => this.output.console(text), control));
  }

  /** The end of the session: the adapter process ends too (unless it serves sessions on a port). */
  protected disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    this.guard(response, async () => {
      await this.finish();
      this.sendResponse(response);
      this.shutdown();
    });
  }

  protected terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.guard(response, async () => {
      await this.finish();
      this.sendResponse(response);
      this.sendEvent(new TerminatedEvent());
    });
  }

  /** Stops what runs; a live session's recording gets its end. */
  private async finish(): Promise<void> {
    this.travel.cancel();
    try {
      await this.launched?.engine.finishLive();
      this.launched?.saveIndex();
    } catch (e) {
      this.output.console(`The recording could not be completed: ${(e as Error).message}\n`);
    }
  }

  // ---- breakpoints ----

  protected setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    this.guard(response, async () => {
      response.body = this.breakpoints.setBreakpoints(args);
      // A new logpoint prints every hit in the recording first (retroactive logpoints), then the answer goes.
      await this.history.printNewLogpoints();
      this.sendResponse(response);
    });
  }
  protected setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    this.answer(response, () => this.breakpoints.setFunctionBreakpoints(args));
  }
  protected setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments): void {
    this.answer(response, () => this.breakpoints.setInstructionBreakpoints(args));
  }
  protected setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    const problem = this.breakpoints.exceptionFiltersProblem(args.filters);
    if (problem) return this.sendErrorResponse(response, { id: 1002, format: problem });
    this.answer(response, () => this.breakpoints.setExceptionBreakpoints(args));
  }
  protected dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    this.answer(response, () => this.breakpoints.dataBreakpointInfo(args));
  }
  protected setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    this.answer(response, () => this.breakpoints.setDataBreakpoints(args));
  }

  // ---- travel ----

  protected continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.startTravel(response, (core, control) => core.continue('forward', control));
  }
  protected reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.startTravel(response, (core, control) => core.continue('backward', control));
  }
  protected nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.startTravel(response, (core, control) => (args.granularity === 'instruction' ? core.stepInstruction('forward') : core.next(control)));
  }
  protected stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.startTravel(response, (core, control) => (args.granularity === 'instruction' ? core.stepInstruction('forward') : core.stepIn(control)));
  }
  protected stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    this.startTravel(response, (core, control) => (args.granularity === 'instruction' ? core.stepInstruction('forward') : core.stepOut(control)));
  }
  /** DAP's stepBack is reverse next (or one instruction back at instruction granularity). */
  protected stepBackRequest(response: DebugProtocol.StepBackResponse, args: DebugProtocol.StepBackArguments): void {
    this.startTravel(response, (core, control) => (args.granularity === 'instruction' ? core.stepInstruction('backward') : core.reverseNext(control)));
  }
  protected restartFrameRequest(response: DebugProtocol.RestartFrameResponse, args: DebugProtocol.RestartFrameArguments): void {
    const frame = this.frames.get(args.frameId);
    if (!frame) return this.sendErrorResponse(response, { id: 1003, format: `frame ${args.frameId} is no longer valid: the program moved since the stack was shown` });
    this.startTravel(response, (core, control) => core.restartFrame(frame, control));
  }
  protected pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.travel.cancel();
    this.sendResponse(response);
  }
  protected cancelRequest(response: DebugProtocol.CancelResponse, args: DebugProtocol.CancelArguments): void {
    if (this.history.cancel(args ?? {})) return this.sendResponse(response);
    this.travel.cancel(args?.progressId);
    this.sendResponse(response);
  }

  protected gotoTargetsRequest(response: DebugProtocol.GotoTargetsResponse, args: DebugProtocol.GotoTargetsArguments): void {
    const resolved = this.core?.symbols?.resolveLine(this.convertClientPathToDebugger(args.source.path ?? ''), this.convertClientLineToDebugger(args.line));
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
    this.startTravel(response, (core, control) => core.gotoExecution(target.addresses, target.which, control), true);
  }

  /** Answers at once, then travels and reports the stop (continued first when the client did not ask to run). */
  startTravel(response: DebugProtocol.Response, run: (core: Debugger, control: Control) => Promise<Stop>, announce = false): void {
    const core = this.core;
    if (!core) return this.sendErrorResponse(response, { id: 1006, format: NOT_LOADED });
    if (this.travel.isBusy) return this.sendErrorResponse(response, { id: 1007, format: 'the program is already moving: pause it (or wait for it to stop) first' });
    this.sendResponse(response);
    if (announce) this.sendEvent(new ContinuedEvent(THREAD_ID, true));
    void this.travel.run((control) => run(core, control));
  }

  /** Rewind's own messages go after the program's lines printed before them. */
  protected console(text: string): void {
    this.output.console(text);
  }

  /** Every stop reaches VS Code here. */
  reportStop(stop: ReportedStop, announce = false): void {
    if (announce) this.sendEvent(new ContinuedEvent(THREAD_ID, true));
    this.output.flush();
    if (stop.details?.length) this.output.console(`${stop.details.join('\n')}\n`);
    this.frames = new Handles<Frame>();
    this.variables?.reset();
    const event = new StoppedEvent(stop.reason, THREAD_ID, stop.text) as DebugProtocol.StoppedEvent;
    event.body.description = stop.description + privilegeNote(this.core?.engine.machine.privilege ?? 3);
    event.body.allThreadsStopped = true;
    if (stop.hitBreakpointIds?.length) event.body.hitBreakpointIds = stop.hitBreakpointIds;
    this.sendEvent(event);
  }

  // ---- where we are ----

  protected threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD_ID, 'RV32 hart 0')] };
    this.sendResponse(response);
  }

  protected stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    this.answer(response, () => {
      const core = this.core!;
      const frames = core.frames();
      const start = args.startFrame ?? 0;
      const shown = frames.slice(start, args.levels ? start + args.levels : undefined);
      const stackFrames: DebugProtocol.StackFrame[] = shown.map((f) =>
        this.sources.stackFrame(f, this.frames.create(f), frameName(f, core.symbols)));
      if (stackFrames.length === 0) {
        const pc = core.pc;
        stackFrames.push({ id: 0, name: core.symbols?.symbolAt(pc)?.name ?? hexAddress(pc), line: 0, column: 0, instructionPointerReference: hexAddress(pc) });
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
    if (args.context === 'repl' && this.core?.engine.waitingForInput) {
      // The live program waits for console input: a line typed in the Debug Console is that input.
      this.core.engine.sendInput(new TextEncoder().encode(`${args.expression}\n`));
      response.body = { result: '', variablesReference: 0 };
      return this.startTravel(response, (core, control) => core.continue('forward', control), true);
    }
    this.answer(response, () => {
      const frame = args.frameId !== undefined ? this.frames.get(args.frameId) : undefined;
      const ctx = this.core!.valueContext(frame);
      // gdb's memory examine, typed in the Debug Console.
      if (args.context === 'repl' && isExamineCommand(args.expression)) return { result: examineMemory(ctx, args.expression), variablesReference: 0 };
      const v = this.variables!.variable(ctx, args.expression, args.expression, evaluateExpression(ctx, args.expression), ctx.frame);
      return { result: v.value, type: v.type, variablesReference: v.variablesReference, memoryReference: v.memoryReference };
    });
  }

  protected disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): void {
    this.answer(response, () => {
      const address = (parseAddress(args.memoryReference) + (args.offset ?? 0)) >>> 0;
      const window = disassemblyWindow(args.instructionOffset ?? 0, args.instructionCount);
      if (window.note) this.output.console(`Rewind: ${window.note}\n`);
      return { instructions: disassembleAround(this.core!.position.view, this.core!.symbols, address, window.offset, window.count, (file) => this.sources.source(file)) };
    });
  }

  protected readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    this.answer(response, () => {
      const address = (parseAddress(args.memoryReference) + (args.offset ?? 0)) >>> 0;
      const bytes = this.core!.position.view.readMemory(address, Math.min(args.count, 1 << 20));
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
    if (!isRewindRequest(command)) return this.sendErrorResponse(response, { id: 1011, format: `unknown request ${command}` });
    void this.custom.handle(command, response, args);
  }

  // ---- helpers ----

  /** Runs a synchronous handler body; an exception becomes an error response with its message. */
  answer<T>(response: DebugProtocol.Response, body: () => T): void {
    try {
      response.body = body();
      this.sendResponse(response);
    } catch (e) {
      this.sendErrorResponse(response, { id: 1020, format: this.core ? (e as Error).message : NOT_LOADED });
    }
  }

  sendError(response: DebugProtocol.Response, message: string): void {
    this.sendErrorResponse(response, { id: 1021, format: message });
  }

  frameById(id: number | undefined): Frame | undefined {
    return id === undefined ? undefined : this.frames.get(id);
  }

  get recordingPath(): string | undefined {
    return this.launched?.recordingPath;
  }

  private sourceOf(address: number): { source?: DebugProtocol.Source; line?: number } {
    const loc = this.core?.symbols?.locationAt(address);
    const source = loc && this.sources.source(loc.file);
    return source && loc ? { source, line: this.convertDebuggerLineToClient(loc.line) } : {};
  }
}

/** An output event; the guest's lines carry the steps that printed them. */
function outputEvent(text: string, category: string, data?: OutputData): DebugProtocol.OutputEvent {
  const event = new OutputEvent(text, category) as DebugProtocol.OutputEvent;
  if (data) event.body.data = data;
  return event;
}
