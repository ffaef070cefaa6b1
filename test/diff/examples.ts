/**
 * The examples the differential test runs on QEMU and on Rewind, and how each is fed: the committed
 * ELFs, so the test checks exactly what a user debugs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const EXAMPLES_DIR = join(__dirname, '..', '..', '..', 'examples');

export interface Example {
  readonly name: string;
  readonly elf: string;
  /** What the guest reads from its console (stdin on QEMU). */
  readonly input: string;
}

function example(name: string, input = ''): Example {
  return { name, elf: join(EXAMPLES_DIR, name, `${name}.elf`), input };
}

export const EXAMPLES: readonly Example[] = [
  example('hello'),
  example('interactive', readFileSync(join(EXAMPLES_DIR, 'interactive', 'input.txt'), 'utf8')),
  example('timer'),
  example('uart'),
  example('bug'),
  example('startup'),
];
