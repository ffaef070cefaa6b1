/**
 * Register values for gdb, by gdb's register number (see target-description.ts). Reads never change
 * the machine: a CSR is read with machine privilege for the moment of the read, so that a debugger can
 * see every CSR even while the guest runs in user mode.
 */
import { Machine } from '../emulator/machine';
import { csrName } from '../emulator/isa/csrs';
import { CSR_NUMBERS, CSR_REGNUM_BASE, PC_REGNUM, PRIV_REGNUM } from './target-description';
import { le32Hex } from './hex';

const csrSet = new Set(CSR_NUMBERS);

/** The value of gdb register `regnum`, or undefined if this target has no such register. */
export function readRegister(machine: Machine, regnum: number): number | undefined {
  if (regnum >= 0 && regnum < 32) return machine.x[regnum] >>> 0;
  if (regnum === PC_REGNUM) return machine.pc >>> 0;
  if (regnum === PRIV_REGNUM) return machine.privilege;
  const csr = regnum - CSR_REGNUM_BASE;
  if (!csrSet.has(csr)) return undefined;
  const privilege = machine.privilege;
  machine.privilege = 3;
  try {
    return machine.csr.read(csr, 0, machine.pc) >>> 0;
  } catch (e) {
    throw new Error(`cannot read CSR ${csrName(csr)}: ${(e as Error).message}`);
  } finally {
    machine.privilege = privilege;
  }
}

/** The `g` packet's answer: x0–x31 and pc. gdb fetches the CSRs one by one with `p` when it needs them. */
export function generalRegistersHex(machine: Machine): string {
  let out = '';
  for (let r = 0; r <= PC_REGNUM; r++) out += le32Hex(readRegister(machine, r)!);
  return out;
}
