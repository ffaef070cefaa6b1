/**
 * Taking traps and interrupts, and returning from them (`mret`): the privileged architecture's state
 * changes on mstatus, mepc, mcause, mtval and the privilege level, and when an enabled interrupt is due.
 * Plain functions over the few machine fields they touch (TrapHost), so that the interpreter, compiled
 * code and the run loop all take traps the same way. Only machine mode handles traps (no delegation).
 */
import { CsrFile, MSTATUS_MIE, MSTATUS_MPIE, MSTATUS_MPP } from './csr-file';
import { INTERRUPT_BIT, Interrupt } from './traps';

export const MIP_MSIP = 1 << Interrupt.MachineSoftware;
export const MIP_MTIP = 1 << Interrupt.MachineTimer;

/** The machine as trap entry sees it. */
export interface TrapHost {
  readonly csr: CsrFile;
  privilege: number;
  /** Steps taken since reset. */
  readonly step: number;
  /** The machine-software interrupt is raised (CLINT msip). */
  softwareInterruptRaised(): boolean;
  /** The step from which the timer interrupt is pending (Infinity: never, with the state now). */
  timerStep(): number;
  /** Interrupt-pending bits driven by devices (MSIP, MTIP, MEIP). */
  pendingInterrupts(): number;
  /** Interrupt enables may have changed: end the current run slice after this step. */
  recheckInterrupts(): void;
}

/** Enters the trap handler for `mcause` raised at `pc`; returns the handler's address. */
export function enterTrap(m: TrapHost, mcause: number, tval: number, pc: number): number {
  const csr = m.csr;
  csr.mepc = pc & ~1;
  csr.mcause = mcause | 0;
  csr.mtval = tval | 0;
  const mie = (csr.mstatus & MSTATUS_MIE) !== 0;
  csr.mstatus = (csr.mstatus & ~(MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP)) | (mie ? MSTATUS_MPIE : 0) | (m.privilege << 11);
  m.privilege = 3;
  m.recheckInterrupts();
  const base = (csr.mtvec & ~3) >>> 0;
  const vectored = (csr.mtvec & 3) === 1 && (mcause & INTERRUPT_BIT) !== 0;
  return vectored ? (base + 4 * (mcause & 0x7fffffff)) >>> 0 : base;
}

/** `mret`: back to the privilege in MPP with MIE from MPIE; returns mepc. */
export function returnFromTrap(m: TrapHost): number {
  const csr = m.csr;
  m.privilege = (csr.mstatus & MSTATUS_MPP) >>> 11;
  const mpie = (csr.mstatus & MSTATUS_MPIE) !== 0;
  // MPP becomes the least-privileged mode (U), MPIE becomes 1, MIE takes MPIE.
  csr.mstatus = (csr.mstatus & ~(MSTATUS_MIE | MSTATUS_MPP)) | MSTATUS_MPIE | (mpie ? MSTATUS_MIE : 0);
  m.recheckInterrupts();
  return csr.mepc >>> 0;
}

/** The first step at which an enabled interrupt will be taken, given the state now. */
export function nextInterruptStep(m: TrapHost): number {
  if (m.privilege === 3 && (m.csr.mstatus & MSTATUS_MIE) === 0) return Infinity;
  const enabled = m.csr.mie;
  if ((enabled & MIP_MSIP) !== 0 && m.softwareInterruptRaised()) return m.step;
  if ((enabled & MIP_MTIP) !== 0) return Math.max(m.step, m.timerStep());
  return Infinity;
}

/** The mcause of the interrupt to take now (one is pending and enabled). */
export function interruptToTake(m: TrapHost): number {
  const pending = m.pendingInterrupts() & m.csr.mie;
  // Priority order of the privileged spec: external, software, timer.
  const code = pending & (1 << Interrupt.MachineExternal) ? Interrupt.MachineExternal
    : pending & MIP_MSIP ? Interrupt.MachineSoftware : Interrupt.MachineTimer;
  return INTERRUPT_BIT | code;
}
