/**
 * Rewind's own requests (declared in custom-requests.ts, sent by the extension): where we are in the
 * recording, seek, step breakpoints, reverse step in/out, the last write to a variable or address, and
 * the last change of a register or CSR.
 * Each handler translates: the core does the work.
 */
import { STEPS_PER_SECOND } from '../emulator/semihosting';
import { DebugProtocol } from '@vscode/debugprotocol';
import { Control } from '../emulator/replay/engine';
import { InputEvent } from '../emulator/replay/recording-format';
import {
  InfoResponseBody, LastChangeArguments, LastChangeResponseBody, LastWriteArguments, LastWriteResponseBody, RecordedEvent, RewindCommand, RewindRequest, SeekArguments,
  SeekResponseBody, StepBreakpointsArguments, StepBreakpointsResponseBody,
} from './custom-requests';
import { evaluateExpression, memoryOf } from '../debugger/expressions/evaluate';
import { Debugger } from '../debugger/debugger';
import { Stop } from '../debugger/stop';
import { Frame } from '../debugger/symbols/api';
import { parseAddress } from '../debugger/address';
import { ReportedStop, reportedStop } from './stops';
import { TravelRunner } from './travel-runner';
import { countText } from '../debugger/count-text';

/** What the handlers need from the session. */
export interface CustomRequestHost {
  readonly core?: Debugger;
  readonly travel: TravelRunner;
  readonly recordingPath?: string;
  answer<T>(response: DebugProtocol.Response, body: () => T): void;
  sendError(response: DebugProtocol.Response, message: string): void;
  sendResponse(response: DebugProtocol.Response): void;
  startTravel(response: DebugProtocol.Response, run: (core: Debugger, control: Control) => Promise<Stop>, announce?: boolean): void;
  reportStop(stop: ReportedStop, announce?: boolean): void;
  frameById(id: number | undefined): Frame | undefined;
}

export class CustomRequests {
  constructor(private readonly session: CustomRequestHost) {}

  async handle(command: RewindCommand, response: DebugProtocol.Response, args: unknown): Promise<void> {
    const core = this.session.core;
    if (!core) return this.session.sendError(response, 'nothing is loaded yet: launch a recording or a program first');
    const a = (args ?? {}) as Record<string, unknown>;
    switch (command) {
      case RewindRequest.info:
        return this.session.answer(response, (): InfoResponseBody => {
          const engine = core.engine;
          return {
            step: engine.step, lastStep: engine.lastStep, live: engine.live,
            recording: this.session.recordingPath, program: engine.recording.programName,
            snapshots: engine.snapshots.steps(), snapshotBytes: engine.snapshots.memoryBytes,
            stepBreakpoints: core.stepBreakpoints.list(), events: engine.recording.events.map(describeEvent),
          };
        });
      case RewindRequest.seek:
        return this.seek(core, response, a as unknown as SeekArguments);
      case RewindRequest.stepBreakpoints:
        return this.session.answer(response, (): StepBreakpointsResponseBody => {
          const sb = a as unknown as StepBreakpointsArguments;
          if ((sb.action === 'add' || sb.action === 'remove') && sb.step === undefined) throw new Error(`rewind/stepBreakpoints ${sb.action} needs "step", the step to ${sb.action === 'add' ? 'stop at' : 'stop no longer at'}`);
          if (sb.action === 'add') core.stepBreakpoints.add(sb.step);
          else if (sb.action === 'remove') core.stepBreakpoints.remove(sb.step);
          else if (sb.action !== 'list') throw new Error('rewind/stepBreakpoints needs "action": add, remove or list');
          return { stepBreakpoints: core.stepBreakpoints.list() };
        });
      case RewindRequest.reverseStepIn:
        return this.session.startTravel(response, (c, control) => c.reverseStepIn(control), true);
      case RewindRequest.reverseStepOut:
        return this.session.startTravel(response, (c, control) => c.reverseStepOut(control), true);
      case RewindRequest.lastWrite: {
        let target: { address: number; length: number };
        try {
          target = this.lastWriteTarget(core, a as unknown as LastWriteArguments);
        } catch (e) {
          return this.session.sendError(response, (e as Error).message);
        }
        return this.lastWrite(core, response, target);
      }
      case RewindRequest.lastChange:
        return this.lastChange(core, response, a as unknown as LastChangeArguments);
    }
  }

  /** Answers after the search: the response says where the change was and what it was, or why there is none. */
  private async lastChange(core: Debugger, response: DebugProtocol.Response, args: LastChangeArguments): Promise<void> {
    if (typeof args.expression !== 'string' || args.expression.trim() === '') return this.session.sendError(response, 'rewind/lastChange needs "expression", e.g. "$sp" or "($mstatus >> 3) & 1"');
    if (this.session.travel.isBusy) return this.session.sendError(response, 'the program is already moving: pause it (or wait for it to stop) first');
    let stop: Stop;
    try {
      stop = await this.session.travel.quietly((control) => core.lastChange(args.expression, control));
    } catch (e) {
      return this.session.sendError(response, (e as Error).message);
    }
    if (stop.reason === 'cancelled') return this.session.sendError(response, stop.description);
    response.body = { step: core.step, before: stop.change?.before ?? '', after: stop.change?.after ?? '' } satisfies LastChangeResponseBody;
    this.session.sendResponse(response);
    this.session.reportStop(reportedStop(stop), true);
  }

  /** Answers after the seek with the step reached (`SeekResponseBody`), then reports the stop. */
  private async seek(core: Debugger, response: DebugProtocol.Response, args: SeekArguments): Promise<void> {
    const step = args.step;
    if (typeof step !== 'number') return this.session.sendError(response, 'rewind/seek needs "step", a whole number');
    if (step > core.lastStep || step < 0 || !Number.isInteger(step)) {
      return this.session.sendError(response, `cannot seek to step ${step}: the recording goes from step 0 to step ${countText(core.lastStep)}`);
    }
    if (this.session.travel.isBusy) return this.session.sendError(response, 'the program is already moving: pause it (or wait for it to stop) first');
    let stop: Stop;
    try {
      stop = await this.session.travel.quietly((control) => core.seek(step, control));
    } catch (e) {
      return this.session.sendError(response, (e as Error).message);
    }
    response.body = { step: core.step } satisfies SeekResponseBody;
    this.session.sendResponse(response);
    this.session.reportStop(reportedStop(stop), true);
  }

  private lastWriteTarget(core: Debugger, args: LastWriteArguments): { address: number; length: number } {
    if ('variable' in args) {
      const ctx = core.valueContext(this.session.frameById(args.frameId));
      return memoryOf(ctx, evaluateExpression(ctx, args.variable), args.variable);
    }
    if (args.address === undefined) throw new Error('rewind/lastWrite needs "variable", or "address" and "length"');
    const address = typeof args.address === 'number' ? args.address : parseAddress(args.address);
    if (!(args.length > 0)) throw new Error('rewind/lastWrite needs "length", a number of bytes from 1');
    return { address: address >>> 0, length: args.length };
  }

  /** Answers after the search: the response says where the write was, or why there is none. */
  private async lastWrite(core: Debugger, response: DebugProtocol.Response, target: { address: number; length: number }): Promise<void> {
    if (this.session.travel.isBusy) return this.session.sendError(response, 'the program is already moving: pause it (or wait for it to stop) first');
    let stop: Stop;
    try {
      stop = await this.session.travel.quietly((control) => core.lastWrite(target.address, target.length, control));
    } catch (e) {
      return this.session.sendError(response, (e as Error).message);
    }
    response.body = { step: core.step, address: target.address, length: target.length } satisfies LastWriteResponseBody;
    this.session.sendResponse(response);
    this.session.reportStop(reportedStop(stop), true);
  }
}

function describeEvent(e: InputEvent): RecordedEvent {
  switch (e.kind) {
    case 'console': return { step: e.step, kind: 'input', description: e.bytes.length ? `input ${JSON.stringify(new TextDecoder().decode(e.bytes))}` : 'end of input' };
    case 'uart': return { step: e.step, kind: 'uart', description: `UART byte 0x${e.byte.toString(16).padStart(2, '0')}${e.arrived ? ' (arrived: receive interrupt)' : ''}` };
    case 'clock': return { step: e.step, kind: 'clock', description: `date read: ${new Date((e.seconds + Math.floor(e.step / STEPS_PER_SECOND)) * 1000).toISOString()}` };
  }
}
