/**
 * The machine-, supervisor- and user-level CSRs of one hart (privileged spec 1.12, RV32). The
 * supervisor's sstatus, sie and sip are views of mstatus, mie and mip, as the spec defines them. Counters are not stored: `mcycle`, `minstret` and `time`
 * derive from the step count (plus the offset a guest write leaves, see counter64.ts), which keeps them
 * exact under replay, 64 bits wide, and free to snapshot.
 */
import { Cause, GuestTrap } from './traps';
import { Counter64, Counter64State } from './counter64';
import { zeros } from '../zeros';

/** What the CSR file reads from the rest of the machine. */
export interface CsrContext {
  /** Steps taken before the instruction now executing. */
  exactStep(): number;
  /** Steps that retired no instruction (traps and interrupts taken). */
  readonly unretired: number;
  /** Current privilege: 3 machine, 1 supervisor, 0 user. */
  readonly privilege: number;
  /** One half of the CLINT's 64-bit mtime (the `time` CSR). */
  mtimeHalf(upper: boolean): number;
  /** Interrupt-pending bits driven by devices (MSIP, MTIP, MEIP). */
  pendingInterrupts(): number;
  /** The CSR write may have changed which interrupts can be taken. */
  recheckInterrupts(): void;
  /** The CSR write may have turned address translation on (satp, MPRV). */
  addressingChanged(): void;
}

/**
 * mstatus' fields, and the masks the CSR file applies. Const enums, so that each is a literal where used:
 * an `export const` (or a module's own `const`) is read from its module at every use (in tsc's CommonJS
 * output, which the bench's emulation section runs, a property of the module's exports; in the bundle a
 * variable of its scope), on the paths every trap, mret and CSR access takes (trap-entry.ts, wasm-csr.ts).
 */
export const enum Mstatus {
  SIE = 1 << 1, MIE = 1 << 3, SPIE = 1 << 5, MPIE = 1 << 7, SPP = 1 << 8, MPP = 3 << 11, MPRV = 1 << 17,
  SUM = 1 << 18, MXR = 1 << 19, TVM = 1 << 20, TW = 1 << 21, TSR = 1 << 22,
  Writable = SIE | MIE | SPIE | MPIE | SPP | MPP | MPRV | SUM | MXR | TVM | TW | TSR,
  SstatusVisible = SIE | SPIE | SPP | SUM | MXR,
}
const enum Mask {
  /** The supervisor interrupts (software, timer, external): the ones mideleg can delegate. */
  SupervisorInterrupts = (1 << 1) | (1 << 5) | (1 << 9),
  MieWritable = SupervisorInterrupts | (1 << 3) | (1 << 7) | (1 << 11),
  /**
   * The medeleg bits that hold what is written: QEMU 7.2's set, so that the differential tests agree (it
   * includes ecall from M, which can never be delegated since M-mode traps stay in M-mode, and the
   * hypervisor's causes 10 and 20–23, which never occur here).
   */
  DelegableExceptions = 0xbfff | (0xf << 20),
  // RV32 (MXL=1), extensions A, C, I, M, S, U.
  Misa = (1 << 30) | (1 << 0) | (1 << 2) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20),
}

export interface CsrState {
  mstatus: number; mie: number; mtvec: number; mscratch: number; mepc: number; mcause: number; mtval: number;
  mcounteren: number; mcountinhibit: number; menvcfg: number; tselect: number; cycle: Counter64State; instret: Counter64State;
  pmpcfg: number[]; pmpaddr: number[];
  medeleg: number; mideleg: number; mipSoftware: number; stvec: number; sscratch: number; sepc: number; scause: number;
  stval: number; satp: number; scounteren: number; senvcfg: number;
}

/**
 * The CSRs a trap handler reads and writes (and mtvec, where an ecall goes), which compiled code reaches without a call (a word each in
 * `words`, RAM's CSR words when the machine has RAM: ram.ts): their indices there; Count, how many are used.
 */
export const enum CsrWord { Mstatus, Mepc, Mcause, Mtval, Mscratch, Mtvec, Count }

export class CsrFile {
  get mstatus(): number { return this.words[CsrWord.Mstatus]; }
  set mstatus(value: number) { this.words[CsrWord.Mstatus] = value; }
  get mepc(): number { return this.words[CsrWord.Mepc]; }
  set mepc(value: number) { this.words[CsrWord.Mepc] = value; }
  get mcause(): number { return this.words[CsrWord.Mcause]; }
  set mcause(value: number) { this.words[CsrWord.Mcause] = value; }
  get mtval(): number { return this.words[CsrWord.Mtval]; }
  set mtval(value: number) { this.words[CsrWord.Mtval] = value; }
  get mscratch(): number { return this.words[CsrWord.Mscratch]; }
  set mscratch(value: number) { this.words[CsrWord.Mscratch] = value; }
  get mtvec(): number { return this.words[CsrWord.Mtvec]; }
  set mtvec(value: number) { this.words[CsrWord.Mtvec] = value; }
  mie = 0;
  mcounteren = 0;
  mcountinhibit = 0;
  menvcfg = 0;
  tselect = 0;
  /** mcycle follows the step, minstret the retired instructions; guest writes move their offsets. */
  readonly cycle = new Counter64();
  readonly instret = new Counter64();
  pmpcfg = zeros(16);
  pmpaddr = zeros(64);
  medeleg = 0;
  mideleg = 0;
  /** The mip bits software writes (SSIP, STIP, SEIP); devices drive the others. */
  mipSoftware = 0;
  stvec = 0;
  sscratch = 0;
  sepc = 0;
  scause = 0;
  stval = 0;
  /** Address translation: MODE (bit 31, 1 = Sv32), ASID, and the root page table's page number. */
  satp = 0;
  scounteren = 0;
  senvcfg = 0;

  constructor(private readonly ctx: CsrContext, private readonly words: Int32Array<ArrayBufferLike> = new Int32Array(CsrWord.Count)) {
    words.fill(0, 0, CsrWord.Count);
  }

  /** The counters' bases before the instruction now executing. */
  private cycleBase(): number { return this.ctx.exactStep(); }
  private instretBase(): number { return this.ctx.exactStep() - this.ctx.unretired; }

  /** Reads CSR `csr`; `raw` and `pc` describe the instruction, for a precise illegal-instruction trap. */
  read(csr: number, raw: number, pc: number): number {
    this.checkAccess(csr, false, raw, pc);
    return this.peek(csr);
  }

  /**
   * The value of CSR `csr` whatever the current privilege (for debuggers, which see every register in
   * every mode); 0 for one the machine does not implement.
   */
  peek(csr: number): number {
    switch (csr) {
      case 0xc00: case 0xb00: return this.cycle.value(this.cycleBase()).lo | 0;
      case 0xc80: case 0xb80: return this.cycle.value(this.cycleBase()).hi | 0;
      case 0xc01: return this.ctx.mtimeHalf(false) | 0;
      case 0xc81: return this.ctx.mtimeHalf(true) | 0;
      case 0xc02: case 0xb02: return this.instret.value(this.instretBase()).lo | 0;
      case 0xc82: case 0xb82: return this.instret.value(this.instretBase()).hi | 0;
      case 0xf11: case 0xf12: case 0xf13: case 0xf14: case 0xf15: return 0;
      case 0x300: return this.mstatus;
      case 0x301: return Mask.Misa | 0;
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
      case 0x344: return this.ctx.pendingInterrupts() | this.mipSoftware;
      case 0x302: return this.medeleg;
      case 0x303: return this.mideleg;
      case 0x100: return this.mstatus & Mstatus.SstatusVisible;
      case 0x104: return this.mie & this.mideleg;
      case 0x105: return this.stvec;
      case 0x106: return this.scounteren;
      case 0x10a: return this.senvcfg;
      case 0x140: return this.sscratch;
      case 0x141: return this.sepc;
      case 0x142: return this.scause;
      case 0x143: return this.stval;
      case 0x144: return (this.ctx.pendingInterrupts() | this.mipSoftware) & this.mideleg;
      case 0x180: return this.satp;
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
        // MPP is WARL: 2 is reserved, and such a write keeps the old MPP.
        const mpp = (value & Mstatus.MPP) === 2 << 11 ? this.mstatus & Mstatus.MPP : value & Mstatus.MPP;
        this.mstatus = (value & Mstatus.Writable & ~Mstatus.MPP) | mpp;
        this.ctx.recheckInterrupts();
        this.ctx.addressingChanged();
        return;
      }
      case 0x304: this.mie = value & Mask.MieWritable; this.ctx.recheckInterrupts(); return;
      case 0x344: this.mipSoftware = value & Mask.SupervisorInterrupts; this.ctx.recheckInterrupts(); return;
      case 0x302: this.medeleg = value & Mask.DelegableExceptions; return;
      case 0x303: this.mideleg = value & Mask.SupervisorInterrupts; this.ctx.recheckInterrupts(); return;
      case 0x100:
        this.mstatus = (this.mstatus & ~Mstatus.SstatusVisible) | (value & Mstatus.SstatusVisible);
        this.ctx.recheckInterrupts();
        return;
      case 0x104:
        this.mie = (this.mie & ~this.mideleg) | (value & this.mideleg & Mask.MieWritable);
        this.ctx.recheckInterrupts();
        return;
      // Only SSIP is writable through sip, and only when it is delegated.
      case 0x144: {
        const writable = this.mideleg & (1 << 1);
        this.mipSoftware = (this.mipSoftware & ~writable) | (value & writable);
        this.ctx.recheckInterrupts();
        return;
      }
      case 0x105: if ((value & 3) < 2) this.stvec = value; return;
      case 0x106: this.scounteren = value & 7; return;
      case 0x10a: this.senvcfg = value & 1; return;
      case 0x140: this.sscratch = value; return;
      case 0x141: this.sepc = value & ~1; return;
      case 0x142: this.scause = value; return;
      case 0x143: this.stval = value; return;
      // A change of translation ends the run slice: the run loop then picks how to fetch.
      case 0x180: this.satp = value; this.ctx.addressingChanged(); return;
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
    const privilege = this.ctx.privilege;
    let allowed = isImplemented(csr) && privilege >= minPrivilege && !(write && readOnly);
    if (allowed && privilege < 3 && ((csr >= 0xc00 && csr <= 0xc1f) || (csr >= 0xc80 && csr <= 0xc9f))) {
      // The user counters: S-mode needs mcounteren's bit, U-mode scounteren's as well.
      const bit = csr & 31;
      allowed = ((this.mcounteren >>> bit) & 1) === 1 && (privilege === 1 || ((this.scounteren >>> bit) & 1) === 1);
    }
    if (allowed && csr === 0x180 && privilege === 1 && (this.mstatus & Mstatus.TVM) !== 0) allowed = false;
    if (!allowed) throw new GuestTrap(Cause.IllegalInstruction, raw, pc);
  }

  save(): CsrState {
    return {
      mstatus: this.mstatus, mie: this.mie, mtvec: this.mtvec, mscratch: this.mscratch, mepc: this.mepc,
      mcause: this.mcause, mtval: this.mtval, mcounteren: this.mcounteren, mcountinhibit: this.mcountinhibit,
      menvcfg: this.menvcfg, tselect: this.tselect, cycle: this.cycle.save(), instret: this.instret.save(),
      pmpcfg: this.pmpcfg.slice(), pmpaddr: this.pmpaddr.slice(),
      medeleg: this.medeleg, mideleg: this.mideleg, mipSoftware: this.mipSoftware, stvec: this.stvec, sscratch: this.sscratch,
      sepc: this.sepc, scause: this.scause, stval: this.stval, satp: this.satp, scounteren: this.scounteren, senvcfg: this.senvcfg,
    };
  }

  restore(s: CsrState): void {
    const { cycle, instret, ...plain } = s;
    Object.assign(this, { ...plain, pmpcfg: [...s.pmpcfg], pmpaddr: [...s.pmpaddr] });
    this.cycle.restore(cycle);
    this.instret.restore(instret);
  }
}

const SINGLE_CSRS = new Set([0x300, 0x301, 0x302, 0x303, 0x304, 0x305, 0x306, 0x30a, 0x310, 0x31a, 0x340, 0x341, 0x342, 0x343, 0x344, 0x747,
  0x100, 0x104, 0x105, 0x106, 0x10a, 0x140, 0x141, 0x142, 0x143, 0x144, 0x180]);

function isImplemented(csr: number): boolean {
  if ((csr >= 0xc00 && csr <= 0xc1f) || (csr >= 0xc80 && csr <= 0xc9f)) return true; // user counters
  if ((csr >= 0xb00 && csr <= 0xb1f) || (csr >= 0xb80 && csr <= 0xb9f)) return true; // machine counters
  if (csr >= 0x320 && csr <= 0x33f) return true;                                      // mcountinhibit, mhpmevent
  if (csr >= 0x3a0 && csr <= 0x3ef) return true;                                      // PMP
  if (csr >= 0xf11 && csr <= 0xf15) return true;
  if (csr >= 0x7a0 && csr <= 0x7a3) return true;
  return SINGLE_CSRS.has(csr);
}

/**
 * Whether an access to `csr` (a write, or a read only) can raise an exception in machine mode, where
 * every privilege check passes: only a CSR the machine lacks, or a write to a read-only one, does.
 */
export function trapsInMachineMode(csr: number, write: boolean): boolean {
  return !isImplemented(csr) || (write && (csr >>> 10) === 3);
}
