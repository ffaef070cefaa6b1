/**
 * `rewind run prog.elf [--stdin FILE] [--max-steps N] [--stats]`: runs a program to its end with the
 * guest's console on stdout and the guest's exit status as the process's.
 */
import { readFileSync } from 'node:fs';
import { ParsedArgs, UsageError, integerOption } from './args';
import { BufferedConsole } from './console-sink';
import { HostOutside } from './host-outside';
import { createMachine, readProgram } from './load-program';
import { OutsideWorld, ScriptedOutside } from '../emulator/outside';
import { StopReason } from '../emulator/machine';
import { exitStatus } from './stop-report';

export function runCommand(args: ParsedArgs): number {
  const [path] = args.positional;
  if (!path) throw new UsageError('rewind run needs a program: rewind run prog.elf');
  const { image } = readProgram(path);
  const maxSteps = integerOption(args, 'max-steps') ?? Infinity;
  const sink = new BufferedConsole();
  const stdinFile = args.options.get('stdin');
  const outside: OutsideWorld = typeof stdinFile === 'string'
    ? new ScriptedOutside(readInput(stdinFile))
    : new HostOutside(0, () => sink.flush());
  const machine = createMachine(image, outside, sink);

  const started = process.hrtime.bigint();
  let reason: StopReason;
  // Run in slices so that output shows up while a long program runs.
  do {
    reason = machine.run(Math.min(50_000_000, maxSteps - machine.step));
    sink.flush();
  } while (reason.kind === 'limit' && machine.step < maxSteps);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  if (args.options.has('stats')) {
    const mips = machine.step / seconds / 1e6;
    process.stderr.write(`rewind: ${machine.step.toLocaleString('en-US')} steps in ${seconds.toFixed(3)} s (${mips.toFixed(1)} MIPS)\n`);
  }
  return exitStatus(reason, machine.step, machine.pc);
}

function readInput(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch {
    throw new UsageError(`cannot read the input file ${path}`);
  }
}
