/**
 * The first compiled tier: a hot basic block as one JavaScript function, so that its instructions run
 * without a call each. Small and quick for V8 to optimize; the hottest pages go on to regions
 * (region.ts). Common instructions are emitted inline; anything else calls the instruction's closure (the
 * reference implementation in compile.ts), which keeps one definition of every complex semantics.
 *
 * Only decoded fields (register numbers, immediates, addresses, all numbers) are written into the source
 * text; guest memory contents never are. Exactness is the closures': an instruction that traps throws
 * with its own pc, and the run loop accounts for the steps before it exactly as it does for closures.
 */
import { Decoded } from '../isa/decode';
import { BARRIER_SHIFT, Ram } from '../memory/ram';
import { ExecContext, mulhu, Op } from './compile';

const SINK = 32;
const dest = (r: number): number => (r === 0 ? SINK : r);
const n = (v: number): string => (v < 0 ? `(${v})` : String(v));

/** JavaScript for one instruction, or undefined when the closure should run it. */
function emit(d: Decoded, pc: number, ram: Ram, watchingReads: boolean): string | undefined {
  const rd = dest(d.rd);
  const a = `x[${d.rs1}]`;
  const b = `x[${d.rs2}]`;
  const imm = d.imm;
  const next = (pc + d.length) >>> 0;
  const k = imm - ram.base;
  const size = ram.size;
  const address = `((${a} + ${n(imm)}) | 0)`;
  const offset = `const o = (${a} + ${n(k)}) >>> 0;`;
  // While reads are watched, loads from watched pages take the slow path, which checks them.
  const ramCheck = watchingReads ? `o < ${size} && rw[o >>> 12] === 0` : `o < ${size}`;
  switch (d.spec.name) {
    case 'lui': return `x[${rd}] = ${imm | 0};`;
    case 'auipc': return `x[${rd}] = ${(pc + imm) | 0};`;
    case 'jal': return `x[${rd}] = ${next | 0}; return ${(pc + imm) >>> 0};`;
    case 'jalr': return `{ const t = ((${a} + ${n(imm)}) & -2) >>> 0; x[${rd}] = ${next | 0}; return t; }`;
    case 'beq': return `return ${a} === ${b} ? ${(pc + imm) >>> 0} : ${next};`;
    case 'bne': return `return ${a} !== ${b} ? ${(pc + imm) >>> 0} : ${next};`;
    case 'blt': return `return ${a} < ${b} ? ${(pc + imm) >>> 0} : ${next};`;
    case 'bge': return `return ${a} >= ${b} ? ${(pc + imm) >>> 0} : ${next};`;
    case 'bltu': return `return (${a} >>> 0) < (${b} >>> 0) ? ${(pc + imm) >>> 0} : ${next};`;
    case 'bgeu': return `return (${a} >>> 0) >= (${b} >>> 0) ? ${(pc + imm) >>> 0} : ${next};`;
    case 'lb': return `{ ${offset} x[${rd}] = ${ramCheck} ? i8[o] : m.load(${address}, 1, true, ${pc}); }`;
    case 'lbu': return `{ ${offset} x[${rd}] = ${ramCheck} ? u8[o] : m.load(${address}, 1, false, ${pc}); }`;
    case 'lh': return `{ ${offset} x[${rd}] = ${ramCheck} && (o & 1) === 0 ? i16[o >>> 1] : m.load(${address}, 2, true, ${pc}); }`;
    case 'lhu': return `{ ${offset} x[${rd}] = ${ramCheck} && (o & 1) === 0 ? u16[o >>> 1] : m.load(${address}, 2, false, ${pc}); }`;
    case 'lw': return `{ ${offset} x[${rd}] = ${ramCheck} && (o & 3) === 0 ? i32[o >>> 2] : m.load(${address}, 4, true, ${pc}); }`;
    case 'sb': return `{ ${offset} if (o < ${size} && wb[o >>> ${BARRIER_SHIFT}] !== 0) u8[o] = ${b}; else m.store(${address}, 1, ${b}, ${pc}); }`;
    case 'sh': return `{ ${offset} if (o < ${size} && (o & 1) === 0 && wb[o >>> ${BARRIER_SHIFT}] !== 0) u16[o >>> 1] = ${b}; else m.store(${address}, 2, ${b}, ${pc}); }`;
    case 'sw': return `{ ${offset} if (o < ${size} && (o & 3) === 0 && wb[o >>> ${BARRIER_SHIFT}] !== 0) i32[o >>> 2] = ${b}; else m.store(${address}, 4, ${b}, ${pc}); }`;
    case 'addi': return d.rs1 === 0 ? `x[${rd}] = ${imm | 0};` : `x[${rd}] = (${a} + ${n(imm)}) | 0;`;
    case 'slti': return `x[${rd}] = ${a} < ${n(imm)} ? 1 : 0;`;
    case 'sltiu': return `x[${rd}] = (${a} >>> 0) < ${imm >>> 0} ? 1 : 0;`;
    case 'xori': return `x[${rd}] = ${a} ^ ${n(imm)};`;
    case 'ori': return `x[${rd}] = ${a} | ${n(imm)};`;
    case 'andi': return `x[${rd}] = ${a} & ${n(imm)};`;
    case 'slli': return `x[${rd}] = ${a} << ${imm};`;
    case 'srli': return `x[${rd}] = ${a} >>> ${imm};`;
    case 'srai': return `x[${rd}] = ${a} >> ${imm};`;
    case 'add': return `x[${rd}] = (${a} + ${b}) | 0;`;
    case 'sub': return `x[${rd}] = (${a} - ${b}) | 0;`;
    case 'sll': return `x[${rd}] = ${a} << (${b} & 31);`;
    case 'slt': return `x[${rd}] = ${a} < ${b} ? 1 : 0;`;
    case 'sltu': return `x[${rd}] = (${a} >>> 0) < (${b} >>> 0) ? 1 : 0;`;
    case 'xor': return `x[${rd}] = ${a} ^ ${b};`;
    case 'srl': return `x[${rd}] = ${a} >>> (${b} & 31);`;
    case 'sra': return `x[${rd}] = ${a} >> (${b} & 31);`;
    case 'or': return `x[${rd}] = ${a} | ${b};`;
    case 'and': return `x[${rd}] = ${a} & ${b};`;
    case 'mul': return `x[${rd}] = Math.imul(${a}, ${b});`;
    case 'mulhu': return `x[${rd}] = mulhu(${a}, ${b});`;
    case 'divu': return `{ const p = ${a} >>> 0, q = ${b} >>> 0; x[${rd}] = q === 0 ? -1 : (p / q) | 0; }`;
    case 'remu': return `{ const p = ${a} >>> 0, q = ${b} >>> 0; x[${rd}] = q === 0 ? p | 0 : (p % q) | 0; }`;
    case 'fence': return '';
    default: return undefined;
  }
}

/**
 * One function that runs the whole block and returns the next pc. `decoded[i]` is undefined for an
 * illegal encoding (its closure traps).
 */
export function compileBlock(decoded: Array<Decoded | undefined>, pcs: number[], ops: Op[], end: number, m: ExecContext): () => number {
  const lines: string[] = [];
  let returned = false;
  decoded.forEach((d, i) => {
    const inline = d ? emit(d, pcs[i], m.ram, m.watchingReads) : undefined;
    const last = i === decoded.length - 1;
    if (inline !== undefined) {
      lines.push(inline);
      returned = inline.includes('return');
    } else {
      lines.push(last ? `return ops[${i}]();` : `ops[${i}]();`);
      returned = last;
    }
  });
  if (!returned) lines.push(`return ${end};`);
  const factory = new Function('x', 'ops', 'm', 'u8', 'i8', 'u16', 'i16', 'i32', 'wb', 'rw', 'mulhu',
    `'use strict';\nreturn function block() {\n${lines.join('\n')}\n};`);
  const { u8, i8, u16, i16, i32, writeBarrier, readWatchedPages } = m.ram;
  return factory(m.x, ops, m, u8, i8, u16, i16, i32, writeBarrier, readWatchedPages, mulhu) as () => number;
}
