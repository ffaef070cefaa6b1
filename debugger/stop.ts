/**
 * What a travel operation ended on, in the user's words and with no protocol in it: the reason, the step
 * and pc, the breakpoints hit and a description ("breakpoint at bug.c:68 (step 1,234)"). Front ends
 * translate it: the DAP adapter into a `stopped` event, the CLI and MCP into text.
 */
import { EngineStop } from '../emulator/replay/engine';
import { causeName } from '../emulator/cpu/traps';
import { hexAddress } from '../emulator/hex';
import { AddressBreakpoint, DataBreakpoint } from './stop-conditions';
import type { DataAccess } from './data-access';
import { countText } from './count-text';

export type StopReason =
  | 'step'                  // a step, a seek, a statement step that arrived
  | 'breakpoint'            // a line breakpoint (or a bare address breakpoint)
  | 'functionBreakpoint'
  | 'instructionBreakpoint'
  | 'dataBreakpoint'
  | 'stepBreakpoint'
  | 'trap'                  // an exception or interrupt the user asked to stop at
  | 'execution'             // the previous or next execution of a line or address
  | 'start'                 // step 0: nothing earlier to go to
  | 'end'                   // the end of the recording
  | 'input'                 // a live program waits for input
  | 'cancelled';            // cancelled (or paused) where the engine was

export interface Stop {
  reason: StopReason;
  /** The position after the operation. */
  step: number;
  pc: number;
  /** One line for people, e.g. "breakpoint at bug.c:68 (step 1,234)". */
  description: string;
  /** A short label (the exception's name). */
  text?: string;
  /** Ids of the user's breakpoints (line, function, instruction, data) that caused this stop. */
  hitBreakpointIds?: number[];
  /** What the engine reported (addresses, the watched access, mcause, the program's exit). */
  cause?: EngineStop;
  /** More lines for the console, as gdb prints them ("Old value = -35", "New value = 100"). */
  details?: string[];
  /** For "last change": the value before and after the step that changed it. */
  change?: { before: string; after: string };
}

export function stepStop(step: number, pc: number): Stop {
  return { reason: 'step', step, pc, description: `Step ${countText(step)}` };
}

/** `where` names the place, e.g. "bug.c:68" or "0x80000010". */
export function breakpointStop(hit: AddressBreakpoint[], step: number, pc: number, where: string, cause: EngineStop): Stop {
  const kind = hit[0].kind;
  const reason = kind === 'function' ? 'functionBreakpoint' : kind === 'instruction' ? 'instructionBreakpoint' : 'breakpoint';
  const words = kind === 'function' ? 'function breakpoint' : kind === 'instruction' ? 'instruction breakpoint' : 'breakpoint';
  return { reason, step, pc, description: `${words} at ${where} (step ${countText(step)})`, hitBreakpointIds: hit.map((b) => b.id), cause };
}

export function describeStop(stop: EngineStop, step: number, pc: number, data?: DataBreakpoint, exitStatus?: string, access?: DataAccess): Stop {
  const at = { step, pc, cause: stop };
  switch (stop.reason) {
    case 'step':
      return { ...stepStop(step, pc), cause: stop };
    case 'breakpoint':
      return { reason: 'breakpoint', ...at, description: `breakpoint at ${hexAddress(stop.address)} (step ${countText(step)})` };
    case 'stepBreakpoint':
      return { reason: 'stepBreakpoint', ...at, description: `step breakpoint at step ${countText(stop.step)}` };
    case 'watchpoint': {
      const what = data?.label ?? `${stop.size} bytes at ${hexAddress(stop.address)}`;
      const stepped = `(step ${countText(step)})`;
      const ids = data ? [data.id] : undefined;
      if (access?.access === 'write' && access.before !== undefined) {
        return {
          reason: 'dataBreakpoint', ...at, hitBreakpointIds: ids,
          description: `data breakpoint: ${what} changed from ${access.before} to ${access.after} ${stepped}`,
          details: [`Data breakpoint: ${what}`, `Old value = ${access.before}`, `New value = ${access.after}`, `${access.by}, step ${countText(step)}`],
        };
      }
      if (access) {
        const verb = access.access === 'write' ? 'written' : 'read';
        return {
          reason: 'dataBreakpoint', ...at, hitBreakpointIds: ids,
          description: `data breakpoint: ${what} ${verb}, value ${access.after} ${stepped}`,
          details: [`Data breakpoint: ${what}`, `Value = ${access.after}`, `${access.by}, step ${countText(step)}`],
        };
      }
      const verb = stop.access === 'write' ? 'written' : 'read';
      return {
        reason: 'dataBreakpoint', ...at, hitBreakpointIds: ids,
        description: `data breakpoint: ${what} ${verb} (${stop.size}-byte ${stop.access === 'write' ? 'store' : 'load'}) by the instruction at ${hexAddress(stop.pc)} ${stepped}`,
      };
    }
    case 'trap': {
      const name = causeName(stop.mcause);
      return { reason: 'trap', ...at, description: `exception: ${name} at ${hexAddress(stop.pc)}`, text: name };
    }
    case 'start':
      return { reason: 'start', ...at, description: 'start of recording' };
    case 'end':
      return { reason: 'end', ...at, description: exitStatus ? `end of recording: ${exitStatus}` : 'end of recording' };
    case 'input':
      return { reason: 'input', ...at, description: 'the program waits for input: type a line in the Debug Console' };
    case 'cancelled':
      return { reason: 'cancelled', ...at, description: `paused at step ${countText(step)}` };
  }
}
