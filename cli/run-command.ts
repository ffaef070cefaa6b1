/**
 * `rewind run prog.elf [--stdin FILE] [--max-steps N] [--stats] [--hash] [--date DATE] [-- ARG…]`: runs a program to its end with
 * the guest's console on stdout and the guest's exit status as the process's. `--hash` prints the steps
 * taken and the final state hash, the figures `rewind replay` checks, so that a run and the replay of
 * its recording can be compared.
 */
import { ParsedArgs, UsageError, integerOption } from './args';
import { BufferedConsole } from './console-sink';
import { commandLineOf, createMachine, consoleInput, readProgram, startDate } from './load-program';
import { StateHasher } from '../emulator/replay/state-hash';
import { exitStatus } from './stop-report';
import { CommandStop, runInSlices } from './run-slices';
import { writeStderr } from './terminal-write';
import { countText } from '../debugger/count-text';

export function runCommand(args: ParsedArgs): number | Promise<number> {
  const [path] = args.positional;
  if (!path) throw new UsageError('rewind run needs a program: rewind run prog.elf');
  const { image } = readProgram(path);
  const maxSteps = integerOption(args, 'max-steps') ?? Infinity;
  const sink = new BufferedConsole();
  const stdinFile = args.options.get('stdin');
  const outside = consoleInput(stdinFile, sink, startDate(args));
  const machine = createMachine(image, outside, sink, commandLineOf(path, args.programArgs));
  const hasher = args.options.has('hash') ? new StateHasher(machine) : undefined;

  const started = process.hrtime.bigint();
  const end = (reason: CommandStop): number => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (args.options.has('stats')) {
      const mips = machine.step / seconds / 1e6;
      writeStderr(`rewind: ${countText(machine.step)} steps in ${seconds.toFixed(3)} s (${mips.toFixed(1)} MIPS)\n`);
    }
    if (hasher) {
      hasher.update(machine.ram.takeDirtyPages());
      writeStderr(`rewind: ran ${countText(machine.step)} steps; final state hash ${hasher.digest()}\n`);
    }
    return exitStatus(reason, machine);
  };
  const stop = runInSlices({ machine, run: (steps) => machine.run(steps), sink, outside, stdinFile, maxSteps });
  return stop instanceof Promise ? stop.then(end) : end(stop);
}
