/** Reads an ELF file from disk into a fresh machine, with errors a user can act on. */
import { readFileSync } from 'node:fs';
import { parseElf, ElfImage } from '../emulator/elf';
import { Machine, DEFAULT_CONFIG, MachineConfig } from '../emulator/machine';
import { ConsoleSink, OutsideWorld } from '../emulator/outside';

export class ProgramError extends Error {}

export function readProgram(path: string): { bytes: Uint8Array; image: ElfImage } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ProgramError(code === 'ENOENT' ? `no such file: ${path}` : `cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return { bytes, image: parseElf(bytes) };
  } catch (e) {
    throw new ProgramError(`${path}: ${(e as Error).message}`);
  }
}

export function createMachine(image: ElfImage, outside: OutsideWorld, sink: ConsoleSink, config: MachineConfig = DEFAULT_CONFIG): Machine {
  const machine = new Machine(config, outside, sink);
  try {
    machine.loadProgram(image);
  } catch (e) {
    throw new ProgramError((e as Error).message);
  }
  return machine;
}

/** Reads the file given with --stdin. */
export function readInputFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ProgramError(code === 'ENOENT' ? `no such input file: ${path}` : `cannot read the input file ${path}: ${(e as Error).message}`);
  }
}
