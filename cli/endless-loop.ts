/**
 * A program that jumps to itself with no interrupt able to take it out can never make progress: the
 * command line says so instead of running forever. picolibc's default start-up code (no `--crt0=`
 * option) ends this way when `main` returns: it never calls `exit`.
 */
import { Machine } from '../emulator/machine';
import { MSTATUS_MIE } from '../emulator/cpu/csr-file';

const C_J_SELF = 0xa001;         // c.j .
const JAL_X0_SELF = 0x0000006f;  // j . (jal x0, 0)
const BEQ_X0_X0_SELF = 0x00000063; // beq x0, x0, .
const INTERRUPTS = (1 << 3) | (1 << 7) | (1 << 11); // MSIP, MTIP, MEIP

/** A sentence saying why the program can never go on, or undefined if it can. */
export function endlessLoop(machine: Machine): string | undefined {
  if (machine.halted) return undefined;
  const bytes = machine.peek(machine.pc, 4);
  const half = bytes[0] | (bytes[1] << 8);
  const word = (half | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0;
  const selfJump = (half & 3) !== 3 ? half === C_J_SELF : word === JAL_X0_SELF || word === BEQ_X0_X0_SELF;
  if (!selfJump) return undefined;
  const interruptsOn = machine.privilege !== 3 || (machine.csr.mstatus & MSTATUS_MIE) !== 0;
  if (interruptsOn && (machine.csr.mie & INTERRUPTS) !== 0) return undefined;
  const at = `0x${(machine.pc >>> 0).toString(16).padStart(8, '0')}`;
  return `the program jumps to itself forever at pc ${at} (step ${machine.step.toLocaleString('en-US')}) with interrupts off, ` +
    'so it can never go on; picolibc\'s default start-up code does this when main returns: link with --crt0=semihost ' +
    '(or --crt0=hosted) so that returning from main exits';
}
