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

function exitStatus(reason: StopReason, steps: number, pc: number): number {
  switch (reason.kind) {
    case 'exit': return reason.code & 0xff;
    case 'limit':
      process.stderr.write(`rewind: stopped after --max-steps ${steps.toLocaleString('en-US')} steps at pc 0x${pc.toString(16)}; the program had not exited\n`);
      return 124;
    case 'reset':
      process.stderr.write('rewind: the guest asked for a reset (test finisher 0x7777); the run ends here\n');
      return 0;
    case 'stuck':
      process.stderr.write(`rewind: ${reason.message}\n`);
      return 125;
    case 'input':
      process.stderr.write('rewind: the guest is waiting for input that never came\n');
      return 125;
    default:
      // Breakpoints, watchpoints and trap stops are never set by `rewind run`.
      process.stderr.write(`rewind: stopped unexpectedly (${reason.kind})\n`);
      return 125;
  }
}

