/**
 * `rewind run prog.elf [--stdin FILE] [--max-steps N] [--stats]`: runs a program to its end with the
 * guest's console on stdout and the guest's exit status as the process's.
 */
import { ParsedArgs, UsageError, integerOption } from './args';
import { BufferedConsole } from './console-sink';
import { createMachine, consoleInput, readProgram } from './load-program';
import { StopReason } from '../emulator/machine';
import { exitStatus } from './stop-report';
import { endlessLoop } from './endless-loop';

const SLICE = 10_000_000;

export function runCommand(args: ParsedArgs): number {
  const [path] = args.positional;
  if (!path) throw new UsageError('rewind run needs a program: rewind run prog.elf');
  const { image } = readProgram(path);
  const maxSteps = integerOption(args, 'max-steps') ?? Infinity;
  const sink = new BufferedConsole();
  const stdinFile = args.options.get('stdin');
  const outside = consoleInput(stdinFile, sink);
  const machine = createMachine(image, outside, sink);

  const started = process.hrtime.bigint();
  let reason: StopReason;
  // Run in slices so that output shows up while a long program runs, and a program that can never go
  // on is caught between them.
  for (;;) {
    reason = machine.run(Math.min(SLICE, maxSteps - machine.step));
    sink.flush();
    if (reason.kind !== 'limit' || machine.step >= maxSteps) break;
    const loop = endlessLoop(machine);
    if (loop !== undefined) {
      reason = { kind: 'stuck', message: loop };
      break;
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  if (args.options.has('stats')) {
    const mips = machine.step / seconds / 1e6;
    process.stderr.write(`rewind: ${machine.step.toLocaleString('en-US')} steps in ${seconds.toFixed(3)} s (${mips.toFixed(1)} MIPS)\n`);
  }
  return exitStatus(reason, machine);
}
