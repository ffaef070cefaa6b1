/**
 * Opens what a launch configuration names: a recording to replay, or a program to run live (recorded as
 * it runs, to `recordingPath`). Every problem becomes a sentence the user can act on.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseElf } from '../emulator/elf';
import { ConsoleSink } from '../emulator/outside';
import { ReplayEngine } from '../emulator/replay/engine';
import { IndexFile, openIndexFile } from '../emulator/replay/index-file';
import { OutputTranscript, writeIndexFromReplay } from '../emulator/replay/index-from-replay';
import { decodeRecording, Recording, RecordingError } from '../emulator/replay/recording-format';
import { DEFAULT_SNAPSHOT_MEMORY_MB, LaunchArguments } from './launch-arguments';
import { commandLineOf } from '../debugger/command-line';
import { GuestDateError, parseGuestDate } from '../debugger/guest-date';
import { INPUT_FILE_LIMIT, RecordingOutput, PROGRAM_FILE_LIMIT, readRecordingFile, readRegularFile, RECORDING_FILE_LIMIT, UserFileError } from '../debugger/user-files';

export class LaunchError extends Error {}

export interface Launched {
  engine: ReplayEngine;
  /** The ELF image bytes (from the file, or stored in the recording). */
  program: Uint8Array;
  /** Where the program "lives" for source lookups: its path, or a path beside the recording. */
  programPath: string;
  /** The recording replayed, or the one a live session writes. */
  recordingPath: string;
  /** What the user must know before trusting what they see (a recording of an older build, say). */
  warnings: string[];
  /** At the end of the session: a recording without a usable index that was replayed whole gets one. */
  saveIndex(): void;
}

/** `say`: Rewind's own remarks for the Debug Console (why a snapshot index is not used). */
export function launch(args: LaunchArguments, guestConsole: ConsoleSink, say: (text: string) => void = () => undefined): Launched {
  const console = new OutputTranscript(guestConsole, () => engine.machine.exactStep());
  const saveIndex = (path: string): void => {
    try {
      const existing = openIndexFile(path);
      const index = typeof existing === 'string' || !existing.belongsTo(engine.recording) ? IndexFile.create(path) : undefined;
      if (index) writeIndexFromReplay(engine, console, index);
    } catch {
      // The index only saves time; a session that cannot write one ends as well.
    }
  };
  let engine: ReplayEngine;
  const programArgs = checkArgs(args.args);
  const date = checkDate(args.date);
  const snapshotMemoryBytes = snapshotBytes(args.snapshotMemoryMB);
  if (args.recording !== undefined && args.program !== undefined) {
    throw new LaunchError('give either "recording" (replay a .rewind file) or "program" (run an ELF live), not both');
  }
  if (args.recording !== undefined) {
    const path = resolve(args.recording);
    const recording = readRecording(path);
    // The snapshot index beside the recording, if any: F5 to the end and far seeks start near where they go.
    const index = openIndexFile(path);
    const snapshotIndex = typeof index === 'string' ? undefined : index;
    if (typeof index === 'string' && index !== 'no index') say(`Rewind: ${index}; travel replays from the start of the recording instead.\n`);
    engine = new ReplayEngine(recording, { snapshotMemoryBytes, console, snapshotIndex, say });
    const programPath = join(dirname(path), basename(recording.programName));
    const warnings = [...damage(path, recording), ...staleness(path, recording.program, programPath)];
    if (date !== undefined) warnings.push(`"date" is ignored: ${basename(path)} replays with the date it was recorded with.`);
    if (programArgs.length > 0) warnings.push(`"args" is ignored: ${basename(path)} replays with the command line it was recorded with (${JSON.stringify(recording.commandLine)}).`);
    return { engine, program: recording.program, programPath, recordingPath: path, warnings, saveIndex: () => saveIndex(path) };
  }
  if (args.program !== undefined) {
    const path = resolve(args.program);
    const program = readProgram(path);
    const stdin = args.stdin !== undefined ? readInput(resolve(args.stdin)) : undefined;
    const recordingPath = args.recordingPath !== undefined ? resolve(args.recordingPath) : freeRecordingPath(path);
    let output: RecordingOutput;
    try {
      output = new RecordingOutput(recordingPath);
    } catch (e) {
      if (!(e instanceof UserFileError)) throw e;
      throw new LaunchError(`${e.message}; set "recordingPath" to a new file or an existing .rewind file`);
    }
    engine = ReplayEngine.live({
      program, programName: basename(path), commandLine: commandLineOf(path, programArgs), date, stdin, snapshotMemoryBytes, console,
      append: output.append,
    });
    return { engine, program, programPath: path, recordingPath, warnings: [], saveIndex: () => saveIndex(recordingPath) };
  }
  throw new LaunchError('the launch configuration needs "recording" (a .rewind file to replay) or "program" (a RISC-V ELF to run)');
}

/** What the reader had to leave out or found altered: the user must hear it before trusting the replay. */
function damage(path: string, recording: Recording): string[] {
  const name = basename(path);
  const warnings: string[] = [];
  if (recording.damage) warnings.push(`${name} is damaged: ${recording.recovery}. Only that prefix can be replayed.`);
  else if (recording.recovery) warnings.push(`${name} is incomplete: ${recording.recovery}.`);
  if (recording.programMismatch) warnings.push(`${name}: ${recording.programMismatch}.`);
  return warnings;
}

/**
 * A recording keeps the program it ran; the ELF beside it may have been rebuilt since. Then the replay
 * shows the old build against today's sources, and the user must be told so.
 */
function staleness(recordingPath: string, recorded: Uint8Array, programPath: string): string[] {
  let current: Uint8Array;
  try {
    current = readRegularFile(programPath, PROGRAM_FILE_LIMIT, 'the program');
  } catch {
    return []; // no ELF beside the recording: nothing to compare with
  }
  if (Buffer.compare(Buffer.from(current), Buffer.from(recorded)) === 0) return [];
  return [`${basename(recordingPath)} was recorded from an earlier build of ${basename(programPath)}: the program has changed since, so this replay shows the old build and its lines may not match today's sources. Debug ${basename(programPath)} itself to record the current build.`];
}

/** Beside the program, named after it; an existing recording is never overwritten (bug-2.rewind, ...). */
function freeRecordingPath(program: string): string {
  const base = program.replace(/\.elf$/i, '');
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? `${base}.rewind` : `${base}-${n}.rewind`;
    if (!existsSync(candidate)) return candidate;
  }
}

/** The launch attribute "args": strings only (launch.json is not checked against the schema everywhere). */
function checkArgs(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((a) => typeof a !== 'string')) {
    throw new LaunchError(`"args" must be an array of strings (the program's arguments), not ${JSON.stringify(value)}`);
  }
  return value as string[];
}

/** The launch attribute "date", in seconds since 1970 ("now": the host's); undefined: the fixed default (2000-01-01). */
function checkDate(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseGuestDate(value);
  } catch (e) {
    if (e instanceof GuestDateError) throw new LaunchError(`"date": ${e.message}`);
    throw e;
  }
}

function snapshotBytes(mb: number | undefined): number {
  const value = mb ?? DEFAULT_SNAPSHOT_MEMORY_MB;
  if (typeof value !== 'number' || !(value >= 1)) {
    throw new LaunchError(`"snapshotMemoryMB" must be a number of MiB, at least 1, not ${JSON.stringify(mb)}`);
  }
  return Math.floor(value * 1024 * 1024);
}

function readFile(path: string, what: string, limit: number): Uint8Array {
  return userFile(() => readRegularFile(path, limit, what));
}

/** A user's file read by `read`, its problems said as launch errors. */
function userFile<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (!(e instanceof UserFileError)) throw e;
    throw new LaunchError(e.problem === 'missing' ? `${e.message}; check the path in launch.json` : e.message);
  }
}

function readRecording(path: string): Recording {
  const file = userFile(() => readRecordingFile(path, RECORDING_FILE_LIMIT, 'the recording'));
  try {
    return { ...decodeRecording(file.bytes), sizeBytes: file.size };
  } catch (e) {
    if (e instanceof RecordingError) throw new LaunchError(`${path} is not a usable recording: ${e.message}`);
    throw e;
  }
}

function readProgram(path: string): Uint8Array {
  const bytes = readFile(path, 'the program', PROGRAM_FILE_LIMIT);
  try {
    parseElf(bytes); // says what is wrong: not an ELF, another machine, 64-bit, truncated
  } catch (e) {
    throw new LaunchError(`${path} cannot be run: ${(e as Error).message}; Rewind runs RV32 RISC-V ELF programs (riscv64-unknown-elf-gcc -march=rv32imac -mabi=ilp32)`);
  }
  return bytes;
}

function readInput(path: string): Uint8Array {
  return readFile(path, 'the "stdin" file', INPUT_FILE_LIMIT);
}
