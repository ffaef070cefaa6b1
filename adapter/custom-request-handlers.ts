/**
 * Rewind's own requests (declared in custom-requests.ts, sent by the extension): where we are in the
 * recording, seek, step breakpoints, reverse step in/out, and the last write to a variable or address.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import { InputEvent } from '../emulator/replay/recording-format';
import {
  InfoResponseBody, LastWriteArguments, RecordedEvent, RewindRequest, SeekArguments, StepBreakpointsArguments,
} from './custom-requests';
import { evaluateExpression, memoryOf } from '../debugger/expressions/evaluate';
import type { RewindSession } from './session';
import { parseAddress } from '../debugger/address';

export class CustomRequests {
  constructor(private readonly session: RewindSession) {}

  async handle(command: string, response: DebugProtocol.Response, args: unknown): Promise<void> {
    const travel = this.session.travel;
    if (!travel) return this.session.sendError(response, 'nothing is loaded yet: launch a recording or a program first');
    const a = (args ?? {}) as Record<string, unknown>;
    switch (command) {
      case RewindRequest.info:
        return this.session.answer(response, (): InfoResponseBody => {
          const engine = travel.engine;
          return {
            step: engine.step, lastStep: engine.lastStep, live: engine.live,
            recording: this.session.launchedInfo?.recordingPath, program: engine.recording.programName,
            snapshots: engine.snapshots.steps(), snapshotBytes: engine.snapshots.memoryBytes,
            stepBreakpoints: engine.stepBreakpoints(), events: engine.recording.events.map(describeEvent),
          };
        });
      case RewindRequest.seek: {
        const step = (a as unknown as SeekArguments).step;
        if (typeof step !== 'number') return this.session.sendError(response, 'rewind/seek needs "step", a whole number');
        if (step > travel.engine.lastStep || step < 0 || !Number.isInteger(step)) {
          return this.session.sendError(response, `cannot seek to step ${step}: the recording goes from step 0 to step ${travel.engine.lastStep.toLocaleString('en-US')}`);
        }
        return this.session.startTravel(response, () => travel.seek(step), true);
      }
      case RewindRequest.stepBreakpoints:
        return this.session.answer(response, () => {
          const sb = a as unknown as StepBreakpointsArguments;
          if (sb.action === 'add') travel.engine.addStepBreakpoint(sb.step);
          else if (sb.action === 'remove') travel.engine.removeStepBreakpoint(sb.step);
          else if (sb.action !== 'list') throw new Error('rewind/stepBreakpoints needs "action": add, remove or list');
          return { stepBreakpoints: travel.engine.stepBreakpoints() };
        });
      case RewindRequest.reverseStepIn:
        return this.session.startTravel(response, () => travel.reverseStepIn(), true);
      case RewindRequest.reverseStepOut:
        return this.session.startTravel(response, () => travel.reverseStepOut(), true);
      case RewindRequest.lastWrite: {
        let target: { address: number; length: number };
        try {
          target = this.lastWriteTarget(a as unknown as LastWriteArguments);
        } catch (e) {
          return this.session.sendError(response, (e as Error).message);
        }
        return this.lastWrite(response, target);
      }
    }
  }

  private lastWriteTarget(args: LastWriteArguments): { address: number; length: number } {
    const travel = this.session.travel!;
    if ('variable' in args) {
      const ctx = travel.valueContext(this.session.frameById(args.frameId));
      return memoryOf(ctx, evaluateExpression(ctx, args.variable), args.variable);
    }
    if (args.address === undefined) throw new Error('rewind/lastWrite needs "variable", or "address" and "length"');
    const address = typeof args.address === 'number' ? args.address : parseAddress(args.address);
    if (!(args.length > 0)) throw new Error('rewind/lastWrite needs "length", a number of bytes from 1');
    return { address: address >>> 0, length: args.length };
  }

  /** Answers after the search: the response says where the write was, or why there is none. */
  private async lastWrite(response: DebugProtocol.Response, target: { address: number; length: number }): Promise<void> {
    if (this.session.isBusy) return this.session.sendError(response, 'the program is already moving: pause it (or wait for it to stop) first');
    const travel = this.session.travel!;
    const from = travel.step;
    let failure: string | undefined;
    const stop = await this.session.runTravelQuietly(async () => {
      try {
        return await travel.lastWrite(target.address, target.length);
      } catch (e) {
        failure = (e as Error).message;
        return undefined;
      }
    });
    if (failure || !stop) return this.session.sendError(response, failure ?? 'cancelled');
    response.body = { step: travel.step, address: target.address, length: target.length };
    this.session.sendResponse(response);
    if (travel.step !== from || stop) this.session.announceAndStop(stop);
  }
}

function describeEvent(e: InputEvent): RecordedEvent {
  switch (e.kind) {
    case 'console': return { step: e.step, kind: 'input', description: e.bytes.length ? `input ${JSON.stringify(new TextDecoder().decode(e.bytes))}` : 'end of input' };
    case 'uart': return { step: e.step, kind: 'uart', description: `UART byte 0x${e.byte.toString(16).padStart(2, '0')}` };
    case 'clock': return { step: e.step, kind: 'clock', description: `host clock ${new Date(e.seconds * 1000).toISOString()}` };
  }
}
