/** Runs a small assembly program on the machine, for the instruction tests. */
import { parseElf } from '../../emulator/elf';
import { DEFAULT_CONFIG, Machine, StopReason } from '../../emulator/machine';
import { ConsoleSink, ScriptedOutside } from '../../emulator/outside';
import { assemble } from './toolchain';

/** Ends a test program through the SiFive test finisher with status 0. */
export const EXIT = `
  li t6, 0x100000
  li t5, 0x5555
  sw t5, 0(t6)
1: j 1b
`;

export class CapturedConsole implements ConsoleSink {
  stdout = '';
  stderr = '';
  write(stream: 'stdout' | 'stderr', bytes: Uint8Array): void {
    this[stream] += new TextDecoder().decode(bytes);
  }
}

export interface AsmRun {
  machine: Machine;
  reason: StopReason;
  console: CapturedConsole;
  /** Register by number, as an unsigned 32-bit value. */
  reg(n: number): number;
}

export function runAsm(source: string, options: { maxSteps?: number; input?: string; march?: string } = {}): AsmRun {
  const image = parseElf(assemble(source, options.march));
  const console = new CapturedConsole();
  const machine = new Machine(DEFAULT_CONFIG, new ScriptedOutside(new TextEncoder().encode(options.input ?? '')), console);
  machine.loadProgram(image);
  const reason = machine.run(options.maxSteps ?? 1_000_000);
  return { machine, reason, console, reg: (n) => machine.x[n] >>> 0 };
}
