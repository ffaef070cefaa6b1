/** Reads an ELF file from disk into a fresh machine, with errors a user can act on. */
import { fstatSync, readFileSync } from 'node:fs';
import { codeBytes, parseElf, ElfImage } from '../emulator/elf';
import { Machine, DEFAULT_CONFIG, MachineConfig } from '../emulator/machine';
import { ConsoleSink, OutsideWorld, ScriptedOutside } from '../emulator/outside';
import { BufferedConsole } from './console-sink';
import { HostOutside } from './host-outside';
import { ParsedArgs, UsageError } from './args';
import { DEFAULT_DATE, GuestDateError, parseGuestDate } from '../debugger/guest-date';
import { expectProgramCode } from '../emulator/cpu/block-encoding';
import { fileStartsWith, INPUT_FILE_LIMIT, PROGRAM_FILE_LIMIT, readRegularFile, UserFileError } from '../debugger/user-files';

export class ProgramError extends Error {
  override name = 'ProgramError'; // cli/main.ts tells errors by name (its gdb and mcp bundles have their own copies of this class)
}

/**
 * Reads a regular file the user named, up to `limit` bytes; `what` says which ("", "input ") in the
 * error.
 */
export function readUserFile(path: string, what = '', limit = what ? INPUT_FILE_LIMIT : PROGRAM_FILE_LIMIT): Uint8Array {
  try {
    // Console input may come from a pipe (`--stdin <(...)`); programs and recordings are regular files.
    return readRegularFile(path, limit, `the ${what}file`, what === 'input ');
  } catch (e) {
    if (!(e instanceof UserFileError)) throw e;
    throw new ProgramError(e.problem === 'missing' ? `no such ${what}file: ${path}` : e.message);
  }
}

/** True when `path` is a regular file that starts as an ELF does (a program, not a recording). */
export function isElf(path: string): boolean {
  return fileStartsWith(path, Uint8Array.of(0x7f, 0x45, 0x4c, 0x46));
}

/**
 * The program this process runs (every command runs one). The block interpreter is told its size: how it
 * encodes blocks, and so what V8 compiles, depends on it (block-encoding.ts expectProgramCode).
 */
export function readProgram(path: string): { bytes: Uint8Array; image: ElfImage } {
  const bytes = readUserFile(path);
  let image: ElfImage;
  try {
    image = parseElf(bytes);
  } catch (e) {
    throw new ProgramError(`${path}: ${(e as Error).message}`);
  }
  expectProgram(image);
  return { bytes, image };
}

/** Tells the block interpreter the size of the program's code (`rewind replay` runs the recording's). */
export function expectProgram(image: ElfImage): void {
  expectProgramCode(codeBytes(image));
}

export { commandLineOf } from '../debugger/command-line';

export function createMachine(image: ElfImage, outside: OutsideWorld, sink: ConsoleSink, commandLine: string, config: MachineConfig = DEFAULT_CONFIG): Machine {
  const machine = new Machine(config, outside, sink, { codeBytes: codeBytes(image) });
  machine.semihosting.commandLine = commandLine;
  try {
    machine.loadProgram(image);
  } catch (e) {
    throw new ProgramError((e as Error).message);
  }
  return machine;
}

/** Console input that can tell when it has ended (so that a program polling for more can be stopped). */
export type ConsoleInput = OutsideWorld & { uartInputEnded(): boolean };

/**
 * The guest's outside world for `run` and `record`: the file given with --stdin, else the terminal (read
 * when the guest asks, after flushing its output so that a prompt shows first); the date at the start
 * (`startDate`) whichever the input.
 */
export function consoleInput(stdinFile: string | boolean | undefined, sink: BufferedConsole, date: number): ConsoleInput {
  if (typeof stdinFile === 'string') return new ScriptedOutside(readUserFile(stdinFile, 'input '), undefined, date);
  const redirected = redirectedFile();
  if (redirected) return new ScriptedOutside(redirected, undefined, date);
  const terminal = new HostOutside(0, () => sink.flush(), date);
  sink.onWrite = (bytes) => terminal.noteOutput(bytes);
  return terminal;
}

/**
 * Standard input when it is a regular file (`rewind run prog.elf < input.txt`), read whole: the program
 * then sees its input exactly as with `--stdin input.txt`, at the same steps (a terminal or a pipe is read
 * when the program asks, so its bytes arrive when they come). A file above the input limit stays streamed.
 */
function redirectedFile(): Uint8Array | undefined {
  try {
    const stat = fstatSync(0);
    return stat.isFile() && stat.size <= INPUT_FILE_LIMIT ? new Uint8Array(readFileSync(0)) : undefined;
  } catch {
    return undefined; // no standard input at all (closed): the terminal path says so when the program reads
  }
}

/** The guest's date at the start of the run: `--date` (`now`: the host's), else the fixed default. */
export function startDate(args: ParsedArgs): number {
  const text = args.options.get('date');
  if (text === undefined) return DEFAULT_DATE;
  try {
    return parseGuestDate(text);
  } catch (e) {
    if (e instanceof GuestDateError) throw new UsageError(`--date: ${e.message}`);
    throw e;
  }
}
