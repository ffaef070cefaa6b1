/**
 * "When did this last change?" for registers and CSRs (and fields of them): the time-travel twin of a
 * live watch, as Go to Last Write is for memory. Registers have no write barrier to watch, so the search
 * runs backwards with breakpoints on every instruction in the program that can write the registers the
 * expression reads (any instruction whose destination is one of them; for a CSR, the CSR instructions
 * that name it, `mret`/`sret` and every trap and interrupt), and at each hit compares the value before
 * and after that one step. The last hit that changed the value is the answer; the search is exact as
 * long as the code that ran is the program's own (code written at run time is not looked at).
 */
import { Control } from '../emulator/replay/engine';
import { parseElf } from '../emulator/elf';
import { decode } from '../emulator/isa/decode';
import { registerNumber } from '../emulator/isa/registers';
import { csrByName, csrName } from '../emulator/isa/csrs';
import { evaluateExpression } from './expressions/evaluate';
import { formatValue } from './values/format';
import { Position } from './position';
import { Stop } from './stop';
import { TravelError } from './travel';
import { countText } from './count-text';

/** Every exception and the standard interrupts: a trap writes mstatus, mepc, mcause, mtval (or the S-mode ones). */
const ALL_TRAP_CAUSES = [...Array(16).keys(), ...[1, 3, 5, 7, 9, 11].map((n) => (0x80000000 | n) >>> 0)];
/** CSRs that change without an instruction or a trap saying so: counters every step, pending bits with the devices. */
const DRIFTING_CSRS = new Set(['cycle', 'time', 'instret', 'cycleh', 'timeh', 'instreth', 'mcycle', 'minstret', 'mcycleh', 'minstreth', 'mip', 'sip']);
/** The S-mode CSRs that are views of M-mode ones: a write to either changes both. */
const VIEWS: Record<string, string> = { sstatus: 'mstatus', sie: 'mie', sip: 'mip' };

/** What an expression reads: x registers by number, CSRs by number. */
interface Reads {
  registers: Set<number>;
  csrs: Set<number>;
}

export function registersRead(expression: string): Reads {
  const reads: Reads = { registers: new Set(), csrs: new Set() };
  for (const [, name] of expression.matchAll(/\$([A-Za-z][A-Za-z0-9]*)/g)) {
    const lower = name.toLowerCase();
    if (lower === 'pc') throw new TravelError('$pc changes at every step: use Step Back to see where it was');
    const register = registerNumber(lower);
    if (register !== undefined) {
      if (register === 0) throw new TravelError('$zero is always 0: it never changes');
      reads.registers.add(register);
      continue;
    }
    const csr = csrByName(lower);
    if (!csr) throw new TravelError(`there is no register $${name}; registers are $x0..$x31, ABI names such as $a0 and $sp, and CSRs such as $mstatus`);
    if (DRIFTING_CSRS.has(csr.name)) {
      throw new TravelError(`$${csr.name} changes without an instruction writing it (${/ip$/.test(csr.name) ? 'the devices set its pending bits' : 'it counts steps or time'}), so its last change is not searched for`);
    }
    reads.csrs.add(csr.number);
    const other = VIEWS[csr.name] ?? Object.keys(VIEWS).find((k) => VIEWS[k] === csr.name);
    if (other) reads.csrs.add(csrByName(other)!.number);
  }
  if (reads.registers.size === 0 && reads.csrs.size === 0) {
    throw new TravelError(`"${expression}" reads no register: name registers and CSRs with $ (e.g. $sp, or ($mstatus >> 3) & 1); for a variable in memory, use Go to Last Write`);
  }
  return reads;
}

/** The addresses of the program's instructions that may write what `reads` names (every halfword decoded: a superset is fine). */
export function writersOf(program: Uint8Array, reads: Reads): number[] {
  const found: number[] = [];
  for (const segment of parseElf(program).segments) {
    if ((segment.flags & 1) === 0) continue; // not executable
    const data = segment.data;
    for (let offset = 0; offset + 2 <= data.length; offset += 2) {
      const low = data[offset] | (data[offset + 1] << 8);
      const raw = (low & 3) === 3 && offset + 4 <= data.length ? (low | (data[offset + 2] << 16) | (data[offset + 3] << 24)) >>> 0 : low;
      const d = decode(raw);
      if (!d) continue;
      const name = d.spec.name;
      const writesRegister = d.spec.operands.includes('rd') && reads.registers.has(d.rd);
      // Semihosting (an ebreak sequence) answers in a0; an ecall's handler is code of the program, found as such.
      const semihosting = name === 'ebreak' && reads.registers.has(10);
      const writesCsr = reads.csrs.size > 0 && ((name.startsWith('csrr') && reads.csrs.has(d.imm & 0xfff)) || name === 'mret' || name === 'sret');
      if (writesRegister || semihosting || writesCsr) found.push((segment.vaddr + offset) >>> 0);
    }
  }
  return found;
}

/**
 * Goes back to the last step before now at which `expression`'s value changed: the position before
 * the instruction (or trap) that changed it. Throws a `TravelError` when it did not change since step 0
 * (the position is then unchanged).
 */
export async function lastChange(position: Position, program: Uint8Array, expression: string, control: Control = {}): Promise<Stop> {
  const reads = registersRead(expression);
  const engine = position.engine;
  const text = (): string => formatValue(position.valueContext(), evaluateExpression(position.valueContext(), expression));
  const now = text();
  const from = engine.step;
  const until = { breakpoints: writersOf(program, reads), trapCauses: reads.csrs.size ? ALL_TRAP_CAUSES : [] };
  for (;;) {
    const stop = await engine.run('backward', until, control);
    if (stop.reason === 'cancelled') {
      await engine.seek(from);
      return { reason: 'cancelled', step: from, pc: position.pc, description: 'cancelled: the search for the last change stopped; the position is where it was' };
    }
    if (stop.reason === 'start') {
      await engine.seek(from);
      throw new TravelError(`${expression} has been ${now} since the start of the recording: it did not change before step ${countText(from)}`);
    }
    const at = engine.step;
    const before = text();
    await engine.stepInstruction('forward');
    const after = text();
    await engine.seek(at);
    if (before === after) continue;
    const csrs = [...reads.csrs].map((n) => csrName(n));
    return {
      reason: 'step', step: at, pc: position.pc,
      description: `${expression} last changed at step ${countText(at)}: ${before} → ${after} (at ${position.where(position.pc)})`,
      change: { before, after },
      details: [`${expression}: ${before} → ${after}`, ...(csrs.length && stop.reason === 'trap' ? ['(the trap or interrupt taken at this step changed it)'] : [])],
    };
  }
}
