/**
 * The machine- and user-level CSRs of one hart. Counters are not stored: `mcycle`, `minstret` and `time`
 * derive from the step count (plus the offset a guest write leaves, see counter64.ts), which keeps them
 * exact under replay, 64 bits wide, and free to snapshot.
 */
import { Cause, GuestTrap } from './traps';
import { Counter64, Counter64State } from './counter64';

/** What the CSR file reads from the rest of the machine. */
export interface CsrContext {
  /** Steps taken before the instruction now executing. */
  exactStep(): number;
  /** Steps that retired no instruction (traps and interrupts taken). */
  readonly unretired: number;
  /** Current privilege: 3 machine, 0 user. */
  readonly privilege: number;
  /** One half of the CLINT's 64-bit mtime (the `time` CSR). */
  mtimeHalf(upper: boolean): number;
  /** Interrupt-pending bits driven by devices (MSIP, MTIP, MEIP). */
  pendingInterrupts(): number;
  /** The CSR write may have changed which interrupts can be taken. */
  recheckInterrupts(): void;
}

export const MSTATUS_MIE = 1 << 3;
export const MSTATUS_MPIE = 1 << 7;
export const MSTATUS_MPP = 3 << 11;
const MIE_WRITABLE = (1 << 3) | (1 << 7) | (1 << 11);
// RV32 (MXL=1), extensions A, C, I, M, U.
const MISA = (1 << 30) | (1 << 0) | (1 << 2) | (1 << 8) | (1 << 12) | (1 << 20);

export interface CsrState {
  mstatus: number; mie: number; mtvec: number; mscratch: number; mepc: number; mcause: number; mtval: number;
  mcounteren: number; mcountinhibit: number; menvcfg: number; tselect: number; cycle: Counter64State; instret: Counter64State;
  pmpcfg: number[]; pmpaddr: number[];
}

export class CsrFile {
  mstatus = 0;
  mie = 0;
  mtvec = 0;
  mscratch = 0;
  mepc = 0;
  mcause = 0;
  mtval = 0;
  mcounteren = 0;
  mcountinhibit = 0;
  menvcfg = 0;
  tselect = 0;
  /** mcycle follows the step, minstret the retired instructions; guest writes move their offsets. */
  readonly cycle = new Counter64();
  readonly instret = new Counter64();
  pmpcfg = new Array<number>(16).fill(0);
  pmpaddr = new Array<number>(64).fill(0);

  constructor(private readonly ctx: CsrContext) {}

  /** The counters' bases before the instruction now executing. */
  private cycleBase(): number { return this.ctx.exactStep(); }
  private instretBase(): number { return this.ctx.exactStep() - this.ctx.unretired; }

  /** Reads CSR `csr`; `raw` and `pc` describe the instruction, for a precise illegal-instruction trap. */
  read(csr: number, raw: number, pc: number): number {
    this.checkAccess(csr, false, raw, pc);
    switch (csr) {
      case 0xc00: case 0xb00: return this.cycle.value(this.cycleBase()).lo | 0;
      case 0xc80: case 0xb80: return this.cycle.value(this.cycleBase()).hi | 0;
      case 0xc01: return this.ctx.mtimeHalf(false) | 0;
      case 0xc81: return this.ctx.mtimeHalf(true) | 0;
      case 0xc02: case 0xb02: return this.instret.value(this.instretBase()).lo | 0;
      case 0xc82: case 0xb82: return this.instret.value(this.instretBase()).hi | 0;
      case 0xf11: case 0xf12: case 0xf13: case 0xf14: case 0xf15: return 0;
      case 0x300: return this.mstatus;
      case 0x301: return MISA | 0;
      case 0x304: return this.mie;
      case 0x305: return this.mtvec;
      case 0x306: return this.mcounteren;
      case 0x30a: return this.menvcfg;
      case 0x310: case 0x31a: case 0x747: return 0;
      case 0x320: return this.mcountinhibit;
      case 0x340: return this.mscratch;
      case 0x341: return this.mepc;
      case 0x342: return this.mcause;
      case 0x343: return this.mtval;
      case 0x344: return this.ctx.pendingInterrupts();
      case 0x7a0: return this.tselect;
      // No debug triggers: tdata1 reads 0 (type "none"), so debuggers see that none are available.
      case 0x7a1: case 0x7a2: case 0x7a3: return 0;
    }
    if (csr >= 0x3a0 && csr <= 0x3af) return this.pmpcfg[csr - 0x3a0];
    if (csr >= 0x3b0 && csr <= 0x3ef) return this.pmpaddr[csr - 0x3b0];
    return 0; // performance counters and event selectors: hard-wired zero (checkAccess admitted them)
  }

  write(csr: number, value: number, raw: number, pc: number): void {
    this.checkAccess(csr, true, raw, pc);
    value |= 0;
    switch (csr) {
      // The written value reads back once the writing instruction retired: it does not count itself.
      case 0xb00: this.cycle.writeHalf(this.cycleBase(), false, value); return;
      case 0xb80: this.cycle.writeHalf(this.cycleBase(), true, value); return;
      case 0xb02: this.instret.writeHalf(this.instretBase(), false, value); return;
      case 0xb82: this.instret.writeHalf(this.instretBase(), true, value); return;
      case 0x300: {
        // Only M and U exist: MPP is WARL and keeps 0 (U) or 3 (M).
        const mpp = (value & MSTATUS_MPP) === MSTATUS_MPP ? MSTATUS_MPP : 0;
        this.mstatus = (value & (MSTATUS_MIE | MSTATUS_MPIE)) | mpp;
        this.ctx.recheckInterrupts();
        return;
      }
      case 0x304: this.mie = value & MIE_WRITABLE; this.ctx.recheckInterrupts(); return;
      // Modes 2 and 3 are reserved: such a write is ignored (WARL), as QEMU does.
      case 0x305: if ((value & 3) < 2) this.mtvec = value; return;
      case 0x306: this.mcounteren = value & 7; return;
      case 0x30a: this.menvcfg = value & 1; return;
      case 0x320:
        // CY and IR stop mcycle and minstret; like any CSR write this takes effect once the instruction
        // retired, so the instruction that stops a counter counts and the one that restarts it does not.
        // TM does not exist (time is the CLINT's).
        this.mcountinhibit = value & ~2;
        this.cycle.freeze(this.cycleBase() + 1, (value & 1) !== 0);
        this.instret.freeze(this.instretBase() + 1, (value & 4) !== 0);
        return;
      case 0x340: this.mscratch = value; return;
      case 0x341: this.mepc = value & ~1; return;
      case 0x342: this.mcause = value; return;
      case 0x343: this.mtval = value; return;
      case 0x7a0: this.tselect = value; return;
    }
    if (csr >= 0x3a0 && csr <= 0x3af) this.pmpcfg[csr - 0x3a0] = value;
    else if (csr >= 0x3b0 && csr <= 0x3ef) this.pmpaddr[csr - 0x3b0] = value;
    // Everything else checkAccess admitted is read-only zero or ignores writes (WARL).
  }

  private checkAccess(csr: number, write: boolean, raw: number, pc: number): void {
    const readOnly = (csr >>> 10) === 3;
    const minPrivilege = (csr >>> 8) & 3;
    let allowed = isImplemented(csr) && this.ctx.privilege >= minPrivilege && !(write && readOnly);
    if (allowed && this.ctx.privilege === 0 && csr >= 0xc00 && csr <= 0xc82) {
      allowed = ((this.mcounteren >>> (csr & 31)) & 1) === 1;
    }
    if (!allowed) throw new GuestTrap(Cause.IllegalInstruction, raw, pc);
  }

  save(): CsrState {
    return {
      mstatus: this.mstatus, mie: this.mie, mtvec: this.mtvec, mscratch: this.mscratch, mepc: this.mepc,
      mcause: this.mcause, mtval: this.mtval, mcounteren: this.mcounteren, mcountinhibit: this.mcountinhibit,
      menvcfg: this.menvcfg, tselect: this.tselect, cycle: this.cycle.save(), instret: this.instret.save(),
      pmpcfg: [...this.pmpcfg], pmpaddr: [...this.pmpaddr],
    };
  }

  restore(s: CsrState): void {
    const { cycle, instret, ...plain } = s;
    Object.assign(this, { ...plain, pmpcfg: [...s.pmpcfg], pmpaddr: [...s.pmpaddr] });
    this.cycle.restore(cycle);
    this.instret.restore(instret);
  }
}

function isImplemented(csr: number): boolean {
  if ((csr >= 0xc00 && csr <= 0xc1f) || (csr >= 0xc80 && csr <= 0xc9f)) return true; // user counters
  if ((csr >= 0xb00 && csr <= 0xb1f) || (csr >= 0xb80 && csr <= 0xb9f)) return true; // machine counters
  if (csr >= 0x320 && csr <= 0x33f) return true;                                      // mcountinhibit, mhpmevent
  if (csr >= 0x3a0 && csr <= 0x3ef) return true;                                      // PMP
  if (csr >= 0xf11 && csr <= 0xf15) return true;
  if (csr >= 0x7a0 && csr <= 0x7a3) return true;
  return [0x300, 0x301, 0x304, 0x305, 0x306, 0x30a, 0x310, 0x31a, 0x340, 0x341, 0x342, 0x343, 0x344, 0x747].includes(csr);
}
