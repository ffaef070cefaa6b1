/**
 * A program that runs long enough (tens of millions of steps) for an interrupt to arrive while a
 * continue or reverse-continue is under way: a counting loop, then the test finisher.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assemble, scratchDir } from '../support/toolchain';

export const LOOP_ITERATIONS = 40_000_000;

export function longRunElf(): string {
  const elf = assemble(`
    li t0, ${LOOP_ITERATIONS}
    li a0, 0
  loop:
    addi a0, a0, 1
    addi t0, t0, -1
    bnez t0, loop
    li t1, 0x100000
    li t2, 0x5555
    sw t2, 0(t1)
  hang:
    j hang
  `);
  const path = join(scratchDir(), `long-run-${process.pid}.elf`);
  writeFileSync(path, elf);
  return path;
}
