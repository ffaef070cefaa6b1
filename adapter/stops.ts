/**
 * The one place where a stop of the core becomes what VS Code shows: the `stopped` event's reason
 * (DAP's words), with the core's description ("Paused on …") and text.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import { Stop, StopReason } from '../debugger/stop';

type DapReason = DebugProtocol.StoppedEvent['body']['reason'];

const DAP_REASON: Record<StopReason, DapReason> = {
  step: 'step',
  start: 'step',
  end: 'step',
  breakpoint: 'breakpoint',
  stepBreakpoint: 'breakpoint',
  functionBreakpoint: 'function breakpoint',
  instructionBreakpoint: 'instruction breakpoint',
  dataBreakpoint: 'data breakpoint',
  trap: 'exception',
  execution: 'goto',
  input: 'pause',
  cancelled: 'pause',
};

/** A stop as the adapter reports it; `entry` and `pause` (an error) exist only here. */
export interface ReportedStop {
  reason: DapReason;
  description: string;
  text?: string;
  hitBreakpointIds?: number[];
  /** Lines for the Debug Console (a data breakpoint's old and new value). */
  details?: string[];
}

export function reportedStop(stop: Stop): ReportedStop {
  return { reason: DAP_REASON[stop.reason], description: stop.description, text: stop.text, hitBreakpointIds: stop.hitBreakpointIds, details: stop.details };
}

const MODE_NAMES = ['U-mode (user)', 'S-mode (supervisor)', '', ''];

/**
 * Where the hart is, for programs with more than one privilege mode: " in S-mode (supervisor)" or
 * " in U-mode (user)" after a stop's description; nothing in M-mode, where most programs always run.
 */
export function privilegeNote(privilege: number): string {
  const name = MODE_NAMES[privilege & 3];
  return name ? ` in ${name}` : '';
}
