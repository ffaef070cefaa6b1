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
import { Code, I32, Mem, Op } from './wasm-binary';
import { BARRIER_SHIFT } from '../../memory/ram';

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
export function emitWasmInstruction(d: Decoded, site: WasmSite): void {
  const c = site.code;
  const name = d.spec.name;
  const access = LOADS[name] ?? STORES[name];
  if (access !== undefined) {
    const op = access[0];
    const alignMask = access[1];
    const store = name in STORES;
    c.block().block();
    // RAM offset = rs1 + imm - base, wrapping: an address below RAM becomes a huge offset. In RAM and
    // aligned in one compare (inRamAligned).
    read(site, d.rs1); c.i32((d.imm - site.ramBase) | 0).op(Op.I32Add).tee(site.offset);
    inRamAligned(c, alignMask, site.ramSize, Op.I32GeU);
    // The line's write barrier closed (0: ram.ts): the slow path.
    if (store) c.get(site.offset).i32(BARRIER_SHIFT).op(Op.I32ShrU).mem(Mem.I32Load8U, site.writeBarrierOffset).op(Op.I32Eqz).brIf(0);
    else if (site.watchingReads) c.get(site.offset).i32(12).op(Op.I32ShrU).mem(Mem.I32Load8U, site.readWatchedOffset).brIf(0);
    if (store) {
      c.get(site.offset); read(site, d.rs2); c.mem(op);
    } else {
      c.get(site.offset).mem(op); write(site, d.rd);
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
  const registerOp = REGISTER_OPS[name];
  if (registerOp !== undefined) {
    if (d.rs1 !== 0 && d.rs2 !== 0 && l[d.rs1] >= 0 && l[d.rs2] >= 0 && l[rd] >= 0) c.registerRegister(site.registers[d.rs1], site.registers[d.rs2], registerOp, site.registers[rd]);
    else { read(site, d.rs1); read(site, d.rs2); c.op(registerOp); write(site, rd); }
    return;
  }
  const immediateOp = IMMEDIATE_OPS[name];
  if (immediateOp !== undefined) {
    if (d.rs1 !== 0 && l[d.rs1] >= 0 && l[rd] >= 0) c.registerImmediate(site.registers[d.rs1], d.imm, immediateOp, site.registers[rd]);
    else { read(site, d.rs1); c.i32(d.imm).op(immediateOp); write(site, rd); }
    return;
  }
  const widen = HIGH_PRODUCTS[name];
  if (widen !== undefined) {
    read(site, d.rs1); c.op(widen[0]); read(site, d.rs2); c.op(widen[1]); c.op(Op.I64Mul).i64(32).op(Op.I64ShrU).op(Op.I32WrapI64);
    write(site, rd);
    return;
  }
  const a = d.rs1;
  const b = d.rs2;
  switch (name) {
    case 'lui': c.i32(d.imm); write(site, rd); return;
    case 'auipc': c.i32((site.pc + d.imm) | 0); write(site, rd); return;
    // Wasm division traps where RISC-V defines a result: divide by zero (-1, or the dividend for a
    // remainder) and -2^31 / -1 (the dividend; its remainder 0 is what i32.rem_s gives).
    case 'div':
      read(site, b); c.op(Op.I32Eqz).if(I32).i32(-1).else();
      read(site, a); c.i32(-0x80000000).op(Op.I32Eq); read(site, b); c.i32(-1).op(Op.I32Eq).op(Op.I32And).if(I32);
      read(site, a); c.else(); read(site, a); read(site, b); c.op(Op.I32DivS).end().end();
      write(site, rd);
      return;
    case 'divu': read(site, b); c.op(Op.I32Eqz).if(I32).i32(-1).else(); read(site, a); read(site, b); c.op(Op.I32DivU).end(); write(site, rd); return;
    case 'rem': read(site, b); c.op(Op.I32Eqz).if(I32); read(site, a); c.else(); read(site, a); read(site, b); c.op(Op.I32RemS).end(); write(site, rd); return;
    case 'remu': read(site, b); c.op(Op.I32Eqz).if(I32); read(site, a); c.else(); read(site, a); read(site, b); c.op(Op.I32RemU).end(); write(site, rd); return;
    // One hart, in order: nothing to fence.
    case 'fence': return;
    default: throw new Error(`internal error: ${name} is not a straight-line instruction the wasm compiler emits`);
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
 * a function's prologue and epilogue. `plain(d)`: the access is no device access the region makes
 * otherwise (wasm-timer.ts). A load that writes the base register ends the group.
 */
export function accessGroup(decoded: ReadonlyArray<Decoded | undefined>, i: number, plain: (d: Decoded) => boolean): number {
  const first = decoded[i];
  // Whether an access is a load: the lookup made anyway, not `name in LOADS` (an `in` V8 had seen with
  // one name threw writeBlock away at another: bench/kernel and tree after other programs in a process).
  const load = first !== undefined ? LOADS[first.spec.name] : undefined;
  const access = first !== undefined ? load ?? STORES[first.spec.name] : undefined;
  if (first === undefined || access === undefined || first.rs1 === 0 || (first.rd === first.rs1 && load !== undefined)) return 1;
  const mask = access[1];
  let low = first.imm;
  let high = first.imm + mask + 1;
  let n = 1;
  for (let k = i + 1; k < decoded.length; k++) {
    const d = decoded[k];
    const otherLoad = d !== undefined ? LOADS[d.spec.name] : undefined;
    const other = d !== undefined ? otherLoad ?? STORES[d.spec.name] : undefined;
    if (d === undefined || other === undefined || other[1] !== mask || d.rs1 !== first.rs1 || ((d.imm - first.imm) & mask) !== 0 || !plain(d)) break;
    const lowest = Math.min(low, d.imm);
    const highest = Math.max(high, d.imm + mask + 1);
    if (highest - lowest > MAX_GROUP_SPAN) break;
    low = lowest;
    high = highest;
    n++;
    if (d.rd === first.rs1 && otherLoad !== undefined) break;
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
  const mask = (LOADS[members[0].spec.name] ?? STORES[members[0].spec.name])![1];
  let low = members[0].imm;
  let high = low;
  for (const d of members) { low = Math.min(low, d.imm); high = Math.max(high, d.imm + mask + 1); }
  const span = high - low;
  const stores = members.some((d) => d.spec.name in STORES);
  const loads = members.some((d) => d.spec.name in LOADS);
  c.block().block();
  // The RAM offset of the group's lowest byte (wrapping, as for one access), and of its highest.
  read(site, base); c.i32((low - site.ramBase) | 0).op(Op.I32Add).tee(site.offset);
  inRamAligned(c, mask, site.ramSize - span, Op.I32GtU);
  for (const last of [0, span - 1]) {
    if (stores) c.get(site.offset).i32(last).op(Op.I32Add).i32(BARRIER_SHIFT).op(Op.I32ShrU).mem(Mem.I32Load8U, site.writeBarrierOffset).op(Op.I32Eqz).brIf(0);
    if (loads && site.watchingReads) c.get(site.offset).i32(last).op(Op.I32Add).i32(12).op(Op.I32ShrU).mem(Mem.I32Load8U, site.readWatchedOffset).brIf(0);
  }
  for (const d of members) {
    const op = (LOADS[d.spec.name] ?? STORES[d.spec.name])![0];
    if (d.spec.name in STORES) {
      c.get(site.offset); read(site, d.rs2); c.mem(op, d.imm - low);
    } else {
      c.get(site.offset).mem(op, d.imm - low); write(site, d.rd);
    }
  }
  c.br(1).end();
  site.exit(1);
  c.end();
}
