/**
 * Disassembly in the style of GNU objdump: base mnemonics with ABI register names (compressed
 * instructions shown as what they do, as GDB does), branch and jump targets as absolute addresses.
 */
import { decode, Decoded } from './decode';
import { OperandKind } from './instructions';
import { abiName } from './registers';
import { csrName } from './csrs';

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

export function disassemble(raw: number, pc: number): string {
  const d = decode(raw);
  if (!d) return `.insn ${hex(raw & ((raw & 3) === 3 ? 0xffffffff : 0xffff))}`;
  return formatDecoded(d, pc);
}

export function formatDecoded(d: Decoded, pc: number): string {
  const operands = d.spec.operands.map((kind) => operandText(kind, d, pc)).filter((s) => s !== '');
  return operands.length ? `${d.spec.name} ${operands.join(', ')}` : d.spec.name;
}

function operandText(kind: OperandKind, d: Decoded, pc: number): string {
  switch (kind) {
    case 'rd': return abiName(d.rd);
    case 'rs1': return abiName(d.rs1);
    case 'rs2': return abiName(d.rs2);
    case 'sp': return 'sp';
    case 'imm32': return String(d.imm);
    case 'imm12': case 'shamt5': return String(d.imm);
    case 'uimm20': return hex(d.imm >>> 12);
    case 'boffset': case 'joffset': return hex(pc + d.imm);
    case 'mem': return `${d.imm}(${abiName(d.rs1)})`;
    case 'amem': return `(${abiName(d.rs1)})`;
    case 'csr': return csrName(d.imm);
    case 'uimm5': return String(d.rs1);
    case 'fence': return '';
    default: return '?';
  }
}
