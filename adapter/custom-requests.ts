/**
 * Rewind's custom DAP requests, declared once: the adapter answers them and the extension (src/) sends
 * them, both from these types. Types and request names only; nothing here runs. Steps are instruction
 * counts from the start of the recording (step 0 = before the first instruction).
 *
 * After every request that moves the position (seek, reverseStepIn, reverseStepOut, lastWrite) the adapter
 * sends `continued`, then `stopped` (for a seek with the description "Step N"), since the client did not
 * ask to run.
 */

/** The request names (the `command` of the DAP request). */
export const RewindRequest = {
  info: 'rewind/info',
  seek: 'rewind/seek',
  stepBreakpoints: 'rewind/stepBreakpoints',
  lastWrite: 'rewind/lastWrite',
  reverseStepIn: 'rewind/reverseStepIn',
  reverseStepOut: 'rewind/reverseStepOut',
} as const;

/** One value that came from outside the guest while recording (console input, host clock, ...). */
export interface RecordedEvent {
  /** The step at which the guest received it. */
  step: number;
  /** What kind of outside value, in the user's words: "input", "clock", "interrupt", ... */
  kind: string;
  /** A short human text, e.g. `input "12 * 7\n"`. */
  description: string;
}

/** `rewind/info` (no arguments): where the session is in time, and what the recording holds. */
export interface InfoResponseBody {
  step: number;
  /** The step at which the recording ends; `seek` accepts 0..lastStep. */
  lastStep: number;
  /** Path of the recording being replayed (for `launch {program}`, the file it was recorded to, if any). */
  recording?: string;
  /** The program's name as stored in the recording. */
  program?: string;
  /** Steps at which the engine holds a snapshot. */
  snapshots: number[];
  /** Memory the snapshots take, in bytes. */
  snapshotBytes: number;
  /** True while a live program can still run past `lastStep`. */
  live: boolean;
  /** The step breakpoints, ascending. */
  stepBreakpoints: number[];
  /** The recorded outside values, ascending by step. */
  events: RecordedEvent[];
}

/** `rewind/seek`: jump to exactly this step (0..lastStep). */
export interface SeekArguments {
  step: number;
}
export interface SeekResponseBody {
  step: number;
}

/** `rewind/stepBreakpoints`: stop when replay reaches exactly `step`, in either direction. */
export type StepBreakpointsArguments =
  | { action: 'add' | 'remove'; step: number }
  | { action: 'list' };
export interface StepBreakpointsResponseBody {
  /** All step breakpoints after the action, ascending. */
  stepBreakpoints: number[];
}

/**
 * `rewind/lastWrite`: seek to the last step before the current one that wrote the given memory; either an
 * expression (a variable's `evaluateName`, evaluated in `frameId`'s frame) or an address range.
 * When nothing wrote it since the recording began, the response is an error whose message says so.
 */
export type LastWriteArguments =
  | { variable: string; frameId?: number }
  | { address: string | number; length: number };
export interface LastWriteResponseBody {
  /** The step of the write (the position after the request). */
  step: number;
  /** Where the written bytes start and how many the write covered. */
  address?: number;
  length?: number;
}

/** `rewind/reverseStepIn` and `rewind/reverseStepOut` take the thread and answer with no body. */
export interface ReverseStepArguments {
  threadId: number;
}
