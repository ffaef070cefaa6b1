/**
 * Running an example on Rewind's machine the way the differential test needs it: console input
 * delivered as QEMU delivers it from a pipe, output of the UART and of semihosting collected together.
 */
import { readFileSync } from 'node:fs';
import { parseElf } from '../../emulator/elf';
import { DEFAULT_CONFIG, Machine, StopReason } from '../../emulator/machine';
import { OutsideWorld } from '../../emulator/outside';

/**
 * Console input as from a pipe whose writer wrote everything at once (what QEMU's `:tt` read sees when
 * the test gives it stdin): a read gets as much as it asks for, not a line at a time, so that the byte
 * counts the guest's read calls return are the same on both.
 */
export class PipeOutside implements OutsideWorld {
  private offset = 0;
  constructor(private readonly input: Uint8Array) {}

  readConsole(_step: number, max: number): Uint8Array {
    const chunk = this.input.slice(this.offset, this.offset + max);
    this.offset += chunk.length;
    return chunk;
  }

  pollUart(): number | null {
    return null;
  }

  uartArrivalStep(): number {
    return Infinity;
  }

  uartArrival(): number {
    throw new Error('no UART input here');
  }

  dateAtStart(): number {
    return 0;
  }
}

export function newMachine(elf: string, input: string): { machine: Machine; output: () => string } {
  const chunks: number[] = [];
  const machine = new Machine(DEFAULT_CONFIG, new PipeOutside(new TextEncoder().encode(input)), {
    write: (_stream, bytes) => { for (const b of bytes) chunks.push(b); },
  });
  machine.loadProgram(parseElf(readFileSync(elf)));
  // QEMU answers SYS_GET_CMDLINE with the -kernel argument, which picolibc's start-up code copies.
  machine.semihosting.commandLine = elf;
  return { machine, output: () => Buffer.from(chunks).toString('utf8') };
}

export interface RewindRun {
  output: string;
  /** The exit status, as the `rewind run` process would have it; null if the guest did not exit. */
  status: number | null;
  reason: StopReason;
  steps: number;
}

export function runOnRewind(elf: string, input: string, maxSteps = 100_000_000): RewindRun {
  const { machine, output } = newMachine(elf, input);
  const reason = machine.run(maxSteps);
  return { output: output(), status: reason.kind === 'exit' ? reason.code & 0xff : null, reason, steps: machine.step };
}
