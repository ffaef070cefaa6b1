/**
 * JavaScript for one instruction inside a compiled region (region-compiler.ts), with the guest's integer
 * registers held in JavaScript locals `r1`…`r31` (x0 reads as the literal 0; writes to it go to the
 * scratch local `t`). Straight-line instructions only: control transfers (branches, jumps) are emitted
 * by the region compiler, which knows where their targets are.
 *
 * Only decoded fields (register numbers, immediates, addresses, all numbers) are written into the source
 * text; guest memory contents never are.
 *
 * Slow paths (MMIO, misaligned or page-crossing accesses, stores to pages that need bookkeeping: clean
 * since the last snapshot, holding code, watched) leave the region before the instruction (`exit`), and
 * the run loop executes it with the interpreter. So a region never calls out: nothing it runs can
 * observe its registers, throw, or end the slice, and its rarely taken paths need no type feedback from
 * V8 (an optimized function that reaches code it never ran before is thrown away and compiled again).
 */
import { Decoded } from '../isa/decode';
import { BARRIER_SHIFT } from '../memory/ram';

/**
 * Steps are counted from the region's entry in a small integer (`s`; the machine's step at entry is
 * `s0`), and one call runs at most this many steps, so that V8 keeps the count and the slice end
 * (`end`, relative to `s0` too) in machine integers.
 */
export const STEP_CAP = 1 << 30;

/** Register `r` as a JavaScript expression to read. */
export const read = (r: number): string => (r === 0 ? '0' : `r${r}`);
/** Register `r` as a JavaScript place to write. */
export const write = (r: number): string => (r === 0 ? 't' : `r${r}`);
/** A number literal that can follow any operator. */
const lit = (v: number): string => (v < 0 ? `(${v})` : String(v));

/** Where an instruction sits, and what the code around it provides. */
export interface Site {
  readonly pc: number;
  /** Leaves the region before this instruction, for the interpreter to execute it. */
  readonly exit: string;
  readonly ramBase: number;
  readonly ramSize: number;
  /** Loads check `rw` (pages with a read watchpoint) and take the slow path there. */
  readonly watchingReads: boolean;
}

/** `h` = the unsigned high word of u × v (both int32 locals), exactly, in 16-bit halves. */
const HIGH = 'const ul = u & 0xffff, uh = u >>> 16, vl = v & 0xffff, vh = v >>> 16, lo = ul * vl, m1 = uh * vl, m2 = ul * vh; ' +
  'const h = uh * vh + (m1 >>> 16) + (m2 >>> 16) + (((lo >>> 16) + (m1 & 0xffff) + (m2 & 0xffff)) >>> 16);';

/** The instructions `emitInstruction` handles (the straight-line part of RV32IM). */
export function isStraightLine(name: string): boolean {
  return STRAIGHT_LINE.has(name);
}

const STRAIGHT_LINE = new Set([
  'lui', 'auipc', 'lb', 'lbu', 'lh', 'lhu', 'lw', 'sb', 'sh', 'sw',
  'addi', 'slti', 'sltiu', 'xori', 'ori', 'andi', 'slli', 'srli', 'srai',
  'add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and',
  'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu', 'fence',
]);

export function emitInstruction(d: Decoded, site: Site): string {
  const { pc, exit } = site;
  const rd = write(d.rd);
  const a = read(d.rs1);
  const b = read(d.rs2);
  const imm = d.imm;
  const k = imm - site.ramBase;
  const size = site.ramSize;
  const offset = `const o = (${a} + ${lit(k)}) >>> 0;`;
  const ram = site.watchingReads ? `o < ${size} && rw[o >>> 12] === 0` : `o < ${size}`;
  const load = (fast: string, align: string): string =>
    `{ ${offset} if (${ram}${align}) ${rd} = ${fast}; else ${exit} }`;
  const store = (fast: string, align: string): string =>
    `{ ${offset} if (o < ${size}${align} && wb[o >>> ${BARRIER_SHIFT}] !== 0) ${fast} = ${b}; else ${exit} }`;
  switch (d.spec.name) {
    case 'lui': return `${rd} = ${imm | 0};`;
    case 'auipc': return `${rd} = ${(pc + imm) | 0};`;
    case 'lb': return load('i8[o]', '');
    case 'lbu': return load('u8[o]', '');
    case 'lh': return load('i16[o >>> 1]', ' && (o & 1) === 0');
    case 'lhu': return load('u16[o >>> 1]', ' && (o & 1) === 0');
    case 'lw': return load('i32[o >>> 2]', ' && (o & 3) === 0');
    case 'sb': return store('u8[o]', '');
    case 'sh': return store('u16[o >>> 1]', ' && (o & 1) === 0');
    case 'sw': return store('i32[o >>> 2]', ' && (o & 3) === 0');
    case 'addi': return d.rs1 === 0 ? `${rd} = ${imm | 0};` : `${rd} = (${a} + ${lit(imm)}) | 0;`;
    case 'slti': return `${rd} = ${a} < ${lit(imm)} ? 1 : 0;`;
    case 'sltiu': return `${rd} = (${a} >>> 0) < ${imm >>> 0} ? 1 : 0;`;
    case 'xori': return `${rd} = ${a} ^ ${lit(imm)};`;
    case 'ori': return `${rd} = ${a} | ${lit(imm)};`;
    case 'andi': return `${rd} = ${a} & ${lit(imm)};`;
    case 'slli': return `${rd} = ${a} << ${imm};`;
    case 'srli': return `${rd} = (${a} >>> ${imm}) | 0;`;
    case 'srai': return `${rd} = ${a} >> ${imm};`;
    case 'add': return `${rd} = (${a} + ${b}) | 0;`;
    case 'sub': return `${rd} = (${a} - ${b}) | 0;`;
    case 'sll': return `${rd} = ${a} << (${b} & 31);`;
    case 'slt': return `${rd} = ${a} < ${b} ? 1 : 0;`;
    case 'sltu': return `${rd} = (${a} >>> 0) < (${b} >>> 0) ? 1 : 0;`;
    case 'xor': return `${rd} = ${a} ^ ${b};`;
    case 'srl': return `${rd} = (${a} >>> (${b} & 31)) | 0;`;
    case 'sra': return `${rd} = ${a} >> (${b} & 31);`;
    case 'or': return `${rd} = ${a} | ${b};`;
    case 'and': return `${rd} = ${a} & ${b};`;
    case 'mul': return `${rd} = Math.imul(${a}, ${b});`;
    // The high products inline (as compile.ts's mulhu): a call inside a hot loop makes V8 spill every
    // register local around it.
    case 'mulh': return `{ const u = ${a}, v = ${b}; ${HIGH} ${rd} = (h - (u < 0 ? v : 0) - (v < 0 ? u : 0)) | 0; }`;
    case 'mulhsu': return `{ const u = ${a}, v = ${b}; ${HIGH} ${rd} = (h - (u < 0 ? v : 0)) | 0; }`;
    case 'mulhu': return `{ const u = ${a}, v = ${b}; ${HIGH} ${rd} = h | 0; }`;
    case 'div': return `{ const u = ${a}, v = ${b}; ${rd} = v === 0 ? -1 : (u === -2147483648 && v === -1) ? u : (u / v) | 0; }`;
    case 'divu': return `{ const u = ${a} >>> 0, v = ${b} >>> 0; ${rd} = v === 0 ? -1 : (u / v) | 0; }`;
    // Remainders as u - q * v: V8 compiles `%` on numbers it cannot prove small integers to a call to
    // fmod, several times slower than a division. The quotient of two 32-bit integers by a double
    // division, truncated, is exact; for -2^31 / -1 it wraps to -2^31 and the remainder comes out 0.
    case 'rem': return `{ const u = ${a}, v = ${b}; ${rd} = v === 0 ? u : (u - Math.imul((u / v) | 0, v)) | 0; }`;
    case 'remu': return `{ const u = ${a} >>> 0, v = ${b} >>> 0; ${rd} = v === 0 ? u | 0 : (u - Math.imul((u / v) | 0, v)) | 0; }`;
    // One hart, in order: nothing to fence. (wfi is left to the interpreter: it may trap below M-mode.)
    case 'fence': return '';
    default: throw new Error(`internal error: ${d.spec.name} is not a straight-line instruction the region compiler emits`);
  }
}
