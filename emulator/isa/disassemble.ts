/**
 * Disassembly in the style of GNU objdump: the assembler's pseudo-instructions where the encoding is
 * one (`mv`, `li`, `ret`, `j`, `beqz`, `csrr`, …), ABI register names, operands separated by commas
 * without spaces, compressed instructions shown as what they do, shift amounts and upper immediates in
 * hex, branch and jump targets as absolute addresses. Symbols are not known here: callers that have
 * them pass `label`, which objdump would print after a target as ` <remember+0x14>`.
 */
import { decode, Decoded } from './decode';
import { abiName } from './registers';
import { csrName } from './csrs';
import { hexNumber as hex } from '../hex';


/** The text of a jump or branch target: `80000236` and, when known, ` <remember>`. */
export type TargetLabel = (address: number) => string;
const plain: TargetLabel = () => '';

export interface Disassembly {
  mnemonic: string;
  operands: string[];
  /** The jump or branch target, when the instruction has one. */
  target?: number;
}

export function disassemble(raw: number, pc: number, label: TargetLabel = plain): string {
  const d = decode(raw);
  if ((raw & 0xffff) === 0 || raw === 0xc0001073) return 'unimp';
  if (!d) return `.insn ${hex(raw & ((raw & 3) === 3 ? 0xffffffff : 0xffff))}`;
  return formatDecoded(d, pc, label);
}

export function formatDecoded(d: Decoded, pc: number, label: TargetLabel = plain): string {
  const { mnemonic, operands } = disassembleDecoded(d, pc, label);
  return operands.length ? `${mnemonic} ${operands.join(',')}` : mnemonic;
}

const r = abiName;

/** The instruction as objdump names it, with its operands. */
export function disassembleDecoded(d: Decoded, pc: number, label: TargetLabel = plain): Disassembly {
  const name = d.spec.name;
  const { rd, rs1, rs2, imm } = d;
  const target = (pc + imm) >>> 0;
  const at = `${target.toString(16)}${label(target)}`;
  const out = (mnemonic: string, ...operands: string[]): Disassembly => ({ mnemonic, operands });
  const jump = (mnemonic: string, ...operands: string[]): Disassembly => ({ mnemonic, operands: [...operands, at], target });
  switch (name) {
    case 'addi':
      if (rd === 0 && rs1 === 0 && imm === 0) return out('nop');
      if (rs1 === 0) return out('li', r(rd), String(imm));
      if (imm === 0) return out('mv', r(rd), r(rs1));
      return out('addi', r(rd), r(rs1), String(imm));
    case 'xori': return imm === -1 ? out('not', r(rd), r(rs1)) : out(name, r(rd), r(rs1), String(imm));
    case 'sltiu': return imm === 1 ? out('seqz', r(rd), r(rs1)) : out(name, r(rd), r(rs1), String(imm));
    case 'andi': if (imm === 255) return out('zext.b', r(rd), r(rs1)); return out(name, r(rd), r(rs1), String(imm));
    case 'ori': case 'slti': return out(name, r(rd), r(rs1), String(imm));
    case 'slli': case 'srli': case 'srai': return out(name, r(rd), r(rs1), hex(imm));
    case 'sub': return rs1 === 0 ? out('neg', r(rd), r(rs2)) : out(name, r(rd), r(rs1), r(rs2));
    case 'sltu': return rs1 === 0 ? out('snez', r(rd), r(rs2)) : out(name, r(rd), r(rs1), r(rs2));
    case 'slt':
      if (rs2 === 0) return out('sltz', r(rd), r(rs1));
      if (rs1 === 0) return out('sgtz', r(rd), r(rs2));
      return out(name, r(rd), r(rs1), r(rs2));
    case 'add':
      // c.mv expands to add rd, x0, rs2.
      return rs1 === 0 ? out('mv', r(rd), r(rs2)) : out(name, r(rd), r(rs1), r(rs2));
    case 'lui': case 'auipc': return out(name, r(rd), hex(imm >>> 12));
    case 'jal':
      if (rd === 0) return jump('j');
      if (rd === 1) return jump('jal');
      return jump('jal', r(rd));
    case 'jalr':
      if (rd === 0 && rs1 === 1 && imm === 0) return out('ret');
      if (rd === 0 && imm === 0) return out('jr', r(rs1));
      if (rd === 1 && imm === 0) return out('jalr', r(rs1));
      return out('jalr', r(rd), `${imm}(${r(rs1)})`);
    case 'beq': case 'bne': case 'blt': case 'bge': {
      if (rs2 === 0) return jump({ beq: 'beqz', bne: 'bnez', blt: 'bltz', bge: 'bgez' }[name], r(rs1));
      if (rs1 === 0 && name === 'blt') return jump('bgtz', r(rs2));
      if (rs1 === 0 && name === 'bge') return jump('blez', r(rs2));
      return jump(name, r(rs1), r(rs2));
    }
    case 'bltu': case 'bgeu': return jump(name, r(rs1), r(rs2));
    case 'fence': {
      const pred = (d.raw >>> 24) & 15;
      const succ = (d.raw >>> 20) & 15;
      if (((d.raw >>> 28) & 15) === 8 && pred === 3 && succ === 3) return out('fence.tso');
      return pred === 15 && succ === 15 ? out('fence') : out('fence', fenceSet(pred), fenceSet(succ));
    }
    case 'csrrs': case 'csrrw': case 'csrrc': case 'csrrsi': case 'csrrwi': case 'csrrci':
      return csr(d);
    default: break;
  }
  return out(name, ...d.spec.operands.map((kind) => {
    switch (kind) {
      case 'rd': return r(rd);
      case 'rs1': return r(rs1);
      case 'rs2': return r(rs2);
      case 'mem': return `${imm}(${r(rs1)})`;
      case 'amem': return `(${r(rs1)})`;
      case 'imm12': return String(imm);
      default: return '?';
    }
  }).filter((s) => s !== ''));
}

const COUNTERS: Record<string, string> = { cycle: 'rdcycle', time: 'rdtime', instret: 'rdinstret', cycleh: 'rdcycleh', timeh: 'rdtimeh', instreth: 'rdinstreth' };

function csr(d: Decoded): Disassembly {
  const { rd, rs1 } = d;
  const name = csrName(d.imm);
  const immediate = d.spec.name.endsWith('i');
  const source = immediate ? String(rs1) : r(rs1);
  const op = d.spec.name.slice(4, 5); // s, w or c
  if (d.spec.name === 'csrrs' && rs1 === 0) {
    return COUNTERS[name] ? { mnemonic: COUNTERS[name], operands: [r(rd)] } : { mnemonic: 'csrr', operands: [r(rd), name] };
  }
  if (rd === 0) return { mnemonic: `csr${op}${immediate ? 'i' : ''}`, operands: [name, source] };
  return { mnemonic: d.spec.name, operands: [r(rd), name, source] };
}

function fenceSet(bits: number): string {
  return ['i', 'o', 'r', 'w'].filter((_, k) => bits & (8 >> k)).join('') || '0';
}
