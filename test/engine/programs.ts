/**
 * The programs the engine and recording tests travel through: every example (with input for the
 * interactive one), and small assembled programs that ask the outside world for each kind of value
 * (console byte, UART byte, wall clock), so that recordings carry every kind of event.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { assemble } from '../support/toolchain';
import { MachineConfig } from '../../emulator/machine';

export const EXAMPLES = resolve(__dirname, '../../../examples');

/**
 * 8 MiB of RAM instead of 128: the picolibc examples use 4 MiB, and a state hash of the whole RAM (what
 * the tests compare) costs 16 times less.
 */
export const SMALL_CONFIG: MachineConfig = { ramBase: 0x80000000, ramSize: 8 << 20, stepsPerTick: 100 };

export interface Program {
  name: string;
  elf: Uint8Array;
  /** Console input (semihosting). */
  input: Uint8Array;
  /** UART input; the console input when absent (as on the command line). */
  uart?: Uint8Array;
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

export function example(name: string, input = ''): Program {
  return { name: `${name}.elf`, elf: readFileSync(resolve(EXAMPLES, name, `${name}.elf`)), input: text(input) };
}

export const INTERACTIVE_INPUT = readFileSync(resolve(EXAMPLES, 'interactive/input.txt'), 'utf8');

/** Every example, the interactive one with its input file. */
export function examples(): Program[] {
  return [
    example('hello'),
    example('interactive', INTERACTIVE_INPUT),
    example('timer'),
    example('uart'),
    example('bug'),
    example('startup'),
  ];
}

/** A semihosting call: the three-instruction sequence must not be compressed. */
/** Ends a bare-metal test program: "pass" to the SiFive test finisher, then wait there. */
export const PASS_AND_WAIT = `
  li t0, 0x100000
  li t1, 0x5555
  sw t1, 0(t0)
2: j 2b`;

export const SEMIHOST = `
  .option push
  .option norvc
  slli x0, x0, 0x1f
  ebreak
  srai x0, x0, 7
  .option pop`;

/**
 * Reads console characters with SYS_READC until end of input, then echoes UART bytes (polled, with a
 * busy loop between polls) until a '.', reads the wall clock twice, stores everything in `log`, and
 * exits with the number of bytes read through the finisher. Every kind of input event in one program.
 */
export const OUTSIDE_SOURCE = `
  la s0, log
  li s1, 0
read_console:
  li a0, 7            # SYS_READC
  li a1, 0
  ${SEMIHOST}
  blt a0, zero, uart_start
  sb a0, 0(s0)
  addi s0, s0, 1
  addi s1, s1, 1
  j read_console
uart_start:
  li t0, 0x10000000
poll:
  li t2, 50
spin:
  addi t2, t2, -1
  bnez t2, spin
  lbu t1, 5(t0)       # LSR: bit 0 says a byte is waiting
  andi t1, t1, 1
  beqz t1, poll
  lbu t1, 0(t0)       # RBR
  sb t1, 0(s0)
  sb t1, 0(t0)        # echo it on the UART
  addi s0, s0, 1
  addi s1, s1, 1
  li t2, '.'
  bne t1, t2, poll
  li a0, 0x11         # SYS_TIME
  li a1, 0
  ${SEMIHOST}
  sw a0, 0(s0)
  li a0, 0x11
  li a1, 0
  ${SEMIHOST}
  sw a0, 4(s0)
  li t0, 0x100000     # test finisher: exit status s1
  slli s1, s1, 16
  li t1, 0x3333
  or s1, s1, t1
  sw s1, 0(t0)
1: j 1b
  .data
  .align 4
log: .space 256
`;

let outside: Uint8Array | undefined;
export function outsideProgram(input = 'ab\ncd\n', uart = 'xy.'): Program {
  outside ??= assemble(OUTSIDE_SOURCE);
  return { name: 'outside.elf', elf: outside, input: text(input), uart: text(uart) };
}
