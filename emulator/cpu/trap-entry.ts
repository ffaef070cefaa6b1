/**
 * Taking traps and interrupts, and returning from them (`mret`, `sret`): the privileged architecture's
 * state changes on mstatus, the cause/epc/tval registers of the handling mode and the privilege level,
 * and which interrupt is due when. Plain functions over the few machine fields they touch (TrapHost), so
 * that the interpreter, compiled code and the run loop all take traps the same way.
 *
 * Delegation (spec 1.12): an exception or interrupt raised in S- or U-mode whose bit is set in medeleg or
 * mideleg is handled in S-mode (sepc, scause, stval, SPP, SPIE, stvec); everything else in M-mode. A
 * delegated interrupt is never taken in M-mode, and in S-mode only with SIE; one for M-mode is taken in
 * S- and U-mode whatever MIE says.
 */
import { CsrFile, Mstatus } from './csr-file';
import { Interrupt, Mcause } from './traps';

/**
 * mip's bits (1 << Interrupt's codes). A const enum, a literal where used (csr-file.ts says why); the
 * values are written out, for esbuild inlines no enum member computed from another file's enum.
 */
export const enum Mip {
  MSIP = 1 << 3,
  MTIP = 1 << 7,
  /** External interrupts (the PLIC's lines): machine (11) and supervisor (9). */
  External = (1 << 11) | (1 << 9),
}

/** The machine as trap entry sees it. */
export interface TrapHost {
  readonly csr: CsrFile;
  privilege: number;
  /** The LR/SC reservation's address, or -1: taking a trap drops it. */
  reservation: number;
  /** Steps taken since reset. */
  readonly step: number;
  /** The step from which the timer interrupt is pending (Infinity: never, with the state now). */
  timerStep(): number;
  /** Interrupt-pending bits driven by devices (MSIP, MTIP, MEIP, SEIP). */
  pendingInterrupts(): number;
  /**
   * The step from which an external interrupt among `enabled` will be pending because input arrives
   * for a guest that waits for it (Infinity: none known now). Asked only while one is enabled. `idle`:
   * the idle `wfi`s the question stands for (OutsideWorld.uartArrivalStep).
   */
  inputInterruptStep(enabled: number, timerDue: boolean, idle: number): number;
  /** Interrupt enables may have changed: end the current run slice after this step. */
  recheckInterrupts(): void;
  /** The privilege changed: address translation may have turned on. */
  addressingChanged(): void;
}

/** Enters the trap handler for `cause` (mcause encoding) raised at `pc`; returns the handler's address. */
export function enterTrap(m: TrapHost, cause: number, tval: number, pc: number): number {
  const csr = m.csr;
  const interrupt = (cause & Mcause.Interrupt) !== 0;
  const code = cause & 0x7fffffff;
  const delegated = m.privilege <= 1 && (((interrupt ? csr.mideleg : csr.medeleg) >>> code) & 1) === 1;
  // A trap drops the reservation, as QEMU does (and the spec before 1.10 required): an SC after the
  // handler returns fails, so a handler's update of the word between a task's LR and SC is never lost.
  m.reservation = -1;
  let vector: number;
  if (delegated) {
    csr.sepc = pc & ~1;
    csr.scause = cause | 0;
    csr.stval = tval | 0;
    const sie = (csr.mstatus & Mstatus.SIE) !== 0;
    csr.mstatus = (csr.mstatus & ~(Mstatus.SIE | Mstatus.SPIE | Mstatus.SPP)) | (sie ? Mstatus.SPIE : 0) | (m.privilege === 1 ? Mstatus.SPP : 0);
    m.privilege = 1;
    vector = csr.stvec;
  } else {
    csr.mepc = pc & ~1;
    csr.mcause = cause | 0;
    csr.mtval = tval | 0;
    const mie = (csr.mstatus & Mstatus.MIE) !== 0;
    csr.mstatus = (csr.mstatus & ~(Mstatus.MIE | Mstatus.MPIE | Mstatus.MPP)) | (mie ? Mstatus.MPIE : 0) | (m.privilege << 11);
    m.privilege = 3;
    vector = csr.mtvec;
  }
  m.recheckInterrupts();
  m.addressingChanged();
  const base = (vector & ~3) >>> 0;
  return (vector & 3) === 1 && interrupt ? (base + 4 * code) >>> 0 : base;
}

/** `mret`: back to the privilege in MPP with MIE from MPIE; returns mepc. */
export function returnFromTrap(m: TrapHost): number {
  const csr = m.csr;
  m.privilege = (csr.mstatus & Mstatus.MPP) >>> 11;
  const mpie = (csr.mstatus & Mstatus.MPIE) !== 0;
  // MPP becomes the least-privileged mode (U), MPIE becomes 1, MIE takes MPIE; leaving M clears MPRV.
  csr.mstatus = (csr.mstatus & ~(Mstatus.MIE | Mstatus.MPP)) | Mstatus.MPIE | (mpie ? Mstatus.MIE : 0);
  if (m.privilege !== 3) csr.mstatus &= ~Mstatus.MPRV;
  m.recheckInterrupts();
  m.addressingChanged();
  return csr.mepc >>> 0;
}

/** `sret`: back to the privilege in SPP with SIE from SPIE; returns sepc. */
export function returnFromSupervisorTrap(m: TrapHost): number {
  const csr = m.csr;
  m.privilege = (csr.mstatus & Mstatus.SPP) !== 0 ? 1 : 0;
  const spie = (csr.mstatus & Mstatus.SPIE) !== 0;
  csr.mstatus = (csr.mstatus & ~(Mstatus.SIE | Mstatus.SPP | Mstatus.MPRV)) | Mstatus.SPIE | (spie ? Mstatus.SIE : 0);
  m.recheckInterrupts();
  m.addressingChanged();
  return csr.sepc >>> 0;
}

/** The interrupt bits (mip layout) that would be taken now if pending and enabled. */
export function takeable(m: TrapHost): number {
  const csr = m.csr;
  const delegated = csr.mideleg;
  const machineLevel = m.privilege < 3 || (csr.mstatus & Mstatus.MIE) !== 0 ? ~delegated : 0;
  const supervisorLevel = m.privilege < 1 || (m.privilege === 1 && (csr.mstatus & Mstatus.SIE) !== 0) ? delegated : 0;
  return (machineLevel | supervisorLevel) & csr.mie;
}

/**
 * The first step at which an enabled interrupt will be taken, given the state now. `idle`: asked from
 * this many idle `wfi`s (1 from one; more for the turns of an idle loop taken at once, run-loop.ts).
 */
export function nextInterruptStep(m: TrapHost, idle = 0): number {
  // The common case of machine-mode programs, checked first: nothing can interrupt M-mode with MIE off.
  if (m.privilege === 3 && (m.csr.mstatus & Mstatus.MIE) === 0) return Infinity;
  const enabled = takeable(m);
  if (enabled === 0) return Infinity;
  const pendingNow = m.pendingInterrupts() | m.csr.mipSoftware;
  if ((enabled & pendingNow & ~Mip.MTIP) !== 0) return m.step;
  const timer = (enabled & Mip.MTIP) !== 0 ? Math.max(m.step, m.timerStep()) : Infinity;
  // From `wfi` (idle) the outside world is asked even with the timer due now: it counts the guest's idle
  // waits, and `step` is exact only in some tiers (inside an interpreted block, it is the block's first).
  if ((enabled & Mip.External) === 0 || (timer === m.step && idle === 0)) return timer;
  return Math.min(timer, m.inputInterruptStep(enabled, timer !== Infinity, idle));
}

/**
 * The step at which an interrupt would be taken if mstatus.MIE were set now: for machine-mode code,
 * whether ending a critical section brings one before a given step (wasm/wasm-csr.ts).
 */
export function interruptStepIfEnabled(m: TrapHost): number {
  const mstatus = m.csr.mstatus;
  m.csr.mstatus = mstatus | Mstatus.MIE;
  const next = nextInterruptStep(m);
  m.csr.mstatus = mstatus;
  return next;
}

// The spec's priority order: external, software, timer; machine before supervisor.
const PRIORITY = [
  Interrupt.MachineExternal, Interrupt.MachineSoftware, Interrupt.MachineTimer,
  Interrupt.SupervisorExternal, Interrupt.SupervisorSoftware, Interrupt.SupervisorTimer,
];

/** The mcause of the interrupt to take now (one is pending and enabled). */
export function interruptToTake(m: TrapHost): number {
  const ready = (m.pendingInterrupts() | m.csr.mipSoftware) & takeable(m);
  // Interrupts handled in M-mode go before those delegated to S-mode.
  const forMachine = ready & ~m.csr.mideleg;
  const pool = forMachine !== 0 ? forMachine : ready;
  const code = PRIORITY.find((c) => (pool & (1 << c)) !== 0) ?? Interrupt.MachineTimer;
  return Mcause.Interrupt | code;
}
