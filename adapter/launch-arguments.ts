/**
 * The attributes of a `rewind` launch configuration. This interface and `LAUNCH_ATTRIBUTES` below must
 * stay in step with `contributes.debuggers[0].configurationAttributes.launch` in package.json: VS Code
 * validates launch.json against that schema, and the adapter reads what it validated.
 */
import { DebugProtocol } from '@vscode/debugprotocol';

export interface LaunchArguments extends DebugProtocol.LaunchRequestArguments {
  /** A `.rewind` recording to replay. Use this or `program`. */
  recording?: string;
  /** A RISC-V ELF to run live: it is recorded as it runs. Use this or `recording`. */
  program?: string;
  /** With `program`: a file whose bytes are the program's console input, then end of input. */
  stdin?: string;
  /** With `program`: the program's arguments (argv after its name). */
  args?: string[];
  /** With `program`: the program's date at its start, ISO 8601 or seconds since 1970 (default: now). */
  date?: string | number;
  /** With `program`: where the recording of this session is written (default: beside the program, `NAME.rewind`, or `NAME-2.rewind`, ... when that exists). */
  recordingPath?: string;
  /** Stop at step 0 instead of running to the first breakpoint. */
  stopOnEntry?: boolean;
  /** Memory for snapshots, in MiB (default 256). */
  snapshotMemoryMB?: number;
  /** The folder that the debug info's relative source names are relative to (default: the ELF's folder). */
  sourceRoot?: string;
}

/** The same attributes as JSON schema, with the descriptions users see in launch.json. */
export const LAUNCH_ATTRIBUTES = {
  recording: {
    type: 'string',
    description: 'A recording (.rewind) to replay: made by `rewind record` or a live session. Replay needs nothing else; the program is stored in the recording.',
  },
  program: {
    type: 'string',
    description: 'A RISC-V ELF (RV32IMAC, QEMU virt memory map) to run, record and debug live. Use this or `recording`.',
  },
  stdin: {
    type: 'string',
    description: 'With `program`: a file whose bytes are the program\'s console input, recorded like typed input; end of input follows.',
  },
  args: {
    type: 'array',
    items: { type: 'string' },
    default: [],
    description: 'With `program`: the program\'s arguments (its argv after its name), as in a terminal: ["-n", "10"]. Words with spaces are quoted in the command line as a shell would. A recording replays with the arguments it was recorded with.',
  },
  date: {
    type: ['string', 'number'],
    description: 'With `program`: the program\'s date at its start (semihosting SYS_TIME, time(), gettimeofday()): ISO 8601 ("2026-01-01T00:00:00Z"; UTC without an offset), seconds since 1970, or "now" for the host\'s date when the session starts. Default: 2000-01-01T00:00:00Z, so that every run sees the same date. It advances with the program\'s own clock, and a recording keeps it.',
  },
  recordingPath: {
    type: 'string',
    description: 'With `program`: where to write the recording this session makes, so that it can be replayed later (default: beside the program, NAME.rewind, or NAME-2.rewind and so on: an existing recording is never overwritten).',
  },
  stopOnEntry: {
    type: 'boolean',
    default: false,
    description: 'Stop at step 0, before the first instruction, instead of running to the first breakpoint (or to the end of the recording).',
  },
  snapshotMemoryMB: {
    type: 'number',
    default: 256,
    minimum: 1,
    description: 'Memory for the snapshots the replay keeps to seek and run backwards quickly; more memory, faster jumps.',
  },
  sourceRoot: {
    type: 'string',
    description: 'The folder the program\'s debug info names its sources relative to (default: the folder of the ELF or recording).',
  },
} as const;

export const DEFAULT_SNAPSHOT_MEMORY_MB = 256;
