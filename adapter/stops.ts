/**
 * The one place where what the engine did becomes what VS Code shows: the `stopped` event's reason,
 * its description ("Paused on …") and its text.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import { EngineStop } from '../emulator/replay/engine';
import { causeName } from '../emulator/cpu/traps';
import { AddressBreakpoint, DataBreakpoint } from '../debugger/stop-conditions';

export interface Stop {
  reason: DebugProtocol.StoppedEvent['body']['reason'];
  description: string;
  text?: string;
  hitBreakpointIds?: number[];
}

const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
export const stepText = (n: number): string => n.toLocaleString('en-US');

export function stepStop(step: number): Stop {
  return { reason: 'step', description: `Step ${stepText(step)}` };
}

/** `where` names the place, e.g. "bug.c:68" or "0x80000010". */
export function breakpointStop(hit: AddressBreakpoint[], step: number, where: string): Stop {
  const kind = hit[0].kind;
  const reason = kind === 'function' ? 'function breakpoint' : kind === 'instruction' ? 'instruction breakpoint' : 'breakpoint';
  return { reason, description: `${reason} at ${where} (step ${stepText(step)})`, hitBreakpointIds: hit.map((b) => b.id) };
}

export function describeStop(stop: EngineStop, step: number, data?: DataBreakpoint, exitStatus?: string): Stop {
  switch (stop.reason) {
    case 'step':
      return stepStop(step);
    case 'breakpoint':
      return { reason: 'breakpoint', description: `breakpoint at ${hex(stop.address)} (step ${stepText(step)})` };
    case 'stepBreakpoint':
      return { reason: 'breakpoint', description: `step breakpoint at step ${stepText(stop.step)}` };
    case 'watchpoint': {
      const what = data?.label ?? `${stop.size} bytes at ${hex(stop.address)}`;
      const verb = stop.access === 'write' ? 'written' : 'read';
      return {
        reason: 'data breakpoint',
        description: `data breakpoint: ${what} ${verb} by the instruction at ${hex(stop.pc)} (step ${stepText(step)})`,
        hitBreakpointIds: data ? [data.id] : undefined,
      };
    }
    case 'trap': {
      const name = causeName(stop.mcause);
      return { reason: 'exception', description: `exception: ${name} at ${hex(stop.pc)}`, text: name };
    }
    case 'start':
      return { reason: 'step', description: 'start of recording' };
    case 'end':
      return { reason: 'step', description: exitStatus ? `end of recording: ${exitStatus}` : 'end of recording' };
    case 'input':
      return { reason: 'pause', description: 'the program waits for input: type a line in the Debug Console' };
    case 'cancelled':
      return { reason: 'pause', description: `paused at step ${stepText(step)}` };
  }
}
