/**
 * Instructions of the privileged architecture that a wasm region runs without leaving, through a call
 * to JavaScript (the same code the interpreter runs): CSR instructions that cannot trap in machine mode
 * (critical sections' `csrc/csrs mstatus, 8`; a trap handler's `csrr mepc`, `csrr mcause`, `csrw mepc`),
 * and `ecall` and `mret`, so that a preemptive kernel's system calls and context switches stay compiled.
 * The region calls a site with the operand and the steps the chain has taken before the instruction
 * (so the machine's step is exact while it runs); the outcome goes to the exit word EXIT_CSR: 0 done,
 * 1 not done (not in machine mode, where a CSR access or mret may trap: the interpreter runs it),
 * 2 done and the slice end moved (an interrupt is now due, a stop condition was met, address
 * translation came on), so the region leaves after it. A CSR site returns the old value (for rd);
 * `ecall` and `mret` return the pc to go on at.
 *
 * Most of them need no call at all (wasm-csr-inline.ts): mstatus, mepc, mcause, mtval and mscratch are
 * words in memory (csr-file.ts), and the exit word EXIT_QUIET says that the hart is in machine mode and
 * that setting mstatus.MIE would bring no interrupt before the slice ends (the timer's deadline, any
 * pending interrupt and the next input arrival all lie at or past it). While it holds, a region writes
 * mstatus and returns from traps to machine mode itself. The chain's entry clears it; the next call
 * works it out (a critical section's, an ecall's, mret's), and a call that may change what it depends
 * on (a CSR write that may change when interrupts come, a new timer deadline) clears it again.
 *
 * `wfi` too (waitAccess): an RTOS's idle task that does something each turn (FreeRTOS' idle hook,
 * bench/rtosdemo) is no idle loop the run loop can skip, and left the region at every `wfi`.
 */
import { Decoded } from '../../isa/decode';
import { RegionHost } from '../region';
import { Cause } from '../traps';
import { interruptStepIfEnabled, Mip, TrapHost } from '../trap-entry';
import { Mstatus, trapsInMachineMode } from '../csr-file';
import { Exit, flushTraps } from './wasm-chain';

type Site = (operand: number, steps: number) => number;
type ChainEntry = { readonly s0: number; readonly e0: number };

export const MSTATUS = 0x300;
/**
 * CSRs whose writes can change when an interrupt comes (mstatus, mie, mip, mideleg and their
 * supervisor views): the CSR file re-checks after them, and critical sections must work QUIET out again.
 */
const INTERRUPT_CSRS = new Set([0x300, 0x304, 0x344, 0x303, 0x100, 0x104, 0x144]);
/** mstatus' SIE and MIE bits. */
const INTERRUPT_ENABLES = (1 << 1) | (1 << 3);

/** Whether the CSR instruction `d` runs inside a region (csrAccess): it cannot trap in machine mode. */
export function csrRunsInRegion(d: Decoded): boolean {
  const kind = d.spec.name.replace(/i$/, '');
  return !trapsInMachineMode(d.imm, kind === 'csrrw' || d.rs1 !== 0);
}

/** csrsi/csrci of MIE or SIE on mstatus (critical sections), which regions run inline while EXIT_QUIET holds. */
export function setsOrClearsEnables(d: Decoded): boolean {
  const name = d.spec.name;
  return d.imm === MSTATUS && (name === 'csrrsi' || name === 'csrrci') && (d.rs1 & ~INTERRUPT_ENABLES) === 0;
}

/** Runs the CSR instruction `d` at `pc` (csrRunsInRegion); returns the CSR's old value (for rd). */
export function csrAccess(d: Decoded, pc: number, m: RegionHost & TrapHost, entry: ChainEntry): Site {
  const exits = m.ram.exitWords;
  const csr = d.imm;
  const kind = d.spec.name.replace(/i$/, '');
  if (setsOrClearsEnables(d)) {
    // Directly: mstatus holds only legal values, so the CSR file's write would store exactly this, and
    // the address mode stays as it is.
    const set = kind === 'csrrs';
    return (operand, steps) => {
      flushTraps(m, exits);
      const c = m.csr;
      const o = c.mstatus;
      if (m.privilege !== 3) { exits[Exit.Csr] = 1; return 0; }
      const updated = set ? o | operand : o & ~operand;
      c.mstatus = updated;
      m.step = entry.s0 + steps;
      m.accessPc = pc;
      // Only setting an enable can bring an interrupt sooner.
      if (set) m.recheckInterrupts();
      const moved = m.sliceEnd !== entry.e0;
      exits[Exit.Csr] = moved ? 2 : 0;
      if (!moved) exits[Exit.Quiet] = (updated & Mstatus.MIE) !== 0 || interruptStepIfEnabled(m) >= entry.e0 ? 1 : 0;
      return o;
    };
  }
  const reads = kind !== 'csrrw' || d.rd !== 0;
  const writes = kind === 'csrrw' || d.rs1 !== 0;
  // A read changes nothing interrupts depend on (a trap handler's csrr mepc, csrr mcause), and neither
  // does a write of any other CSR than these (csrw mepc): the critical sections after it stay inline.
  const changesInterrupts = writes && INTERRUPT_CSRS.has(csr);
  return (operand, steps) => {
    if (m.privilege !== 3) { exits[Exit.Csr] = 1; return 0; }
    flushTraps(m, exits);
    const c = m.csr;
    m.step = entry.s0 + steps;
    m.accessPc = pc;
    // In machine mode this CSR access cannot trap (csrRunsInRegion): no access check needed.
    const o = reads ? c.peek(csr) : 0;
    if (writes) {
      c.write(csr, kind === 'csrrw' ? operand : kind === 'csrrs' ? o | operand : o & ~operand, d.raw, pc);
      if (changesInterrupts) {
        exits[Exit.Quiet] = 0;
        exits[Exit.Idle] = 0;
        m.recheckInterrupts();
      }
    }
    exits[Exit.Csr] = m.sliceEnd !== entry.e0 ? 2 : 0;
    return o;
  };
}

/** `ecall` or `mret` at `pc`: takes the trap, or returns from one; returns the pc to go on at. */
export function trapAccess(d: Decoded, pc: number, m: RegionHost & TrapHost, entry: ChainEntry): Site {
  const exits = m.ram.exitWords;
  const ecall = d.spec.name === 'ecall';
  return (_operand, steps) => {
    if (!ecall && m.privilege !== 3) { exits[Exit.Csr] = 1; return 0; }
    flushTraps(m, exits);
    const c = m.csr;
    m.step = entry.s0 + steps;
    m.accessPc = pc;
    // The cause of an ecall says which mode called: 8 from U, 9 from S, 11 from M.
    const next = ecall ? m.trap(Cause.EcallFromU + m.privilege, 0, pc) : m.mret(pc);
    exits[Exit.Idle] = 0;
    exits[Exit.Privilege] = m.privilege;
    const moved = m.sliceEnd !== entry.e0;
    exits[Exit.Csr] = moved ? 2 : 0;
    // In machine mode with no interrupt due before the slice ends if MIE were set (mret and the trap
    // checked with MIE as it is): the handler's mret and the task's critical sections need no call.
    exits[Exit.Quiet] = !moved && m.privilege === 3 && ((c.mstatus & Mstatus.MIE) !== 0 || interruptStepIfEnabled(m) >= entry.e0) ? 1 : 0;
    return next;
  };
}

/**
 * `wfi` at `pc`: what the interpreter's does (compile.ts), the machine's step exact. In U-mode, and in
 * S-mode while mstatus.TW is set, it traps: outcome 1, the interpreter runs it. It asks when the next
 * interrupt comes as the guest idles, which moves the slice end (outcome 2) only when the input the
 * guest may await can arrive sooner: never while no external interrupt is enabled, for then the answer is
 * the one the slice end was set from (everything since that could bring an interrupt sooner has moved
 * it and left the chain). So in machine mode with no external interrupt enabled the call changes
 * nothing, and it says so in the exit word EXIT_IDLE: the region's next `wfi`s skip the call until the
 * chain leaves or a site changes the privilege or the interrupt enables (a trap, mret, a CSR write).
 */
export function waitAccess(pc: number, m: RegionHost & TrapHost, entry: ChainEntry): Site {
  const exits = m.ram.exitWords;
  return (_operand, steps) => {
    flushTraps(m, exits);
    const c = m.csr;
    if (m.privilege === 0 || (m.privilege === 1 && (c.mstatus & Mstatus.TW) !== 0)) { exits[Exit.Csr] = 1; return 0; }
    m.step = entry.s0 + steps;
    m.waitForInterrupt(pc);
    const moved = m.sliceEnd !== entry.e0;
    exits[Exit.Csr] = moved ? 2 : 0;
    exits[Exit.Idle] = !moved && m.privilege === 3 && (c.mie & Mip.External) === 0 ? 1 : 0;
    return 0;
  };
}
