/**
 * A program whose next instruction jumps or branches to itself, with no interrupt able to take it out,
 * can never make progress: the command line says so instead of running forever. The branch needs no
 * other instruction to change its registers, so if it is taken now it is taken forever: `j .`, and also
 * `beqz gp, .` (where riscv-tests park a failing test with TESTNUM 0) or `jalr x0, 0(t0)` with t0 = pc.
 * picolibc's default start-up code (no `--crt0=` option) ends with such a jump when `main` returns: it
 * never calls `exit`.
 */
import { Machine } from '../emulator/machine';
import { Mstatus } from '../emulator/cpu/csr-file';
import { decode, Decoded } from '../emulator/isa/decode';
import { formatDecoded } from '../emulator/isa/disassemble';
import { hexAddress as hex } from '../emulator/hex';

// Every interrupt enable bit of mie: software, timer and external, supervisor and machine.
const INTERRUPTS = (1 << 1) | (1 << 3) | (1 << 5) | (1 << 7) | (1 << 9) | (1 << 11);

/** Whether `d` at `pc`, run with these registers, goes back to `pc` (and then again, forever). */
function jumpsToItself(d: Decoded, pc: number, x: Int32Array): boolean {
  const a = x[d.rs1], b = x[d.rs2];
  switch (d.spec.name) {
    case 'jal': return d.imm === 0;
    // rd = rs1 would change the target after the first jump.
    case 'jalr': return ((a + d.imm) & ~1) >>> 0 === pc >>> 0 && (d.rd === 0 || d.rd !== d.rs1);
    case 'beq': return d.imm === 0 && a === b;
    case 'bne': return d.imm === 0 && a !== b;
    case 'blt': return d.imm === 0 && a < b;
    case 'bge': return d.imm === 0 && a >= b;
    case 'bltu': return d.imm === 0 && a >>> 0 < b >>> 0;
    case 'bgeu': return d.imm === 0 && a >>> 0 >= b >>> 0;
    default: return false;
  }
}

/** A sentence saying why the program can never go on, or undefined if it can. */
export function endlessLoop(machine: Machine): string | undefined {
  if (machine.halted) return undefined;
  const bytes = machine.peek(machine.pc, 4);
  const word = (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0;
  const decoded = decode((word & 3) === 3 ? word : word & 0xffff);
  if (decoded === undefined || !jumpsToItself(decoded, machine.pc, machine.x)) return undefined;
  const interruptsOn = machine.privilege !== 3 || (machine.csr.mstatus & Mstatus.MIE) !== 0;
  if (interruptsOn && (machine.csr.mie & INTERRUPTS) !== 0) return undefined;
  const where = `at pc ${hex(machine.pc)} (step ${machine.step.toLocaleString('en-US')})`;
  if (decoded.spec.name !== 'jal' && decoded.spec.name !== 'jalr') {
    return `the program branches to itself forever ${where} on a condition that cannot change ` +
      `(${formatDecoded(decoded, machine.pc)}) with interrupts off, so it can never go on`;
  }
  return `the program jumps to itself forever ${where} with interrupts off, ` +
    'so it can never go on; picolibc\'s default start-up code does this when main returns: link with --crt0=semihost ' +
    '(or --crt0=hosted) so that returning from main exits';
}
