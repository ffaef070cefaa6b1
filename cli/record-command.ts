/**
 * `rewind record prog.elf -o run.rewind [--stdin FILE] [--max-steps N] [--force] [--date DATE] [--verbose] [-- ARG…]`: runs
 * the program with its console on the terminal and records it. Without --stdin, input typed at the
 * terminal is read when the program asks and recorded. An existing -o file is replaced only if it is a
 * recording (or --force). Its stderr is `rewind run`'s; the line saying what was recorded is added at a
 * terminal or with --verbose (terminal-write.ts).
 */
import { RecordingOutput } from '../debugger/user-files';
import { basename } from 'node:path';
import { ParsedArgs, UsageError, integerOption } from './args';
import { BufferedConsole } from './console-sink';
import { commandLineOf, consoleInput, readProgram, startDate } from './load-program';
import { Recorder } from '../emulator/replay/recorder';
import { describeStop, exitStatus } from './stop-report';
import { CommandStop, runInSlices } from './run-slices';
import { DEFAULT_CONFIG } from '../emulator/machine';
import { IndexFile, WRITTEN_AT_ONCE_BY_A_COMMAND } from '../emulator/replay/index-file';
import { writeStatusLine } from './terminal-write';
import { countText } from '../debugger/count-text';

export function recordCommand(args: ParsedArgs): number | Promise<number> {
  const [path] = args.positional;
  const output = args.options.get('o') ?? args.options.get('output');
  if (!path) throw new UsageError('rewind record needs a program: rewind record prog.elf -o run.rewind');
  if (typeof output !== 'string') throw new UsageError('rewind record needs -o FILE for the recording');
  const { bytes, image } = readProgram(path);
  const maxSteps = integerOption(args, 'max-steps') ?? Infinity;
  // Its output's reader going away (`| head`) stops the run where it stands, with the recording finished there.
  const sink = new BufferedConsole(true);
  const stdinFile = args.options.get('stdin');
  const outside = consoleInput(stdinFile, sink, startDate(args));
  const file = new RecordingOutput(output, args.options.has('force'), 'pass --force to replace it');
  // The snapshot index beside the recording (output.index): opening it later starts near where it goes.
  const index = IndexFile.create(output, WRITTEN_AT_ONCE_BY_A_COMMAND);
  let goesOn = false; // past its first slice: the promise abandons the index when it settles
  try {
    const recorder = new Recorder(bytes, basename(path), outside, sink, file.append, DEFAULT_CONFIG, commandLineOf(path, args.programArgs), image);
    if (index) recorder.keepIndex(index);
    const started = process.hrtime.bigint();
    const end = (reason: CommandStop): number => {
      recorder.finish(reason);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      writeStatusLine(args.options.has('verbose'), `rewind: recorded ${countText(recorder.machine.step)} steps in ${seconds.toFixed(2)} s to ${output} (${describeStop(reason, recorder.machine)})\n`);
      return exitStatus(reason, recorder.machine);
    };
    const stop = runInSlices({ machine: recorder.machine, run: (steps) => recorder.run(steps), sink, outside, stdinFile, maxSteps });
    if (!(stop instanceof Promise)) return end(stop);
    goesOn = true;
    return stop.then(end).finally(() => index?.abandon());
  } finally {
    if (!goesOn) index?.abandon();
  }
}
