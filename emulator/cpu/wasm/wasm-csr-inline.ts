/**
 * The privileged instructions a preemptive kernel runs at every trap, done by a wasm region itself,
 * without a call to JavaScript: a FreeRTOS-shaped trap entry reads mepc, mstatus and mcause, the exit
 * writes mepc and mstatus back and returns with `mret`, and the tasks' critical sections set and clear
 * mstatus.MIE (bench/kernel: ~630K such calls a run, each ~100 ns, a third of its steady-state time).
 * mstatus, mepc, mcause, mtval and mscratch are words in memory (csr-file.ts), so each of these is a
 * load or a store, guarded by what makes it exactly what the interpreter does:
 * - machine mode (the exit word EXIT_PRIVILEGE): in other modes the access may trap;
 * - a write of mstatus, and `mret`, only where they change nothing but mstatus: the hart stays in
 *   machine mode, MPRV stays clear (no address translation can turn on), and either MIE ends clear (no
 *   interrupt can come in machine mode) or the exit word EXIT_QUIET holds (setting MIE brings none
 *   before the slice ends: wasm-csr.ts).
 * - `ecall` in machine mode while no trap stops the run (the exit word EXIT_TRAP_STOPS) and the handler
 *   is not the ecall itself (the machine calls that stuck): the trap is stores of mepc, mcause, mtval
 *   and mstatus, a jump to mtvec's base, and one more trap in EXIT_TRAPS for the machine's count
 *   (wasm-chain.ts flushTraps). With MIE clear in machine mode no interrupt can come, and EXIT_QUIET
 *   stays as it was: nothing it depends on changed.
 * Anything else calls the instruction's site (wasm-csr.ts), as before.
 */
import { Decoded } from '../../isa/decode';
import { CsrWord, Mstatus } from '../csr-file';
import { Cause } from '../traps';
import { Code, Mem, Op } from './wasm-binary';
import { EXIT_PRIVILEGE, EXIT_QUIET, EXIT_TRAP_STOPS, EXIT_TRAPS } from './wasm-chain';

/** The CSRs that are words in memory, by CSR number. */
const WORD_OF = new Map([[0x300, CsrWord.Mstatus], [0x341, CsrWord.Mepc], [0x342, CsrWord.Mcause], [0x343, CsrWord.Mtval], [0x340, CsrWord.Mscratch]]);

/** Where the instruction is emitted, and what the code around it provides. */
export interface InlineSite {
  readonly code: Code;
  /** Pushes the CSR instruction's operand (rs1's value, or the immediate). */
  readonly operand: () => void;
  /** Gets the CSR's old value (for rd), or `mret`'s pc to go on at, on both paths. */
  readonly old: number;
  /** A scratch local. */
  readonly scratch: number;
  /** Where the exit words and the CSR words are in memory. */
  readonly exitBase: number;
  readonly csrBase: number;
}

/** Whether the CSR instruction `d` (one that cannot trap in machine mode) has a path without a call. */
export function csrInline(d: Decoded): boolean {
  return WORD_OF.has(d.imm);
}

/** Pushes 1 in machine mode, else 0. */
function machineMode(at: InlineSite): void {
  at.code.i32(0).mem(Mem.I32Load, at.exitBase + 4 * EXIT_PRIVILEGE).i32(3).op(Op.I32Eq);
}

/** Pushes 1 if the mstatus value in `local` leaves MIE clear or EXIT_QUIET holds (`enable`: MIE's bit in it). */
function noInterruptSooner(at: InlineSite, local: number, enable: number): void {
  at.code.get(local).i32(enable).op(Op.I32And).op(Op.I32Eqz).i32(0).mem(Mem.I32Load, at.exitBase + 4 * EXIT_QUIET).op(Op.I32Or);
}

/** Emits the CSR instruction `d` (csrInline): `if (the path without a call applies) { it } else { slow() }`. */
export function emitCsrInline(d: Decoded, at: InlineSite, slow: () => void): void {
  const c = at.code;
  const word = WORD_OF.get(d.imm)!;
  const address = at.csrBase + 4 * word;
  const kind = d.spec.name.replace(/i$/, '');
  const writes = kind === 'csrrw' || d.rs1 !== 0;
  const value = (): void => {
    at.operand();
    if (kind === 'csrrs') c.get(at.old).op(Op.I32Or);
    else if (kind === 'csrrc') c.i32(-1).op(Op.I32Xor).get(at.old).op(Op.I32And);
  };
  if (writes && word === CsrWord.Mstatus) {
    // The value the CSR file's write would store (MPP is WARL: 2 keeps the old MPP), then whether it
    // needs the re-checks (recheckInterrupts, addressingChanged) that only a call makes.
    c.i32(0).mem(Mem.I32Load, address).set(at.old);
    value();
    c.set(at.scratch);
    c.get(at.scratch).i32(Mstatus.Writable & ~Mstatus.MPP).op(Op.I32And);
    c.get(at.old).get(at.scratch).get(at.scratch).i32(Mstatus.MPP).op(Op.I32And).i32(2 << 11).op(Op.I32Eq).op(Op.Select);
    c.i32(Mstatus.MPP).op(Op.I32And).op(Op.I32Or).set(at.scratch);
    machineMode(at);
    c.get(at.scratch).i32(Mstatus.MPRV).op(Op.I32And).op(Op.I32Eqz).op(Op.I32And);
    noInterruptSooner(at, at.scratch, Mstatus.MIE);
    c.op(Op.I32And).if();
    c.i32(0).get(at.scratch).mem(Mem.I32Store, address);
    c.else();
    slow();
    c.end();
    return;
  }
  machineMode(at);
  c.if();
  c.i32(0).mem(Mem.I32Load, address).set(at.old);
  if (writes) {
    c.i32(0);
    value();
    if (word === CsrWord.Mepc) c.i32(~1).op(Op.I32And);
    c.mem(Mem.I32Store, address);
  }
  c.else();
  slow();
  c.end();
}

/**
 * Emits `mret`: `if (it returns to machine mode and needs no re-check) { it, with mepc in old } else
 * { slow() }`. MPP becomes U, MPIE 1 and MIE takes MPIE, as returnFromTrap (trap-entry.ts) does.
 */
export function emitMretInline(at: InlineSite, slow: () => void): void {
  const c = at.code;
  const mstatus = at.csrBase + 4 * CsrWord.Mstatus;
  c.i32(0).mem(Mem.I32Load, mstatus).set(at.scratch);
  machineMode(at);
  c.get(at.scratch).i32(Mstatus.MPP | Mstatus.MPRV).op(Op.I32And).i32(Mstatus.MPP).op(Op.I32Eq).op(Op.I32And);
  noInterruptSooner(at, at.scratch, Mstatus.MPIE);
  c.op(Op.I32And).if();
  c.i32(0);
  c.get(at.scratch).i32(~(Mstatus.MIE | Mstatus.MPP)).op(Op.I32And).i32(Mstatus.MPIE).op(Op.I32Or);
  // MPIE is bit 7, MIE bit 3.
  c.get(at.scratch).i32(Mstatus.MPIE).op(Op.I32And).i32(4).op(Op.I32ShrU).op(Op.I32Or);
  c.mem(Mem.I32Store, mstatus);
  c.i32(0).mem(Mem.I32Load, at.csrBase + 4 * CsrWord.Mepc).set(at.old);
  c.else();
  slow();
  c.end();
}

/**
 * Emits `ecall` at `pc`: `if (it traps from machine mode to machine mode without a stop) { the trap, with
 * the handler's address in old } else { slow() }`, as enterTrap (trap-entry.ts) does.
 */
export function emitEcallInline(at: InlineSite, pc: number, slow: () => void): void {
  const c = at.code;
  const word = (index: number): number => at.csrBase + 4 * index;
  const traps = at.exitBase + 4 * EXIT_TRAPS;
  machineMode(at);
  c.i32(0).mem(Mem.I32Load, at.exitBase + 4 * EXIT_TRAP_STOPS).op(Op.I32Eqz).op(Op.I32And);
  // Exceptions go to mtvec's base in vectored mode too.
  c.i32(0).mem(Mem.I32Load, word(CsrWord.Mtvec)).i32(~3).op(Op.I32And).tee(at.old).i32(pc | 0).op(Op.I32Ne).op(Op.I32And).if();
  c.i32(0).i32(pc & ~1).mem(Mem.I32Store, word(CsrWord.Mepc));
  c.i32(0).i32(Cause.EcallFromM).mem(Mem.I32Store, word(CsrWord.Mcause));
  c.i32(0).i32(0).mem(Mem.I32Store, word(CsrWord.Mtval));
  // MPIE takes MIE (bit 3 to bit 7), MIE clears, MPP is M.
  c.i32(0).mem(Mem.I32Load, word(CsrWord.Mstatus)).set(at.scratch);
  c.i32(0).get(at.scratch).i32(~(Mstatus.MIE | Mstatus.MPIE | Mstatus.MPP)).op(Op.I32And);
  c.get(at.scratch).i32(Mstatus.MIE).op(Op.I32And).i32(4).op(Op.I32Shl).op(Op.I32Or).i32(Mstatus.MPP).op(Op.I32Or);
  c.mem(Mem.I32Store, word(CsrWord.Mstatus));
  c.i32(0).i32(0).mem(Mem.I32Load, traps).i32(1).op(Op.I32Add).mem(Mem.I32Store, traps);
  c.else();
  slow();
  c.end();
}
