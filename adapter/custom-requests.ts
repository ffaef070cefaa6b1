/**
 * Rewind's custom DAP requests, declared once: the adapter answers them and the extension (src/) sends
 * them, both from these types. Types and request names only; nothing here runs. Steps are instruction
 * counts from the start of the recording (step 0 = before the first instruction).
 *
 * After every request that moves the position (seek, reverseStepIn, reverseStepOut, lastWrite, lastChange) the adapter
 * sends `continued`, then `stopped` (for a seek with the description "Step N"), since the client did not
 * ask to run.
 */

/** The request names (the `command` of the DAP request). */
export const RewindRequest = {
  info: 'rewind/info',
  seek: 'rewind/seek',
  stepBreakpoints: 'rewind/stepBreakpoints',
  lastWrite: 'rewind/lastWrite',
  lastChange: 'rewind/lastChange',
  reverseStepIn: 'rewind/reverseStepIn',
  reverseStepOut: 'rewind/reverseStepOut',
  executions: 'rewind/executions',
  valueHistory: 'rewind/valueHistory',
  timeline: 'rewind/timeline',
  bookmarks: 'rewind/bookmarks',
} as const;

export type RewindCommand = (typeof RewindRequest)[keyof typeof RewindRequest];

/** Whether a DAP command is one of Rewind's own. */
export function isRewindRequest(command: string): command is RewindCommand {
  return (Object.values(RewindRequest) as string[]).includes(command);
}

/** One value that came from outside the guest while recording (console input, date, ...). */
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
/**
 * `rewind/lastChange`: seek to the last step before the current one at which an expression over
 * registers and CSRs changed (`$sp`, `$mstatus`, a field such as `($mstatus >> 3) & 1`: the Registers
 * and CSR scopes' `evaluateName`s). The position is before the instruction (or trap) that changed it.
 * When it did not change since the recording began, the response is an error whose message says so.
 */
export interface LastChangeArguments {
  expression: string;
}
export interface LastChangeResponseBody {
  /** The step of the change (the position after the request). */
  step: number;
  /** The value before and after that step, as the Variables view shows it. */
  before: string;
  after: string;
}

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

// ---- the whole run at once ----
// These answer from a pass over the whole recording (before and after now) without moving the position.
// While one runs the adapter sends progress events (cancellable); a cancel request (by progressId or by
// the request's seq) ends it with an error response "cancelled". Steps are positions before the
// instruction that matters: seek there to see it about to run.

/** `rewind/executions`: every step at which a source line began to run, ascending. */
export interface ExecutionsArguments {
  source: { path: string };
  /** 1-based. A line without code moves to the next line with code, as breakpoints do (see `line` in the answer). */
  line: number;
  /** Optional C expressions evaluated at each execution (in the innermost frame there). */
  expressions?: string[];
}
export interface ExecutionsResponseBody {
  steps: number[];
  /** The line whose executions these are (the requested one, or the next one with code). */
  line: number;
  /** With `expressions`: per execution, each expression's value (or the reason it has none), parallel to `steps`. */
  values?: string[][];
  /** True when there were more executions than the adapter collects (200,000); `steps` holds the first ones. */
  truncated?: boolean;
}

/**
 * `rewind/valueHistory`: one sample per write to the storage of an expression (evaluated at the current
 * step in `frameId`'s frame) or of a memory range, with the value after the write, ascending. A value not
 * in memory (a register) is sampled at evenly spaced steps instead (`sampled` is then true).
 */
export type ValueHistoryArguments =
  | { expression: string; frameId?: number }
  | { address: string | number; length: number };
export interface ValueSample {
  step: number;
  /** The value as the Variables view shows it. */
  value: string;
  /** The value as a number when it is a scalar (for plotting). */
  number?: number;
}
export interface ValueHistoryResponseBody {
  samples: ValueSample[];
  /** What was watched, in words ("bank.posted (4 bytes at 0x80200a3c)"). */
  label: string;
  sampled?: boolean;
  truncated?: boolean;
}

/** The kinds of moment on the timeline. */
export type TimelineEventKind = 'output' | 'input' | 'trap' | 'interrupt' | 'exit' | 'breakpoint' | 'logpoint' | 'stepBreakpoint' | 'bookmark';

/** `rewind/timeline` (no arguments): the recording's events in step order. */
export interface TimelineEvent {
  step: number;
  kind: TimelineEventKind;
  text: string;
}
export interface TimelineResponseBody {
  lastStep: number;
  events: TimelineEvent[];
}

/** `rewind/bookmarks`: named steps, kept beside the recording in `NAME.rewind.json`. */
export type BookmarksArguments =
  | { action: 'add'; step: number; name?: string }
  | { action: 'remove'; step: number }
  | { action: 'list' };
export interface BookmarksResponseBody {
  bookmarks: Array<{ step: number; name: string }>;
}

/**
 * Output events carry `data: OutputData`: the guest's console lines (category stdout/stderr) and the lines
 * of logpoints (category console, with `source` and `line` of the logpoint). The guest's output comes in
 * batches of lines; `outputLines` splits one back into lines, each with its step.
 */
export interface OutputData {
  /** The step that printed the event's first character. */
  step: number;
  /** With several lines in the event: the step that printed each line's first character, in order. */
  lineSteps?: number[];
}

/** The lines of an output event (without their newlines), each with the step that began printing it. */
export function outputLines(output: string, data: OutputData): Array<{ text: string; step: number }> {
  const texts = output.replace(/\n$/, '').split('\n');
  return texts.map((text, i) => ({ text, step: data.lineSteps?.[i] ?? data.step }));
}

/** Each request's arguments and response body, by command: both sides type their calls from this. */
export interface RewindRequests {
  'rewind/info': { arguments: Record<string, never>; body: InfoResponseBody };
  'rewind/seek': { arguments: SeekArguments; body: SeekResponseBody };
  'rewind/stepBreakpoints': { arguments: StepBreakpointsArguments; body: StepBreakpointsResponseBody };
  'rewind/lastWrite': { arguments: LastWriteArguments; body: LastWriteResponseBody };
  'rewind/lastChange': { arguments: LastChangeArguments; body: LastChangeResponseBody };
  'rewind/reverseStepIn': { arguments: ReverseStepArguments; body: undefined };
  'rewind/reverseStepOut': { arguments: ReverseStepArguments; body: undefined };
  'rewind/executions': { arguments: ExecutionsArguments; body: ExecutionsResponseBody };
  'rewind/valueHistory': { arguments: ValueHistoryArguments; body: ValueHistoryResponseBody };
  'rewind/timeline': { arguments: Record<string, never>; body: TimelineResponseBody };
  'rewind/bookmarks': { arguments: BookmarksArguments; body: BookmarksResponseBody };
}
