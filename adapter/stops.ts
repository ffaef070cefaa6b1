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
  /** Lines for the Debug Console (a data breakpoint's old and new value, the whole story of the end). */
  details?: string[];
}

export function reportedStop(stop: Stop): ReportedStop {
  const reported: ReportedStop = { reason: DAP_REASON[stop.reason], description: stop.description, text: stop.text, hitBreakpointIds: stop.hitBreakpointIds, details: stop.details };
  if (stop.reason === 'end') endOfRecording(reported);
  return reported;
}

/**
 * The end of the recording. VS Code heads the Call Stack with the description ("Paused on exited with
 * status 1"), so it says what happened in a few words; the Debug Console gets the whole sentence.
 */
function endOfRecording(reported: ReportedStop): void {
  const full = /^end of recording: (.+)$/.exec(reported.description)?.[1];
  if (!full) return;
  // "the program exited with status 1", or through the test finisher "the program exited (0x5555, pass)".
  const exited = /^the program (exited (?:with status -?\d+|\([^)]*\)))$/.exec(full);
  reported.description = exited ? exited[1] : 'end of recording';
  reported.details = [...(reported.details ?? []), `Rewind: end of the recording: ${full}. Step Back, Reverse Continue and Go to Step still work from here.`];
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
