/**
 * `rewind mcp [run.rewind | prog.elf] [--stdin FILE] [--max-steps N] [--date DATE]`: serves a recording to agents and
 * scripts as an MCP server on stdio (see mcp/). A program is first recorded in memory, from start to end,
 * with the file given by --stdin as its console input (none: end of input at once), and the date given
 * by --date (2000-01-01 unless given; `now`: the host's when the server starts).
 *
 * A file that cannot be opened does not stop the server: every tool then answers with the reason, so
 * that the agent (and its user) read what is wrong instead of a server that died.
 */
import { basename } from 'node:path';
import { ParsedArgs, integerOption } from './args';
import { isElf, readProgram, readUserFile, ProgramError, startDate } from './load-program';
import { readRecording } from './recording-file';
import { endlessLoop } from './endless-loop';
import { Recorder } from '../emulator/replay/recorder';
import { ScriptedOutside } from '../emulator/outside';
import { decodeRecording } from '../emulator/replay/recording-format';
import { StopReason } from '../emulator/machine';
import { programBeside, Opened } from '../mcp/session';
import { serveMcpOnStdio } from '../mcp/server';

const VERSION = '0.1.0';
const SLICE = 10_000_000;
/** A program recorded for the server stops here unless it ends first (about ten seconds of running). */
const DEFAULT_MAX_STEPS = 1_000_000_000;

export function mcpCommand(args: ParsedArgs): number {
  const [path] = args.positional;
  const stdinFile = args.options.get('stdin');
  const maxSteps = integerOption(args, 'max-steps') ?? DEFAULT_MAX_STEPS;
  const date = startDate(args);
  const opener = (file: string): Opened => open(file, typeof stdinFile === 'string' ? stdinFile : undefined, maxSteps, date);
  serveMcpOnStdio(opener, path, VERSION).catch((e: Error) => {
    process.stderr.write(`rewind mcp: ${e.message}\n`);
    process.exitCode = 1;
  });
  return 0;
}

function open(path: string, stdinFile: string | undefined, maxSteps: number, date: number): Opened {
  if (!isElf(path)) {
    try {
      const recording = readRecording(path);
      return { recording, path, programPath: programBeside(path, recording.programName) };
    } catch (e) {
      if (!(e instanceof ProgramError)) throw e;
      throw new ProgramError(`${path} is not a recording Rewind can replay: ${e.message.replace(`${path}: `, '')}`);
    }
  }
  const { bytes } = readProgram(path);
  const input = stdinFile !== undefined ? readUserFile(stdinFile, 'input ') : new Uint8Array(0);
  const parts: Uint8Array[] = [];
  const recorder = new Recorder(bytes, basename(path), new ScriptedOutside(input, undefined, date), { write: () => undefined }, (chunk) => parts.push(chunk.slice()));
  let reason: StopReason;
  for (;;) {
    reason = recorder.run(Math.min(SLICE, maxSteps - recorder.machine.step));
    if (reason.kind !== 'limit' || recorder.machine.step >= maxSteps) break;
    const loop = endlessLoop(recorder.machine);
    if (loop !== undefined) {
      reason = { kind: 'stuck', message: loop };
      break;
    }
  }
  recorder.finish(reason);
  return { recording: decodeRecording(Buffer.concat(parts)), path, programPath: path };
}

