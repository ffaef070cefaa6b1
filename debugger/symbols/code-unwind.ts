/**
 * Unwinding code that has no CFI (picolibc's assembly, libgcc's millicode, hand-written trap handlers)
 * from the code itself, as gdb does for RISC-V:
 *
 * 1. Forward to the return: when straight-line code from pc reaches a return (`ret`, `jr t0` of the
 *    `__riscv_save_*` millicode, `mret` of a trap handler) with only loads, stores and arithmetic on the
 *    way, running it in the head gives the caller's registers exactly: pc is the return register, sp what
 *    it is at the return, and each register reloaded on the way comes from the stack slot it is loaded
 *    from. This covers leaf routines (`sys_semihost`), epilogues and `__riscv_restore_*`.
 * 2. The prologue otherwise: from the function's first instruction up to pc (stopping at the first
 *    instruction that is not prologue), `addi sp, sp, -N` and the stores of ra and s0–s11 to the stack
 *    say where the caller's sp, ra and saved registers are. No stack adjustment and no store of ra: a leaf,
 *    whose return address is still in ra (`memset`, `uart_putc`).
 *
 * A trap handler (the code mtvec or stvec points at, or code that returns with `mret` or `sret`) was not
 * called: its "caller" is the interrupted code, which resumes at mepc or sepc with every register it had.
 */
import { decode, Decoded, instructionLength } from '../../emulator/isa/decode';
import { MachineView } from './api';

/** A trap handler's entry and what it returns to: the trap CSRs of the mode that handles it. */
export interface TrapHandler {
  vector: number;
  /** Where the interrupted code resumes (mepc or sepc). */
  epc: number;
  cause: number;
  mode: 'machine' | 'supervisor';
}

export type RegisterPlace = { kind: 'register'; register: number } | { kind: 'memory'; address: number } | { kind: 'value'; value: number } | { kind: 'lost' };

export interface CodeUnwind {
  /** The caller's sp (the CFA of this frame). */
  cfa: number;
  /** Where the caller's pc is: a return address, or (for `resume`) the very instruction it continues at. */
  returnAddress: RegisterPlace;
  /** Registers the code moved: a stack slot, a value, or lost. Registers not named are where they were. */
  places: Map<number, RegisterPlace>;
  /**
   * How the caller continues: 'call' (a return address after a call: caller-saved registers are lost,
   * the call's line is the one before), 'millicode' (`jal t0, __riscv_save_N` at the caller's entry: ra
   * is the caller's own, and the caller resumes at t0), 'trap' (the interrupted code resumes at mepc with
   * all its registers).
   */
  kind: 'call' | 'millicode' | 'trap';
  /** For 'trap': which mode's handler returns (mret: machine, sret: supervisor). */
  mode?: 'machine' | 'supervisor';
  /**
   * Words the code stores on its way to the return (forward analysis): the caller's frame is read as it
   * will be when the return happens, e.g. the ra that `__riscv_save_N` is about to store where the
   * caller's CFI says it is. Undefined value: a store whose value is unknown.
   */
  stores: Map<number, number | undefined>;
}

const RA = 1;
const SP = 2;
const T0 = 5;
const S0 = 8;
const MEPC = 0x341;
const SEPC = 0x141;
/** Registers a prologue saves for its caller: ra, s0 and s1, s2–s11. */
const SAVED_BY_PROLOGUE = new Set([1, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27]);
const FORWARD_LIMIT = 64;
const PROLOGUE_LIMIT = 128;

export interface CodeContext {
  view: MachineView;
  /** The frame's registers (undefined = not recoverable in this frame). */
  register(n: number): number | undefined;
  /** Lowest address of the function holding pc. */
  functionLow: number;
  /** True for the frame the machine is in (frame 0): pc has not executed yet. */
  innermost: boolean;
  /** The code is a trap handler's (see trapHandlerAt): it returns to the interrupted code. */
  handler?: TrapHandler;
}

/**
 * The trap handler a frame's code belongs to: the entry mtvec or stvec points at starts its function, or
 * lies in it at or before pc (an assembly handler after other code under one symbol).
 */
export function trapHandlerAt(view: MachineView, functionLow: number, pc: number): TrapHandler | undefined {
  const t = view.trapState?.();
  if (!t) return undefined;
  const handlers: TrapHandler[] = [{ vector: (t.mtvec & ~3) >>> 0, epc: t.mepc >>> 0, cause: (t.mcause ?? 0) >>> 0, mode: 'machine' }];
  if (t.stvec) handlers.push({ vector: (t.stvec & ~3) >>> 0, epc: (t.sepc ?? 0) >>> 0, cause: (t.scause ?? 0) >>> 0, mode: 'supervisor' });
  return handlers.find((h) => h.vector !== 0 && functionLow <= h.vector && h.vector <= pc);
}

/** How the caller of code without CFI continues, or undefined when the code does not say. */
export function unwindCode(pc: number, ctx: CodeContext): CodeUnwind | undefined {
  return unwindForward(pc, ctx) ?? prologue(pc, ctx, ctx.handler);
}

/**
 * Forward to the return only: exact when it answers, so it is preferred even over CFI in the frame the
 * machine is in (GCC's CFI for the jump to `__riscv_restore_N` says CFA = sp + 0, one frame short).
 */
export function unwindForward(pc: number, ctx: CodeContext): CodeUnwind | undefined {
  return forwardToReturn(pc, ctx, ctx.handler !== undefined);
}

/** Reads one instruction; undefined outside memory or for an encoding the CPU would not run. */
function instructionAt(view: MachineView, address: number): Decoded | undefined {
  const low = view.readMemory(address, 2);
  if (low.length < 2) return undefined;
  const half = low[0] | (low[1] << 8);
  if (instructionLength(half) === 2) return decode(half);
  const all = view.readMemory(address, 4);
  if (all.length < 4) return undefined;
  return decode((all[0] | (all[1] << 8) | (all[2] << 16) | (all[3] << 24)) >>> 0);
}

const writesRd = (d: Decoded): boolean => d.spec.operands.includes('rd') && d.rd !== 0;

function forwardToReturn(start: number, ctx: CodeContext, isHandler: boolean): CodeUnwind | undefined {
  // The registers as the code leaves them: a concrete value (with the stack slot it came from) or unknown.
  const value = new Map<number, number | undefined>();
  const places = new Map<number, RegisterPlace>();
  const stores = new Map<number, number | undefined>(); // word address -> value written on the way
  const get = (n: number): number | undefined => (n === 0 ? 0 : value.has(n) ? value.get(n) : ctx.register(n));
  const set = (n: number, v: number | undefined, place?: RegisterPlace): void => {
    if (n === 0) return;
    value.set(n, v === undefined ? undefined : v >>> 0);
    places.set(n, place ?? (v === undefined ? { kind: 'lost' } : { kind: 'value', value: v >>> 0 }));
  };
  const word = (address: number): number | undefined => {
    if (stores.has(address)) return stores.get(address);
    const b = ctx.view.readMemory(address, 4);
    return b.length < 4 ? undefined : (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
  };
  // A handler may move mepc (past an ecall, say); unknown then: the trap's own pc is the best answer.
  const trap = ctx.view.trapState?.();
  let mepc = trap?.mepc;
  let sepc = trap?.sepc;
  let pc = start >>> 0;
  for (let i = 0; i < FORWARD_LIMIT; i++) {
    const d = instructionAt(ctx.view, pc);
    if (!d) return undefined;
    const name = d.spec.name;
    const a = get(d.rs1);
    const b = get(d.rs2);
    let next = (pc + d.length) >>> 0;
    switch (name) {
      case 'addi': set(d.rd, a === undefined ? undefined : a + d.imm); break;
      case 'add': set(d.rd, a === undefined || b === undefined ? undefined : a + b); break;
      case 'sub': set(d.rd, a === undefined || b === undefined ? undefined : a - b); break;
      case 'lui': set(d.rd, d.imm); break;
      case 'auipc': set(d.rd, pc + d.imm); break;
      case 'lw': {
        if (a === undefined) { set(d.rd, undefined); break; }
        const address = (a + d.imm) >>> 0;
        const stored = stores.has(address);
        const loaded = word(address);
        set(d.rd, loaded, stored || loaded === undefined ? undefined : { kind: 'memory', address });
        if (stored) places.set(d.rd, loaded === undefined ? { kind: 'lost' } : { kind: 'value', value: loaded });
        break;
      }
      case 'sw': case 'sh': case 'sb':
        if (a === undefined) return undefined; // a store to somewhere unknown could be anywhere on the stack
        stores.set(((a + d.imm) & ~3) >>> 0, name === 'sw' && ((a + d.imm) & 3) === 0 ? b : undefined);
        break;
      case 'jal':
        if (d.rd !== 0) return undefined; // a call: not straight to the return
        next = (pc + d.imm) >>> 0;
        break;
      case 'jalr': {
        // A return is `jr ra`, or `jr t0` back from millicode; another register is a switch's jump table.
        if (d.rd !== 0 || d.imm !== 0 || (d.rs1 !== RA && d.rs1 !== T0)) return undefined;
        const sp = get(SP);
        if (sp === undefined) return undefined;
        if (isHandler) return undefined; // a handler leaves by mret; a plain jump out of it is not understood
        const millicode = d.rs1 === T0 && !places.has(RA);
        return {
          cfa: sp,
          returnAddress: places.get(d.rs1) ?? { kind: 'register', register: d.rs1 },
          places,
          kind: d.rs1 === RA ? 'call' : millicode ? 'millicode' : 'call',
          stores,
        };
      }
      case 'mret': case 'sret': {
        const sp = get(SP);
        const epc = name === 'mret' ? mepc : sepc;
        if (sp === undefined || epc === undefined) return undefined;
        const mode = name === 'mret' ? 'machine' : 'supervisor';
        return { cfa: sp, returnAddress: { kind: 'value', value: epc >>> 0 }, places, kind: 'trap', mode, stores };
      }
      case 'csrrw':
        if (d.imm === MEPC && a !== undefined) mepc = a & ~1;
        if (d.imm === SEPC && a !== undefined) sepc = a & ~1;
        set(d.rd, undefined);
        break;
      case 'ebreak': case 'ecall': case 'wfi': case 'fence': case 'fence.i':
        break; // semihosting and friends: the guest's registers go on as they were (a0 aside, which is lost anyway)
      default:
        if (d.spec.format === 'B') return undefined; // a branch: not straight-line
        if (name === 'uret') return undefined;
        if (writesRd(d)) set(d.rd, undefined);
    }
    if (get(SP) === undefined) return undefined;
    pc = next;
  }
  return undefined;
}

function prologue(pc: number, ctx: CodeContext, handler: TrapHandler | undefined): CodeUnwind | undefined {
  const isHandler = handler !== undefined;
  const sp = ctx.register(SP);
  if (sp === undefined) return undefined;
  let spOffset = 0; // sp now minus sp at entry
  const saved = new Map<number, number>(); // register -> offset from the entry sp
  let address = ctx.functionLow >>> 0;
  // An outer frame's pc is a return address: the call before it has run, so its effects are in.
  for (let i = 0; i < PROLOGUE_LIMIT && address < pc; i++) {
    const d = instructionAt(ctx.view, address);
    if (!d) break;
    const name = d.spec.name;
    if (name === 'addi' && d.rd === SP && d.rs1 === SP) {
      spOffset += d.imm;
    } else if (d.rd === SP && writesRd(d)) {
      return undefined; // sp set from elsewhere: the code that makes the stack, the outermost frame
    } else if (name === 'sw' && d.rs1 === SP) {
      if ((isHandler || SAVED_BY_PROLOGUE.has(d.rs2)) && !saved.has(d.rs2)) saved.set(d.rs2, spOffset + d.imm);
    } else if (name === 'sw' && d.rs1 === S0 && saved.has(S0)) {
      // stores through the frame pointer are the body's, not the prologue's
      break;
    } else if (d.spec.format === 'B' || name === 'jal' || name === 'jalr' || name === 'lw' || name === 'mret' || name === 'sret') {
      break; // the body starts: the prologue is what came before
    } else if (writesRd(d) && SAVED_BY_PROLOGUE.has(d.rd) && !saved.has(d.rd) && !isHandler && d.rd !== S0) {
      // a callee-saved register changed before it was saved: this is not a prologue that saves it
      saved.set(d.rd, Number.NaN);
    }
    address = (address + d.length) >>> 0;
  }
  if (spOffset > 0) return undefined;
  const cfa = (sp - spOffset) >>> 0;
  const places = new Map<number, RegisterPlace>();
  for (const [n, offset] of saved) places.set(n, Number.isNaN(offset) ? { kind: 'lost' } : { kind: 'memory', address: (cfa + offset) >>> 0 });
  if (handler) return { cfa, returnAddress: { kind: 'value', value: handler.epc }, places, kind: 'trap', mode: handler.mode, stores: new Map() };
  const returnAddress = places.get(RA) ?? (ctx.innermost || spOffset === 0 ? { kind: 'register', register: RA } : undefined);
  if (!returnAddress) return undefined;
  return { cfa, returnAddress, places, kind: 'call', stores: new Map() };
}
