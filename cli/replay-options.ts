/**
 * The options `rewind replay run.rewind` takes besides the recording, so that a harness may give the
 * replay the options it gave `rewind record` (QEMU's rr=replay wants the very command line of its
 * rr=record):
 * - `--max-steps N`: the replay stops after N steps, where `rewind run --max-steps N` stops (status 124,
 *   the same output), if the recording goes further;
 * - `-- ARG…`: accepted when they are the recorded arguments; other arguments are refused with a
 *   sentence (a recording replays with the command line it was recorded with);
 * - `--stdin FILE`, `--date DATE`: what the program read is in the recording, so they change nothing,
 *   and a status line says so (at a terminal or with --verbose: a harness sees run's stderr);
 * - `--verbose`: the status lines even when stderr is not a terminal.
 */
import { ParsedArgs, UsageError, integerOption } from './args';
import { commandLineOf } from './load-program';
import { Recording } from '../emulator/replay/recording-format';
import { writeStatusLine } from './terminal-write';

export const REPLAY_OPTIONS = ['max-steps', 'stdin', 'date'];

/** The step the replay stops at (undefined: the end of the recording); refuses arguments that are not the recording's. */
export function replayLimit(args: ParsedArgs, recording: Recording): number | undefined {
  if (args.programArgs !== undefined && commandLineOf(recording.programName, args.programArgs) !== recording.commandLine) {
    throw new UsageError(`the arguments after -- are not the recording's: a recording replays with the command line it was recorded with, ${JSON.stringify(recording.commandLine)} (rewind info shows it)`);
  }
  for (const name of ['stdin', 'date'] as const) {
    if (args.options.has(name)) writeStatusLine(args.options.has('verbose'), `rewind: --${name} changes nothing in a replay: the program reads what the recording holds\n`);
  }
  const maxSteps = integerOption(args, 'max-steps');
  return maxSteps !== undefined && maxSteps < recording.lastStep ? maxSteps : undefined;
}
