/**
 * Traps: an instruction that always ends its block (see block.ts) returns the handler's address from
 * `trap()`; any other instruction throws a GuestTrap, so that the block stops exactly there.
 *
 * Turns one decoded instruction at one address into a JavaScript closure that executes it and returns
 * the next pc. Everything known at decode time (register numbers, immediates, the instruction's own
 * address, branch targets) is captured as a constant, so running a cached instruction is one call.
 *
 * Register file: `x` has 33 entries; writes to x0 go to entry 32, a sink nobody reads, so no op tests
 * for x0 at run time. Only decoded fields reach the closures; no guest bytes are ever turned into source.
 */
import { Decoded } from '../isa/decode';
import { BARRIER_SHIFT, Ram } from '../memory/ram';
import { CsrFile, Mstatus } from './csr-file';
import { Cause, GuestTrap } from './traps';

export type Op = () => number;

/** What a compiled instruction may touch besides registers and RAM. */
export interface ExecContext {
  readonly x: Int32Array;
  readonly ram: Ram;
  readonly csr: CsrFile;
  /** Memory access outside the fast path (MMIO, misaligned, page bookkeeping); may throw GuestTrap. */
  load(address: number, size: 1 | 2 | 4, signed: boolean, pc: number): number;
  store(address: number, size: 1 | 2 | 4, value: number, pc: number): void;
  /** Takes a synchronous exception for the instruction at `pc`; returns the handler's address. */
  trap(cause: Cause, tval: number, pc: number): number;
  ebreak(pc: number): number;
  mret(pc: number): number;
  sret(pc: number): number;
  /** sfence.vma: translations may have changed (the page tables are walked afresh anyway). */
  fenceTranslations(pc: number): void;
  /** Ends the current run slice after this instruction (interrupt enables may have changed). */
  recheckInterrupts(): void;
  /** `wfi` at `pc`: the guest has nothing to do until an interrupt (input may be waited for). */
  waitForInterrupt(pc: number): void;
  /** Address of the instruction now in a slow path (for the exact step and for early block ends). */
  accessPc: number;
  /** Loads must check `ram.readWatchedPages` (read at compile time; the code is recompiled on change). */
  readonly watchingReads: boolean;
  /**
   * Addresses are virtual (Sv32 paging is on): every load and store takes the slow path, which
   * translates. Read at compile time; such code is compiled apart from the physical code cache.
   */
  readonly translating: boolean;
  /** LR/SC reservation: address or -1. */
  reservation: number;
  readonly privilege: number;
}

const SINK = 32;
const target = (r: number): number => (r === 0 ? SINK : r);

/** 32-bit high half of an unsigned 32x32 product, exactly, without BigInt. */
export function mulhu(a: number, b: number): number {
  a >>>= 0; b >>>= 0;
  const al = a & 0xffff, ah = a >>> 16, bl = b & 0xffff, bh = b >>> 16;
  const low = al * bl, mid1 = ah * bl, mid2 = al * bh;
  const carry = ((low >>> 16) + (mid1 & 0xffff) + (mid2 & 0xffff)) >>> 16;
  return (ah * bh + (mid1 >>> 16) + (mid2 >>> 16) + carry) | 0;
}

export function compile(d: Decoded, pc: number, m: ExecContext): Op {
  const x = m.x;
  const ram = m.ram;
  const { u8, i8, u16, i16, i32, writeBarrier, readWatchedPages } = ram;
  // While a read watchpoint exists, RAM loads from watched pages take the slow path (which checks them):
  // as far as the fast path is concerned, those pages are not RAM.
  // Under translation no address is a RAM offset: with size 0 every access takes the slow path.
  const size = m.translating ? 0 : ram.size;
  const watching = m.watchingReads;
  const plain = (off: number): boolean => off < size && (!watching || readWatchedPages[off >>> 12] === 0);
  const rd = target(d.rd);
  const rs1 = d.rs1;
  const rs2 = d.rs2;
  const imm = d.imm;
  const next = (pc + d.length) >>> 0;
  // RAM offset of rs1 + imm is (x[rs1] + k) >>> 0; an address outside RAM wraps to a huge offset.
  const k = imm - ram.base;
  const illegal: Op = () => m.trap(Cause.IllegalInstruction, d.raw, pc);

  switch (d.spec.name) {
    case 'lui': { const v = imm | 0; return () => { x[rd] = v; return next; }; }
    case 'auipc': { const v = (pc + imm) | 0; return () => { x[rd] = v; return next; }; }
    case 'jal': {
      const to = (pc + imm) >>> 0; const link = next | 0;
      return () => { x[rd] = link; return to; };
    }
    case 'jalr': {
      const link = next | 0;
      return () => { const to = ((x[rs1] + imm) & ~1) >>> 0; x[rd] = link; return to; };
    }
    case 'beq': { const to = (pc + imm) >>> 0; return () => (x[rs1] === x[rs2] ? to : next); }
    case 'bne': { const to = (pc + imm) >>> 0; return () => (x[rs1] !== x[rs2] ? to : next); }
    case 'blt': { const to = (pc + imm) >>> 0; return () => (x[rs1] < x[rs2] ? to : next); }
    case 'bge': { const to = (pc + imm) >>> 0; return () => (x[rs1] >= x[rs2] ? to : next); }
    case 'bltu': { const to = (pc + imm) >>> 0; return () => ((x[rs1] >>> 0) < (x[rs2] >>> 0) ? to : next); }
    case 'bgeu': { const to = (pc + imm) >>> 0; return () => ((x[rs1] >>> 0) >= (x[rs2] >>> 0) ? to : next); }

    case 'lb': return () => {
      const off = (x[rs1] + k) >>> 0;
      x[rd] = plain(off) ? i8[off] : m.load(x[rs1] + imm, 1, true, pc);
      return next;
    };
    case 'lbu': return () => {
      const off = (x[rs1] + k) >>> 0;
      x[rd] = plain(off) ? u8[off] : m.load(x[rs1] + imm, 1, false, pc);
      return next;
    };
    case 'lh': return () => {
      const off = (x[rs1] + k) >>> 0;
      x[rd] = plain(off) && (off & 1) === 0 ? i16[off >>> 1] : m.load(x[rs1] + imm, 2, true, pc);
      return next;
    };
    case 'lhu': return () => {
      const off = (x[rs1] + k) >>> 0;
      x[rd] = plain(off) && (off & 1) === 0 ? u16[off >>> 1] : m.load(x[rs1] + imm, 2, false, pc);
      return next;
    };
    case 'lw': return () => {
      const off = (x[rs1] + k) >>> 0;
      x[rd] = plain(off) && (off & 3) === 0 ? i32[off >>> 2] : m.load(x[rs1] + imm, 4, true, pc);
      return next;
    };
    case 'sb': return () => {
      const off = (x[rs1] + k) >>> 0;
      if (off < size && writeBarrier[off >>> BARRIER_SHIFT] !== 0) u8[off] = x[rs2];
      else m.store(x[rs1] + imm, 1, x[rs2], pc);
      return next;
    };
    case 'sh': return () => {
      const off = (x[rs1] + k) >>> 0;
      if (off < size && (off & 1) === 0 && writeBarrier[off >>> BARRIER_SHIFT] !== 0) u16[off >>> 1] = x[rs2];
      else m.store(x[rs1] + imm, 2, x[rs2], pc);
      return next;
    };
    case 'sw': return () => {
      const off = (x[rs1] + k) >>> 0;
      if (off < size && (off & 3) === 0 && writeBarrier[off >>> BARRIER_SHIFT] !== 0) i32[off >>> 2] = x[rs2];
      else m.store(x[rs1] + imm, 4, x[rs2], pc);
      return next;
    };

    case 'addi':
      if (rs1 === 0) { const v = imm | 0; return () => { x[rd] = v; return next; }; }
      return () => { x[rd] = (x[rs1] + imm) | 0; return next; };
    case 'slti': return () => { x[rd] = x[rs1] < imm ? 1 : 0; return next; };
    case 'sltiu': { const u = imm >>> 0; return () => { x[rd] = (x[rs1] >>> 0) < u ? 1 : 0; return next; }; }
    case 'xori': return () => { x[rd] = x[rs1] ^ imm; return next; };
    case 'ori': return () => { x[rd] = x[rs1] | imm; return next; };
    case 'andi': return () => { x[rd] = x[rs1] & imm; return next; };
    case 'slli': return () => { x[rd] = x[rs1] << imm; return next; };
    case 'srli': return () => { x[rd] = x[rs1] >>> imm; return next; };
    case 'srai': return () => { x[rd] = x[rs1] >> imm; return next; };
    case 'add': return () => { x[rd] = (x[rs1] + x[rs2]) | 0; return next; };
    case 'sub': return () => { x[rd] = (x[rs1] - x[rs2]) | 0; return next; };
    case 'sll': return () => { x[rd] = x[rs1] << (x[rs2] & 31); return next; };
    case 'slt': return () => { x[rd] = x[rs1] < x[rs2] ? 1 : 0; return next; };
    case 'sltu': return () => { x[rd] = (x[rs1] >>> 0) < (x[rs2] >>> 0) ? 1 : 0; return next; };
    case 'xor': return () => { x[rd] = x[rs1] ^ x[rs2]; return next; };
    case 'srl': return () => { x[rd] = x[rs1] >>> (x[rs2] & 31); return next; };
    case 'sra': return () => { x[rd] = x[rs1] >> (x[rs2] & 31); return next; };
    case 'or': return () => { x[rd] = x[rs1] | x[rs2]; return next; };
    case 'and': return () => { x[rd] = x[rs1] & x[rs2]; return next; };

    case 'mul': return () => { x[rd] = Math.imul(x[rs1], x[rs2]); return next; };
    case 'mulh': return () => {
      const a = x[rs1], b = x[rs2];
      x[rd] = (mulhu(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
      return next;
    };
    case 'mulhsu': return () => {
      const a = x[rs1], b = x[rs2];
      x[rd] = (mulhu(a, b) - (a < 0 ? b : 0)) | 0;
      return next;
    };
    case 'mulhu': return () => { x[rd] = mulhu(x[rs1], x[rs2]); return next; };
    case 'div': return () => {
      const a = x[rs1], b = x[rs2];
      x[rd] = b === 0 ? -1 : (a === -0x80000000 && b === -1) ? a : (a / b) | 0;
      return next;
    };
    case 'divu': return () => {
      const a = x[rs1] >>> 0, b = x[rs2] >>> 0;
      x[rd] = b === 0 ? -1 : (a / b) | 0;
      return next;
    };
    case 'rem': return () => {
      const a = x[rs1], b = x[rs2];
      x[rd] = b === 0 ? a : (a === -0x80000000 && b === -1) ? 0 : (a % b) | 0;
      return next;
    };
    case 'remu': return () => {
      const a = x[rs1] >>> 0, b = x[rs2] >>> 0;
      x[rd] = b === 0 ? a | 0 : (a % b) | 0;
      return next;
    };

    // One hart, executed in order: fences have nothing to order. Stores already invalidate decoded code
    // at word granularity as they happen, so fence.i has nothing left to flush.
    case 'fence': case 'fence.i': return () => next;
    // The cause says which mode called: 8 from U, 9 from S, 11 from M.
    case 'ecall': return () => m.trap(Cause.EcallFromU + m.privilege, 0, pc);
    // Only the 4-byte ebreak can be a semihosting call (the spec requires uncompressed markers).
    case 'ebreak': return d.length === 4 ? () => m.ebreak(pc) : () => m.trap(Cause.Breakpoint, pc, pc);
    case 'mret': return () => (m.privilege === 3 ? m.mret(pc) : m.trap(Cause.IllegalInstruction, d.raw, pc));
    // sret is illegal in U-mode, and in S-mode while mstatus.TSR traps it to M-mode.
    case 'sret': return () => (m.privilege === 3 || (m.privilege === 1 && (m.csr.mstatus & Mstatus.TSR) === 0)
      ? m.sret(pc) : m.trap(Cause.IllegalInstruction, d.raw, pc));
    case 'sfence.vma': return () => {
      if (m.privilege === 0 || (m.privilege === 1 && (m.csr.mstatus & Mstatus.TVM) !== 0)) return m.trap(Cause.IllegalInstruction, d.raw, pc);
      m.fenceTranslations(pc);
      return next;
    };
    // wfi is a hint: continuing at once is allowed, and the guest's wait loop retires real steps, so time
    // (which follows the step count) advances and the timer fires exactly where it would in a replay.
    // It tells the machine the guest is idle (where a terminal may block for input the guest awaits).
    // As on QEMU, it is illegal in U-mode, and in S-mode while mstatus.TW is set.
    case 'wfi': return () => {
      if (m.privilege === 0 || (m.privilege === 1 && (m.csr.mstatus & Mstatus.TW) !== 0)) return m.trap(Cause.IllegalInstruction, d.raw, pc);
      m.waitForInterrupt(pc);
      return next;
    };

    case 'csrrw': case 'csrrs': case 'csrrc': case 'csrrwi': case 'csrrsi': case 'csrrci':
      return compileCsr(d, pc, next, m);

    case 'lr.w': return () => {
      const address = x[rs1] >>> 0;
      if ((address & 3) !== 0) throw new GuestTrap(Cause.LoadMisaligned, address, pc);
      const value = m.load(address, 4, true, pc);
      m.reservation = address;
      x[rd] = value;
      return next;
    };
    case 'sc.w': return () => {
      const address = x[rs1] >>> 0;
      if ((address & 3) !== 0) throw new GuestTrap(Cause.StoreMisaligned, address, pc);
      if (m.reservation === address) {
        m.store(address, 4, x[rs2], pc);
        x[rd] = 0;
      } else {
        x[rd] = 1;
      }
      m.reservation = -1;
      return next;
    };
    default:
      if (d.spec.extension === 'A') return compileAmo(d.spec.name, rd, rs1, rs2, pc, next, m);
      return illegal;
  }
}

function compileCsr(d: Decoded, pc: number, next: number, m: ExecContext): Op {
  const x = m.x;
  const csr = d.imm;
  const rd = target(d.rd);
  const rs1 = d.rs1;
  const immediate = d.spec.name.endsWith('i');
  const operand = (): number => (immediate ? rs1 : x[rs1]);
  const kind = d.spec.name.replace(/i$/, '');
  // csrrw with rd=x0 does not read; csrrs/csrrc with no bits to change do not write (so read-only CSRs
  // can be read with them).
  const reads = kind !== 'csrrw' || d.rd !== 0;
  const writes = kind === 'csrrw' || rs1 !== 0;
  return () => {
    m.accessPc = pc;
    const old = reads ? m.csr.read(csr, d.raw, pc) : 0;
    const value = operand();
    if (writes) {
      const updated = kind === 'csrrw' ? value : kind === 'csrrs' ? old | value : old & ~value;
      m.csr.write(csr, updated, d.raw, pc);
    }
    x[rd] = old;
    m.recheckInterrupts();
    return next;
  };
}

function compileAmo(name: string, rd: number, rs1: number, rs2: number, pc: number, next: number, m: ExecContext): Op {
  const x = m.x;
  const combine: (old: number, operand: number) => number = {
    'amoswap.w': (_o: number, v: number) => v,
    'amoadd.w': (o: number, v: number) => (o + v) | 0,
    'amoxor.w': (o: number, v: number) => o ^ v,
    'amoand.w': (o: number, v: number) => o & v,
    'amoor.w': (o: number, v: number) => o | v,
    'amomin.w': (o: number, v: number) => Math.min(o, v),
    'amomax.w': (o: number, v: number) => Math.max(o, v),
    'amominu.w': (o: number, v: number) => ((o >>> 0) < (v >>> 0) ? o : v),
    'amomaxu.w': (o: number, v: number) => ((o >>> 0) > (v >>> 0) ? o : v),
  }[name]!;
  return () => {
    const address = x[rs1] >>> 0;
    // AMOs must be naturally aligned; a misaligned one is a store/AMO address-misaligned exception.
    if ((address & 3) !== 0) throw new GuestTrap(Cause.StoreMisaligned, address, pc);
    const old = m.load(address, 4, true, pc);
    m.store(address, 4, combine(old, x[rs2]), pc);
    x[rd] = old;
    return next;
  };
}

/**
 * The closure of an encoding that is no instruction: the trap. Made here, not inline where blocks are
 * decoded: a closure made inside the decode loop had V8 make a context for every instruction.
 */
export function illegalEncoding(m: ExecContext, raw: number, pc: number): Op {
  return () => m.trap(Cause.IllegalInstruction, raw, pc);
}

/**
 * The closure of a block at `start` whose first instruction cannot be fetched (outside RAM from
 * `faultAt`). Made here for the same reason: made inline, V8 made a context for its variables at every
 * block the code cache built (the code cache's `m` and `start` then read from it).
 */
export function fetchFault(m: ExecContext, faultAt: number, start: number): Op {
  return () => m.trap(Cause.InstructionAccessFault, faultAt, start);
}
