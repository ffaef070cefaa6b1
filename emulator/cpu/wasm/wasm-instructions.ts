/**
 * WebAssembly for one straight-line instruction inside a compiled region (wasm-region.ts), with the
 * guest's integer registers in wasm locals (x0 reads as the constant 0; a write to it is dropped). The
 * same instructions as the JavaScript region compiler's (region-instructions.ts `isStraightLine`), with
 * the same slow paths: MMIO, misaligned accesses, loads from read-watched pages and stores into pages
 * that need bookkeeping leave the region before the instruction (`exit`), and the interpreter runs it.
 *
 * Guest RAM is the wasm memory from address 0 (memory/ram.ts), so a RAM offset is a wasm address.
 */
import { Decoded } from '../../isa/decode';
import { InstructionSpec } from '../../isa/instructions';
import { Code, I32, Mem, Op } from './wasm-binary';
import { BARRIER_SHIFT } from '../../memory/ram';
import { isStraightLine } from '../region-instructions';

/** local.set's opcode: what follows a register-register instruction's op (Bytes.getGetOpThen). */
const LOCAL_SET = 0x21;

/** Where an instruction sits, and what the code around it provides. */
export interface WasmSite {
  readonly code: Code;
  /** Local holding each register x1..x31 (index 0 unused; -1: none, it is in memory: `memoryRegisters`). */
  readonly registers: readonly number[];
  /**
   * Registers without a local (`registers[r] < 0`) are read and written in memory (the machine's `x`, at
   * `base`), through the local `scratch` (region-registers.ts LOCAL_REGISTERS).
   */
  readonly memoryRegisters?: { readonly base: number; readonly scratch: number };
  /** A scratch local for the RAM offset of an access. */
  readonly offset: number;
  readonly pc: number;
  /** Emits the exit before this instruction, from inside `nesting` extra blocks. */
  readonly exit: (nesting: number) => void;
  readonly ramBase: number;
  readonly ramSize: number;
  /** Where the per-page write barrier and read-watch bytes are in memory. */
  readonly writeBarrierOffset: number;
  readonly readWatchedOffset: number;
  /** Loads check the read-watch bytes and take the slow path on watched pages. */
  readonly watchingReads: boolean;
}

/** A conditional branch's test, by its name (the regions' and the warm blocks' compilers). */
export const BRANCHES: Record<string, Op> = {
  beq: Op.I32Eq, bne: Op.I32Ne, blt: Op.I32LtS, bge: Op.I32GeS, bltu: Op.I32LtU, bgeu: Op.I32GeU,
};

const LOADS: Record<string, readonly [Mem, number] | undefined> = {
  lb: [Mem.I32Load8S, 0], lbu: [Mem.I32Load8U, 0], lh: [Mem.I32Load16S, 1], lhu: [Mem.I32Load16U, 1], lw: [Mem.I32Load, 3],
};
const STORES: Record<string, readonly [Mem, number] | undefined> = { sb: [Mem.I32Store8, 0], sh: [Mem.I32Store16, 1], sw: [Mem.I32Store, 3] };
const REGISTER_OPS: Record<string, Op | undefined> = {
  add: Op.I32Add, sub: Op.I32Sub, sll: Op.I32Shl, slt: Op.I32LtS, sltu: Op.I32LtU, xor: Op.I32Xor, srl: Op.I32ShrU,
  sra: Op.I32ShrS, or: Op.I32Or, and: Op.I32And, mul: Op.I32Mul,
};
// Wasm shifts use the count modulo 32, as RISC-V does; sltiu compares with the sign-extended immediate
// as unsigned, which i32.lt_u on the same bits does.
const IMMEDIATE_OPS: Record<string, Op | undefined> = {
  addi: Op.I32Add, slti: Op.I32LtS, sltiu: Op.I32LtU, xori: Op.I32Xor, ori: Op.I32Or, andi: Op.I32And,
  slli: Op.I32Shl, srli: Op.I32ShrU, srai: Op.I32ShrS,
};
/** The high-product instructions: how each operand widens to 64 bits. */
const HIGH_PRODUCTS: Record<string, readonly [Op, Op] | undefined> = {
  mulh: [Op.I64ExtendI32S, Op.I64ExtendI32S], mulhsu: [Op.I64ExtendI32S, Op.I64ExtendI32U],
  mulhu: [Op.I64ExtendI32U, Op.I64ExtendI32U],
};

/** What the wasm compiler writes for an instruction: the straight-line kinds first (up to Fence). */
export const enum Kind { Load, Store, Register, Immediate, HighProduct, Lui, Auipc, Div, Divu, Rem, Remu, Fence, Branch, Jal, Jalr, Other }

/** WasmKind.fields: the register fields an instruction's format has (the others hold bits of its immediate), and whether it loads or stores. */
export const RD = 1, RS1 = 2, RS2 = 4, ACCESS = 8;

/**
 * An instruction's kind, with the opcode its code uses (a Load's or Store's Mem, a Register's,
 * Immediate's or Branch's Op, a HighProduct's first widening), `second` (an access's alignment mask, a
 * HighProduct's second widening) and its `fields`. Found once an instruction (`kindOf`): the emitter
 * runs cold (V8's first tiers) for every warm case, where each lookup by the instruction's name in the
 * tables above (LOADS[name], `name in STORES`, ...) was a megamorphic keyed load and each comparison of
 * its format or name a string comparison (~190 and ~50 host instructions: a micro-benchmark under
 * --always-sparkplug), several of each an instruction.
 */
export interface WasmKind { readonly kind: Kind; readonly op: number; readonly second: number; readonly fields: number }

const SIMPLE_KINDS: Record<string, Kind | undefined> = {
  lui: Kind.Lui, auipc: Kind.Auipc, div: Kind.Div, divu: Kind.Divu, rem: Kind.Rem, remu: Kind.Remu, fence: Kind.Fence,
  jal: Kind.Jal, jalr: Kind.Jalr,
};

function kindFor(spec: InstructionSpec): WasmKind {
  const name = spec.name, format = spec.format;
  const fields = (format !== 'S' && format !== 'B' ? RD : 0) | (format !== 'U' && format !== 'J' ? RS1 : 0)
    | (format === 'R' || format === 'S' || format === 'B' ? RS2 : 0) | (format === 'S' || (spec.match & 0x7f) === 0x03 ? ACCESS : 0);
  const load = LOADS[name], store = STORES[name], registerOp = REGISTER_OPS[name], immediateOp = IMMEDIATE_OPS[name];
  const widen = HIGH_PRODUCTS[name], branch = BRANCHES[name];
  const kind: WasmKind = load !== undefined ? { kind: Kind.Load, op: load[0], second: load[1], fields }
    : store !== undefined ? { kind: Kind.Store, op: store[0], second: store[1], fields }
      : registerOp !== undefined ? { kind: Kind.Register, op: registerOp, second: 0, fields }
        : immediateOp !== undefined ? { kind: Kind.Immediate, op: immediateOp, second: 0, fields }
          : widen !== undefined ? { kind: Kind.HighProduct, op: widen[0], second: widen[1], fields }
            : branch !== undefined ? { kind: Kind.Branch, op: branch, second: 0, fields }
              : { kind: SIMPLE_KINDS[name] ?? Kind.Other, op: 0, second: 0, fields };
  if ((kind.kind <= Kind.Fence) !== isStraightLine(name)) throw new Error(`internal error: ${name}'s wasm kind disagrees with isStraightLine`);
  return kind;
}

/**
 * The kinds found so far, by spec (a compressed instruction decodes to the base instruction it expands
 * to): each made at its first use, not all at load, which ran the tables' lookups in V8's interpreter for
 * instructions few programs use (bench/bigcode +1.2M host instructions, hello +0.2M).
 */
const KINDS = new Map<InstructionSpec, WasmKind>();

/** `d`'s kind (see WasmKind). */
export function kindOf(d: Decoded): WasmKind {
  const spec = d.spec;
  let kind = KINDS.get(spec);
  if (kind === undefined) KINDS.set(spec, kind = kindFor(spec));
  return kind;
}

/** Pushes register `r` (x0 reads as 0). */
function read(site: WasmSite, r: number): void {
  const c = site.code;
  const inMemory = site.memoryRegisters;
  if (r === 0) c.i32(0);
  else if (inMemory !== undefined && site.registers[r] < 0) c.i32(0).mem(Mem.I32Load, inMemory.base + 4 * r);
  else c.get(site.registers[r]);
}

/** Pops the value into register `rd` (dropped for x0). */
function write(site: WasmSite, rd: number): void {
  const c = site.code;
  const inMemory = site.memoryRegisters;
  if (rd === 0) c.op(Op.Drop);
  else if (inMemory !== undefined && site.registers[rd] < 0) c.set(inMemory.scratch).i32(0).get(inMemory.scratch).mem(Mem.I32Store, inMemory.base + 4 * rd);
  else c.set(site.registers[rd]);
}

/**
 * Branches out (br_if 0) unless the offset on the stack, aligned to `mask` + 1 bytes, passes `compare`
 * (ge_u or gt_u) against `limit` (a multiple of that size, as RAM's size and a group's span are): the
 * offset rotated right by the alignment's bits moves any low bit set to the top (at least 2^30), beyond
 * any limit, and leaves an aligned offset divided, so one compare tests both, where a separate
 * alignment test took a local.get, an and and a br_if per access (bench/mathlib's modules 77,758 ->
 * 76,860 bytes; fresh runs within 0.2%: bench/LOG.md, session 24).
 */
function inRamAligned(c: Code, mask: number, limit: number, compare: Op.I32GeU | Op.I32GtU): void {
  const shift = mask === 0 ? 0 : mask === 1 ? 1 : 2;
  if (shift !== 0) c.i32(shift).op(Op.I32Rotr);
  c.i32(limit >>> shift).op(compare).brIf(0);
}

// The emitter runs cold (V8's first tiers) for thousands of instructions in a program's first
// milliseconds: no closures made per instruction, and no arrays destructured (through an iterator there).
/** Writes the straight-line instruction `d`, of kind `k` (kindOf). */
export function emitWasmInstruction(d: Decoded, k: WasmKind, site: WasmSite): void {
  const c = site.code;
  const kind = k.kind;
  if (kind === Kind.Load || kind === Kind.Store) {
    c.block().block();
    // RAM offset = rs1 + imm - base, wrapping: an address below RAM becomes a huge offset. In RAM and
    // aligned in one compare (inRamAligned).
    read(site, d.rs1); c.i32((d.imm - site.ramBase) | 0).op(Op.I32Add).tee(site.offset);
    inRamAligned(c, k.second, site.ramSize, Op.I32GeU);
    // The line's write barrier closed (0: ram.ts): the slow path.
    if (kind === Kind.Store) c.get(site.offset).i32(BARRIER_SHIFT).op(Op.I32ShrU).mem(Mem.I32Load8U, site.writeBarrierOffset).op(Op.I32Eqz).brIf(0);
    else if (site.watchingReads) c.get(site.offset).i32(12).op(Op.I32ShrU).mem(Mem.I32Load8U, site.readWatchedOffset).brIf(0);
    if (kind === Kind.Store) {
      c.get(site.offset); read(site, d.rs2); c.mem(k.op);
    } else {
      c.get(site.offset).mem(k.op); write(site, d.rd);
    }
    c.br(1).end();
    site.exit(1);
    c.end();
    return;
  }
  // No effect but on rd: nothing to do for x0 (nops, hints).
  const rd = d.rd;
  if (rd === 0) return;
  const l = site.registers;
  // Each field and local read once (cold code: each read is a call into V8's baseline builtins).
  if (kind === Kind.Register) {
    // Straight to the body's method where the locals fit a byte (Code.registerRegister's test): a call fewer, cold.
    const rs1 = d.rs1, rs2 = d.rs2, a = l[rs1], b = l[rs2], r = l[rd];
    if (rs1 !== 0 && rs2 !== 0 && a >= 0 && b >= 0 && r >= 0) {
      if ((a | b | r) < 0x80) c.body.getGetOpThen(a, b, k.op, LOCAL_SET, r); else c.registerRegister(a, b, k.op, r);
    }
    else { read(site, rs1); read(site, rs2); c.op(k.op); write(site, rd); }
    return;
  }
  if (kind === Kind.Immediate) {
    const rs1 = d.rs1, a = l[rs1], r = l[rd];
    if (rs1 !== 0 && a >= 0 && r >= 0) {
      if ((a | r) < 0x80) c.body.getConstOpSet(a, d.imm, k.op, r); else c.registerImmediate(a, d.imm, k.op, r);
    }
    else { read(site, rs1); c.i32(d.imm).op(k.op); write(site, rd); }
    return;
  }
  if (kind === Kind.HighProduct) {
    read(site, d.rs1); c.op(k.op); read(site, d.rs2); c.op(k.second); c.op(Op.I64Mul).i64(32).op(Op.I64ShrU).op(Op.I32WrapI64);
    write(site, rd);
    return;
  }
  const a = d.rs1;
  const b = d.rs2;
  switch (kind) {
    case Kind.Lui: c.i32(d.imm); write(site, rd); return;
    case Kind.Auipc: c.i32((site.pc + d.imm) | 0); write(site, rd); return;
    // Wasm division traps where RISC-V defines a result: divide by zero (-1, or the dividend for a
    // remainder) and -2^31 / -1 (the dividend; its remainder 0 is what i32.rem_s gives).
    case Kind.Div:
      read(site, b); c.op(Op.I32Eqz).if(I32).i32(-1).else();
      read(site, a); c.i32(-0x80000000).op(Op.I32Eq); read(site, b); c.i32(-1).op(Op.I32Eq).op(Op.I32And).if(I32);
      read(site, a); c.else(); read(site, a); read(site, b); c.op(Op.I32DivS).end().end();
      write(site, rd);
      return;
    case Kind.Divu: read(site, b); c.op(Op.I32Eqz).if(I32).i32(-1).else(); read(site, a); read(site, b); c.op(Op.I32DivU).end(); write(site, rd); return;
    case Kind.Rem: read(site, b); c.op(Op.I32Eqz).if(I32); read(site, a); c.else(); read(site, a); read(site, b); c.op(Op.I32RemS).end(); write(site, rd); return;
    case Kind.Remu: read(site, b); c.op(Op.I32Eqz).if(I32); read(site, a); c.else(); read(site, a); read(site, b); c.op(Op.I32RemU).end(); write(site, rd); return;
    // One hart, in order: nothing to fence.
    case Kind.Fence: return;
    default: throw new Error(`internal error: ${d.spec.name} is not a straight-line instruction the wasm compiler emits`);
  }
}

/**
 * At most this many bytes between a group's lowest and highest byte (accessGroup): two write-barrier
 * lines and two pages at most, whose bytes the group's check reads.
 */
const MAX_GROUP_SPAN = 1 << BARRIER_SHIFT;

/**
 * How many loads and stores from `decoded[i]` on go through the same base register at offsets of one
 * alignment within MAX_GROUP_SPAN bytes (1: no group): a trap handler's 31 register saves and restores,
 * a function's prologue and epilogue (`firstKind`: kindOf(decoded[i])). `plain(d, kindOf(d))`: the access is
 * no device access the region makes otherwise (wasm-timer.ts). A load that writes the base register ends the group.
 */
export function accessGroup(decoded: ReadonlyArray<Decoded | undefined>, i: number, firstKind: WasmKind, plain: (d: Decoded, k: WasmKind) => boolean): number {
  const first = decoded[i];
  const kind = firstKind.kind;
  if (first === undefined || (kind !== Kind.Load && kind !== Kind.Store) || first.rs1 === 0 || (first.rd === first.rs1 && kind === Kind.Load)) return 1;
  const mask = firstKind.second;
  let low = first.imm;
  let high = first.imm + mask + 1;
  let n = 1;
  for (let k = i + 1; k < decoded.length; k++) {
    const d = decoded[k];
    const other = d !== undefined ? kindOf(d) : undefined;
    if (d === undefined || other === undefined || (other.kind !== Kind.Load && other.kind !== Kind.Store) || other.second !== mask || d.rs1 !== first.rs1 || ((d.imm - first.imm) & mask) !== 0 || !plain(d, other)) break;
    const lowest = Math.min(low, d.imm);
    const highest = Math.max(high, d.imm + mask + 1);
    if (highest - lowest > MAX_GROUP_SPAN) break;
    low = lowest;
    high = highest;
    n++;
    if (d.rd === first.rs1 && other.kind === Kind.Load) break;
  }
  return n;
}

/**
 * The `n` accesses of a group (accessGroup) from `decoded[i]`, with one check for all of them: every
 * byte in RAM, the first aligned (then all are), the barriers of the lines stores may write open, the
 * pages loads may read not watched. If the check fails, the region leaves before the first, and the
 * interpreter runs them one by one (so the failing one takes its slow path as it would have here).
 */
export function emitAccessGroup(decoded: ReadonlyArray<Decoded | undefined>, i: number, n: number, site: WasmSite): void {
  const c = site.code;
  const members = decoded.slice(i, i + n) as Decoded[];
  const base = members[0].rs1;
  const mask = kindOf(members[0]).second;
  let low = members[0].imm;
  let high = low;
  for (const d of members) { low = Math.min(low, d.imm); high = Math.max(high, d.imm + mask + 1); }
  const span = high - low;
  const stores = members.some((d) => kindOf(d).kind === Kind.Store);
  const loads = members.some((d) => kindOf(d).kind === Kind.Load);
  c.block().block();
  // The RAM offset of the group's lowest byte (wrapping, as for one access), and of its highest.
  read(site, base); c.i32((low - site.ramBase) | 0).op(Op.I32Add).tee(site.offset);
  inRamAligned(c, mask, site.ramSize - span, Op.I32GtU);
  for (const last of [0, span - 1]) {
    if (stores) c.get(site.offset).i32(last).op(Op.I32Add).i32(BARRIER_SHIFT).op(Op.I32ShrU).mem(Mem.I32Load8U, site.writeBarrierOffset).op(Op.I32Eqz).brIf(0);
    if (loads && site.watchingReads) c.get(site.offset).i32(last).op(Op.I32Add).i32(12).op(Op.I32ShrU).mem(Mem.I32Load8U, site.readWatchedOffset).brIf(0);
  }
  for (const d of members) {
    const k = kindOf(d);
    if (k.kind === Kind.Store) {
      c.get(site.offset); read(site, d.rs2); c.mem(k.op, d.imm - low);
    } else {
      c.get(site.offset).mem(k.op, d.imm - low); write(site, d.rd);
    }
  }
  c.br(1).end();
  site.exit(1);
  c.end();
}
