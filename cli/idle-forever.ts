/**
 * A program that idles in a loop that changes nothing but the pc (`1: wfi; j 1b`, `j .`, the idle loops of
 * cpu/idle-loop.ts, and also branches on registers that nothing in the loop changes) where no interrupt
 * can ever come can never go on: the timer is not armed or not enabled, nothing is
 * pending, and the console input that would raise the UART's receive interrupt has ended (or the guest
 * does not await it). QEMU would idle forever; the command line says so and stops, as it does for a
 * polling loop on ended input (input-poll-loop.ts). Input that may still come (an open terminal or pipe
 * the guest awaits) is waited for, as it should be.
 */
import { Machine } from '../emulator/machine';
import { Mstatus } from '../emulator/cpu/csr-file';
import { changesNothing } from '../emulator/cpu/idle-loop';
import { nextInterruptStep } from '../emulator/cpu/trap-entry';
import { decode, Decoded } from '../emulator/isa/decode';
import { hexAddress as hex } from '../emulator/hex';

/** Idle loops are short (an RTOS's idle task is two instructions); a longer walk finds none. */
const MAX_STEPS = 16;

/**
 * Where `d` at `pc` goes if it changes nothing but the pc, given the registers (which the loop never
 * changes, so a branch goes the same way every turn: `1: bnez s4, done; wfi; j 1b` waits for a handler
 * to set s4); undefined for any other instruction.
 */
function nextPc(d: Decoded, pc: number, x: Int32Array): number | undefined {
  const a = x[d.rs1], b = x[d.rs2];
  const taken = (condition: boolean): number => (condition ? pc + d.imm : pc + d.length) >>> 0;
  switch (d.spec.name) {
    case 'beq': return taken(a === b);
    case 'bne': return taken(a !== b);
    case 'blt': return taken(a < b);
    case 'bge': return taken(a >= b);
    case 'bltu': return taken(a >>> 0 < b >>> 0);
    case 'bgeu': return taken(a >>> 0 >= b >>> 0);
    case 'jalr': return d.rd === 0 ? ((a + d.imm) & ~1) >>> 0 : undefined;
    case 'jal': return d.rd === 0 ? (pc + d.imm) >>> 0 : undefined;
    default: return changesNothing(d) ? (pc + d.length) >>> 0 : undefined;
  }
}

/** Whether the code from `start` goes round a loop of instructions that change nothing but the pc. */
function idleLoopAt(machine: Machine, start: number): boolean {
  // A wfi that traps (in U-mode; in S-mode with mstatus.TW) takes the program elsewhere.
  const wfiTraps = machine.privilege === 0 || (machine.privilege === 1 && (machine.csr.mstatus & Mstatus.TW) !== 0);
  let pc: number | undefined = start;
  for (let i = 0; i < MAX_STEPS; i++) {
    const bytes = machine.peek(pc, 4);
    const word = (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0;
    const d = decode((word & 3) === 3 ? word : word & 0xffff);
    if (d === undefined || (d.spec.name === 'wfi' && wfiTraps)) return false;
    pc = nextPc(d, pc, machine.x);
    if (pc === undefined) return false;
    if (pc === start) return true;
  }
  return false;
}

/**
 * A sentence saying that the program idles forever, or undefined if something may still wake it; `ended`
 * says how its console input ended (input-poll-loop.ts inputEnd), undefined while it has not.
 */
export function idlesForever(machine: Machine, ended: string | undefined): string | undefined {
  if (machine.halted || machine.translating || !idleLoopAt(machine, machine.pc >>> 0)) return undefined;
  // No interrupt known to come, and no count of idle waits running after which the terminal is read.
  if (nextInterruptStep(machine) !== Infinity || machine.idleWaitsBeforeInput() !== Infinity) return undefined;
  const where = `at pc ${hex(machine.pc)} (step ${machine.step.toLocaleString('en-US')})`;
  if (ended !== undefined && machine.uart.waitsForReceiveInterrupt) {
    return `the program waits in wfi ${where} for console input through the UART's receive interrupt, and ${ended}, ` +
      'so it can never go on';
  }
  return `the program idles forever ${where}: no interrupt is enabled that could ever end its loop, so it can never go on`;
}
