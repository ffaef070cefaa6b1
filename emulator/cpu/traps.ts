/**
 * Trap causes (privileged spec, mcause values) and the two ways an instruction can leave the fast path:
 * a guest trap (precise: the instruction counts as a step, the handler runs next) and an input wait
 * (the instruction has not executed; it runs again once the outside world has the input).
 */

export const enum Cause {
  InstructionMisaligned = 0,
  InstructionAccessFault = 1,
  IllegalInstruction = 2,
  Breakpoint = 3,
  LoadMisaligned = 4,
  LoadAccessFault = 5,
  StoreMisaligned = 6,
  StoreAccessFault = 7,
  EcallFromU = 8,
  EcallFromS = 9,
  EcallFromM = 11,
  InstructionPageFault = 12,
  LoadPageFault = 13,
  StorePageFault = 15,
}

/** mcause's interrupt bit. A const enum, a literal where used (csr-file.ts says why). */
export const enum Mcause { Interrupt = 0x80000000 }

export const enum Interrupt {
  SupervisorSoftware = 1,
  SupervisorTimer = 5,
  SupervisorExternal = 9,
  MachineSoftware = 3,
  MachineTimer = 7,
  MachineExternal = 11,
}

const EXCEPTION_NAMES: Record<number, string> = {
  0: 'instruction address misaligned',
  1: 'instruction access fault',
  2: 'illegal instruction',
  3: 'breakpoint',
  4: 'load address misaligned',
  5: 'load access fault',
  6: 'store address misaligned',
  7: 'store access fault',
  8: 'environment call from U-mode',
  9: 'environment call from S-mode',
  11: 'environment call from M-mode',
  12: 'instruction page fault',
  13: 'load page fault',
  15: 'store/AMO page fault',
};

const INTERRUPT_NAMES: Record<number, string> = {
  1: 'supervisor software interrupt',
  5: 'supervisor timer interrupt',
  9: 'supervisor external interrupt',
  3: 'machine software interrupt',
  7: 'machine timer interrupt',
  11: 'machine external interrupt',
};

/** A user-readable name for an mcause value. */
export function causeName(mcause: number): string {
  const code = mcause & 0x7fffffff;
  const names = (mcause & Mcause.Interrupt) !== 0 ? INTERRUPT_NAMES : EXCEPTION_NAMES;
  return names[code] ?? `cause ${code}`;
}

/** Thrown by slow paths (MMIO, CSRs) to raise a synchronous exception for the instruction at `pc`. */
export class GuestTrap {
  constructor(readonly cause: Cause, readonly tval: number, readonly pc: number) {}
}

/** Thrown when an instruction needs input the outside world does not have yet; it has not executed. */
export class InputWait {
  constructor(readonly pc: number) {}
}

/**
 * Thrown after the instruction at `pc` has completed when it changed something the rest of its block
 * must not run past (a device asked to stop or re-check interrupts, or code in the block was overwritten).
 */
export class EndOfBlock {
  constructor(readonly pc: number) {}
}
