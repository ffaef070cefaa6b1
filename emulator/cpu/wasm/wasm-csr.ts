/**
 * CSR instructions on mstatus inside a wasm region (critical sections: `csrc/csrs mstatus, 8`), as the
 * JavaScript region compiler runs them (region-compiler.ts `mstatusAccess`, the same semantics as the
 * interpreter's): the region calls this with the operand and the steps the chain has taken before the
 * instruction; the outcome goes to the exit word EXIT_CSR: 0 done, 1 not done (not in machine mode: the
 * interpreter runs it, and it traps), 2 done and the slice end moved (an interrupt is now due), so the
 * region leaves after it. Clearing an enable never moves the slice end.
 */
import { Decoded } from '../../isa/decode';
import { RegionHost } from '../region';
import { EXIT_CSR } from './wasm-chain';

const MSTATUS = 0x300;
/** mstatus' SIE and MIE bits. */
const INTERRUPT_ENABLES = (1 << 1) | (1 << 3);

/** Runs the instruction `d` at `pc`; returns the old value of mstatus (for rd). */
export function mstatusAccess(d: Decoded, pc: number, m: RegionHost, entry: { s0: number; e0: number }): (operand: number, steps: number) => number {
  const exits = m.ram.exitWords;
  const kind = d.spec.name.replace(/i$/, '');
  const immediate = d.spec.name.endsWith('i');
  if (immediate && kind !== 'csrrw' && (d.rs1 & ~INTERRUPT_ENABLES) === 0) {
    // csrsi/csrci of MIE or SIE directly: mstatus holds only legal values, so the CSR file's write would
    // store exactly this, and the address mode stays as it is.
    const set = kind === 'csrrs';
    return (operand, steps) => {
      if (m.privilege !== 3) { exits[EXIT_CSR] = 1; return 0; }
      const c = m.csr;
      const o = c.mstatus;
      c.mstatus = set ? o | operand : o & ~operand;
      if (set) {
        m.step = entry.s0 + steps;
        m.accessPc = pc;
        m.recheckInterrupts();
      }
      exits[EXIT_CSR] = m.sliceEnd !== entry.e0 ? 2 : 0;
      return o;
    };
  }
  const reads = kind !== 'csrrw' || d.rd !== 0;
  const writes = kind === 'csrrw' || d.rs1 !== 0;
  return (operand, steps) => {
    if (m.privilege !== 3) { exits[EXIT_CSR] = 1; return 0; }
    m.step = entry.s0 + steps;
    m.accessPc = pc;
    const o = reads ? m.csr.read(MSTATUS, d.raw, pc) : 0;
    if (writes) m.csr.write(MSTATUS, kind === 'csrrw' ? operand : kind === 'csrrs' ? o | operand : o & ~operand, d.raw, pc);
    m.recheckInterrupts();
    exits[EXIT_CSR] = m.sliceEnd !== entry.e0 ? 2 : 0;
    return o;
  };
}
