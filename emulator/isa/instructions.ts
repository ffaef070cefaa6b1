/**
 * The one instruction table of the project. The decoder, the disassembler, the assembly grammar and the
 * language server's hover and diagnostics all read this table; nothing else lists instructions.
 *
 * `match`/`mask` follow the riscv-opcodes convention: an encoding `w` is this instruction when
 * `(w & mask) === match`. Compressed (16-bit) entries have 16-bit match/mask and name their 32-bit
 * expansion in `expandsTo`, so that execution has one path.
 */

export type Extension = 'I' | 'M' | 'A' | 'C' | 'Zicsr' | 'Zifencei' | 'Priv';

/**
 * Operand kinds, in assembly order. The language server checks operand kinds and immediate ranges from
 * these names; the disassembler prints them.
 */
export type OperandKind =
  | 'rd' | 'rs1' | 'rs2'
  | 'sp'         // the stack pointer, written out (c.addi4spn, c.addi16sp)
  | 'imm12'      // signed 12-bit immediate
  | 'imm32'      // any 32-bit constant (li)
  | 'uimm20'     // upper 20-bit immediate (lui/auipc)
  | 'shamt5'     // shift amount 0..31
  | 'boffset'    // branch target: label or signed 13-bit even offset
  | 'joffset'    // jump target: label or signed 21-bit even offset
  | 'symaddr'    // la/lla: a symbol whose address is formed pc-relatively (auipc + addi), anywhere ±2 GiB
  | 'calltarget' // call/tail/jump: a function or label reached by auipc + jalr, anywhere ±2 GiB
  | 'mem'        // offset(rs1) with a signed 12-bit offset
  | 'amem'       // (rs1) for atomics
  | 'csr'        // CSR name or number
  | 'uimm5'      // csrr*i immediate 0..31
  | 'fence'      // fence predecessor/successor set, e.g. "iorw"
  // compressed forms: registers limited to x8..x15 ("'" suffix), immediates of the C formats
  | 'rd\'' | 'rs1\'' | 'rs2\''
  | 'cimm6'      // signed 6-bit
  | 'cuimm6'     // unsigned 6-bit (shift amount, nonzero)
  | 'cnzuimm18'  // c.lui: nonzero, bits 17:12
  | 'cnzimm10'   // c.addi16sp: nonzero multiple of 16
  | 'cnzuimm10'  // c.addi4spn: nonzero multiple of 4
  | 'cboffset'   // signed 9-bit even branch offset
  | 'cjoffset'   // signed 12-bit even jump offset
  | 'cmem'       // uimm(rs1') scaled by 4, 0..124
  | 'cspmem';    // uimm(sp) scaled by 4, 0..252

export interface InstructionSpec {
  readonly name: string;
  readonly extension: Extension;
  readonly format: string;
  readonly match: number;
  readonly mask: number;
  /** 2 for compressed encodings, 4 otherwise. */
  readonly length: 2 | 4;
  readonly operands: readonly OperandKind[];
  /** One line: what it does, in pseudo-code the hover shows. */
  readonly summary: string;
  /** For compressed instructions: the base instruction it expands to. */
  readonly expandsTo?: string;
}

const R = 0xfe00707f;      // funct7 | funct3 | opcode
const I = 0x0000707f;      // funct3 | opcode
const U = 0x0000007f;      // opcode
const SH = 0xfe00707f;     // shifts by immediate: funct7 | funct3 | opcode
const AMO = 0xf800707f;    // funct5 | funct3 | opcode (aq/rl free)
const CI = 0xe003;         // compressed funct3 | quadrant

function base(name: string, extension: Extension, format: string, match: number, mask: number,
  operands: OperandKind[], summary: string): InstructionSpec {
  return { name, extension, format, match: match >>> 0, mask: mask >>> 0, length: 4, operands, summary };
}

function comp(name: string, format: string, match: number, mask: number, operands: OperandKind[],
  expandsTo: string, summary: string): InstructionSpec {
  return { name, extension: 'C', format, match, mask, length: 2, operands, summary, expandsTo };
}

export const INSTRUCTIONS: readonly InstructionSpec[] = [
  // RV32I
  base('lui', 'I', 'U', 0x00000037, U, ['rd', 'uimm20'], 'rd = imm << 12'),
  base('auipc', 'I', 'U', 0x00000017, U, ['rd', 'uimm20'], 'rd = pc + (imm << 12)'),
  base('jal', 'I', 'J', 0x0000006f, U, ['rd', 'joffset'], 'rd = pc + 4; pc += offset'),
  base('jalr', 'I', 'I', 0x00000067, I, ['rd', 'mem'], 'rd = pc + 4; pc = (rs1 + imm) & ~1'),
  base('beq', 'I', 'B', 0x00000063, I, ['rs1', 'rs2', 'boffset'], 'if (rs1 == rs2) pc += offset'),
  base('bne', 'I', 'B', 0x00001063, I, ['rs1', 'rs2', 'boffset'], 'if (rs1 != rs2) pc += offset'),
  base('blt', 'I', 'B', 0x00004063, I, ['rs1', 'rs2', 'boffset'], 'if (rs1 < rs2) pc += offset (signed)'),
  base('bge', 'I', 'B', 0x00005063, I, ['rs1', 'rs2', 'boffset'], 'if (rs1 >= rs2) pc += offset (signed)'),
  base('bltu', 'I', 'B', 0x00006063, I, ['rs1', 'rs2', 'boffset'], 'if (rs1 < rs2) pc += offset (unsigned)'),
  base('bgeu', 'I', 'B', 0x00007063, I, ['rs1', 'rs2', 'boffset'], 'if (rs1 >= rs2) pc += offset (unsigned)'),
  base('lb', 'I', 'I', 0x00000003, I, ['rd', 'mem'], 'rd = sext(mem8[rs1 + imm])'),
  base('lh', 'I', 'I', 0x00001003, I, ['rd', 'mem'], 'rd = sext(mem16[rs1 + imm])'),
  base('lw', 'I', 'I', 0x00002003, I, ['rd', 'mem'], 'rd = mem32[rs1 + imm]'),
  base('lbu', 'I', 'I', 0x00004003, I, ['rd', 'mem'], 'rd = zext(mem8[rs1 + imm])'),
  base('lhu', 'I', 'I', 0x00005003, I, ['rd', 'mem'], 'rd = zext(mem16[rs1 + imm])'),
  base('sb', 'I', 'S', 0x00000023, I, ['rs2', 'mem'], 'mem8[rs1 + imm] = rs2'),
  base('sh', 'I', 'S', 0x00001023, I, ['rs2', 'mem'], 'mem16[rs1 + imm] = rs2'),
  base('sw', 'I', 'S', 0x00002023, I, ['rs2', 'mem'], 'mem32[rs1 + imm] = rs2'),
  base('addi', 'I', 'I', 0x00000013, I, ['rd', 'rs1', 'imm12'], 'rd = rs1 + imm'),
  base('slti', 'I', 'I', 0x00002013, I, ['rd', 'rs1', 'imm12'], 'rd = (rs1 < imm) ? 1 : 0 (signed)'),
  base('sltiu', 'I', 'I', 0x00003013, I, ['rd', 'rs1', 'imm12'], 'rd = (rs1 < imm) ? 1 : 0 (unsigned)'),
  base('xori', 'I', 'I', 0x00004013, I, ['rd', 'rs1', 'imm12'], 'rd = rs1 ^ imm'),
  base('ori', 'I', 'I', 0x00006013, I, ['rd', 'rs1', 'imm12'], 'rd = rs1 | imm'),
  base('andi', 'I', 'I', 0x00007013, I, ['rd', 'rs1', 'imm12'], 'rd = rs1 & imm'),
  base('slli', 'I', 'I', 0x00001013, SH, ['rd', 'rs1', 'shamt5'], 'rd = rs1 << shamt'),
  base('srli', 'I', 'I', 0x00005013, SH, ['rd', 'rs1', 'shamt5'], 'rd = rs1 >> shamt (logical)'),
  base('srai', 'I', 'I', 0x40005013, SH, ['rd', 'rs1', 'shamt5'], 'rd = rs1 >> shamt (arithmetic)'),
  base('add', 'I', 'R', 0x00000033, R, ['rd', 'rs1', 'rs2'], 'rd = rs1 + rs2'),
  base('sub', 'I', 'R', 0x40000033, R, ['rd', 'rs1', 'rs2'], 'rd = rs1 - rs2'),
  base('sll', 'I', 'R', 0x00001033, R, ['rd', 'rs1', 'rs2'], 'rd = rs1 << (rs2 & 31)'),
  base('slt', 'I', 'R', 0x00002033, R, ['rd', 'rs1', 'rs2'], 'rd = (rs1 < rs2) ? 1 : 0 (signed)'),
  base('sltu', 'I', 'R', 0x00003033, R, ['rd', 'rs1', 'rs2'], 'rd = (rs1 < rs2) ? 1 : 0 (unsigned)'),
  base('xor', 'I', 'R', 0x00004033, R, ['rd', 'rs1', 'rs2'], 'rd = rs1 ^ rs2'),
  base('srl', 'I', 'R', 0x00005033, R, ['rd', 'rs1', 'rs2'], 'rd = rs1 >> (rs2 & 31) (logical)'),
  base('sra', 'I', 'R', 0x40005033, R, ['rd', 'rs1', 'rs2'], 'rd = rs1 >> (rs2 & 31) (arithmetic)'),
  base('or', 'I', 'R', 0x00006033, R, ['rd', 'rs1', 'rs2'], 'rd = rs1 | rs2'),
  base('and', 'I', 'R', 0x00007033, R, ['rd', 'rs1', 'rs2'], 'rd = rs1 & rs2'),
  base('fence', 'I', 'I', 0x0000000f, I, ['fence', 'fence'], 'order memory accesses (a no-op on one hart)'),
  base('ecall', 'I', 'I', 0x00000073, 0xffffffff, [], 'environment call: trap to the handler'),
  base('ebreak', 'I', 'I', 0x00100073, 0xffffffff, [], 'breakpoint trap (or a semihosting call between slli/srai markers)'),
  // Zifencei
  base('fence.i', 'Zifencei', 'I', 0x0000100f, I, [], 'synchronise instruction fetch with earlier stores'),
  // Zicsr
  base('csrrw', 'Zicsr', 'I', 0x00001073, I, ['rd', 'csr', 'rs1'], 'rd = csr; csr = rs1'),
  base('csrrs', 'Zicsr', 'I', 0x00002073, I, ['rd', 'csr', 'rs1'], 'rd = csr; csr |= rs1'),
  base('csrrc', 'Zicsr', 'I', 0x00003073, I, ['rd', 'csr', 'rs1'], 'rd = csr; csr &= ~rs1'),
  base('csrrwi', 'Zicsr', 'I', 0x00005073, I, ['rd', 'csr', 'uimm5'], 'rd = csr; csr = uimm'),
  base('csrrsi', 'Zicsr', 'I', 0x00006073, I, ['rd', 'csr', 'uimm5'], 'rd = csr; csr |= uimm'),
  base('csrrci', 'Zicsr', 'I', 0x00007073, I, ['rd', 'csr', 'uimm5'], 'rd = csr; csr &= ~uimm'),
  // Privileged
  base('mret', 'Priv', 'R', 0x30200073, 0xffffffff, [], 'return from a machine-mode trap: pc = mepc, restore MIE and privilege'),
  base('sret', 'Priv', 'R', 0x10200073, 0xffffffff, [], 'return from a supervisor-mode trap: pc = sepc, restore SIE and privilege'),
  base('wfi', 'Priv', 'R', 0x10500073, 0xffffffff, [], 'wait for interrupt (a hint: execution continues)'),
  base('sfence.vma', 'Priv', 'R', 0x12000073, 0xfe007fff, ['rs1', 'rs2'], 'order page-table writes before later address translations'),
  // M
  base('mul', 'M', 'R', 0x02000033, R, ['rd', 'rs1', 'rs2'], 'rd = (rs1 * rs2)[31:0]'),
  base('mulh', 'M', 'R', 0x02001033, R, ['rd', 'rs1', 'rs2'], 'rd = (rs1 * rs2)[63:32] (signed x signed)'),
  base('mulhsu', 'M', 'R', 0x02002033, R, ['rd', 'rs1', 'rs2'], 'rd = (rs1 * rs2)[63:32] (signed x unsigned)'),
  base('mulhu', 'M', 'R', 0x02003033, R, ['rd', 'rs1', 'rs2'], 'rd = (rs1 * rs2)[63:32] (unsigned x unsigned)'),
  base('div', 'M', 'R', 0x02004033, R, ['rd', 'rs1', 'rs2'], 'rd = rs1 / rs2 (signed; -1 on division by zero)'),
  base('divu', 'M', 'R', 0x02005033, R, ['rd', 'rs1', 'rs2'], 'rd = rs1 / rs2 (unsigned; all ones on division by zero)'),
  base('rem', 'M', 'R', 0x02006033, R, ['rd', 'rs1', 'rs2'], 'rd = rs1 % rs2 (signed; rs1 on division by zero)'),
  base('remu', 'M', 'R', 0x02007033, R, ['rd', 'rs1', 'rs2'], 'rd = rs1 % rs2 (unsigned; rs1 on division by zero)'),
  // A
  base('lr.w', 'A', 'R', 0x1000202f, 0xf9f0707f, ['rd', 'amem'], 'rd = mem32[rs1]; reserve the address'),
  base('sc.w', 'A', 'R', 0x1800202f, AMO, ['rd', 'rs2', 'amem'], 'if reserved: mem32[rs1] = rs2, rd = 0; else rd = 1'),
  base('amoswap.w', 'A', 'R', 0x0800202f, AMO, ['rd', 'rs2', 'amem'], 'rd = mem32[rs1]; mem32[rs1] = rs2'),
  base('amoadd.w', 'A', 'R', 0x0000202f, AMO, ['rd', 'rs2', 'amem'], 'rd = mem32[rs1]; mem32[rs1] += rs2'),
  base('amoxor.w', 'A', 'R', 0x2000202f, AMO, ['rd', 'rs2', 'amem'], 'rd = mem32[rs1]; mem32[rs1] ^= rs2'),
  base('amoand.w', 'A', 'R', 0x6000202f, AMO, ['rd', 'rs2', 'amem'], 'rd = mem32[rs1]; mem32[rs1] &= rs2'),
  base('amoor.w', 'A', 'R', 0x4000202f, AMO, ['rd', 'rs2', 'amem'], 'rd = mem32[rs1]; mem32[rs1] |= rs2'),
  base('amomin.w', 'A', 'R', 0x8000202f, AMO, ['rd', 'rs2', 'amem'], 'rd = mem32[rs1]; mem32[rs1] = min(rd, rs2) (signed)'),
  base('amomax.w', 'A', 'R', 0xa000202f, AMO, ['rd', 'rs2', 'amem'], 'rd = mem32[rs1]; mem32[rs1] = max(rd, rs2) (signed)'),
  base('amominu.w', 'A', 'R', 0xc000202f, AMO, ['rd', 'rs2', 'amem'], 'rd = mem32[rs1]; mem32[rs1] = min(rd, rs2) (unsigned)'),
  base('amomaxu.w', 'A', 'R', 0xe000202f, AMO, ['rd', 'rs2', 'amem'], 'rd = mem32[rs1]; mem32[rs1] = max(rd, rs2) (unsigned)'),
  // C, quadrant 0
  comp('c.addi4spn', 'CIW', 0x0000, CI, ['rd\'', 'sp', 'cnzuimm10'], 'addi', 'rd\' = sp + nzuimm'),
  comp('c.lw', 'CL', 0x4000, CI, ['rd\'', 'cmem'], 'lw', 'rd\' = mem32[rs1\' + uimm]'),
  comp('c.sw', 'CS', 0xc000, CI, ['rs2\'', 'cmem'], 'sw', 'mem32[rs1\' + uimm] = rs2\''),
  // C, quadrant 1
  comp('c.nop', 'CI', 0x0001, 0xffff, [], 'addi', 'no operation'),
  comp('c.addi', 'CI', 0x0001, CI, ['rd', 'cimm6'], 'addi', 'rd += imm'),
  comp('c.jal', 'CJ', 0x2001, CI, ['cjoffset'], 'jal', 'ra = pc + 2; pc += offset'),
  comp('c.li', 'CI', 0x4001, CI, ['rd', 'cimm6'], 'addi', 'rd = imm'),
  comp('c.addi16sp', 'CI', 0x6101, 0xef83, ['sp', 'cnzimm10'], 'addi', 'sp += nzimm (a multiple of 16)'),
  comp('c.lui', 'CI', 0x6001, CI, ['rd', 'cnzuimm18'], 'lui', 'rd = nzimm << 12'),
  comp('c.srli', 'CB', 0x8001, 0xec03, ['rd\'', 'cuimm6'], 'srli', 'rd\' >>= shamt (logical)'),
  comp('c.srai', 'CB', 0x8401, 0xec03, ['rd\'', 'cuimm6'], 'srai', 'rd\' >>= shamt (arithmetic)'),
  comp('c.andi', 'CB', 0x8801, 0xec03, ['rd\'', 'cimm6'], 'andi', 'rd\' &= imm'),
  comp('c.sub', 'CA', 0x8c01, 0xfc63, ['rd\'', 'rs2\''], 'sub', 'rd\' -= rs2\''),
  comp('c.xor', 'CA', 0x8c21, 0xfc63, ['rd\'', 'rs2\''], 'xor', 'rd\' ^= rs2\''),
  comp('c.or', 'CA', 0x8c41, 0xfc63, ['rd\'', 'rs2\''], 'or', 'rd\' |= rs2\''),
  comp('c.and', 'CA', 0x8c61, 0xfc63, ['rd\'', 'rs2\''], 'and', 'rd\' &= rs2\''),
  comp('c.j', 'CJ', 0xa001, CI, ['cjoffset'], 'jal', 'pc += offset'),
  comp('c.beqz', 'CB', 0xc001, CI, ['rs1\'', 'cboffset'], 'beq', 'if (rs1\' == 0) pc += offset'),
  comp('c.bnez', 'CB', 0xe001, CI, ['rs1\'', 'cboffset'], 'bne', 'if (rs1\' != 0) pc += offset'),
  // C, quadrant 2
  comp('c.slli', 'CI', 0x0002, CI, ['rd', 'cuimm6'], 'slli', 'rd <<= shamt'),
  comp('c.lwsp', 'CI', 0x4002, CI, ['rd', 'cspmem'], 'lw', 'rd = mem32[sp + uimm]'),
  comp('c.jr', 'CR', 0x8002, 0xf07f, ['rs1'], 'jalr', 'pc = rs1'),
  comp('c.mv', 'CR', 0x8002, 0xf003, ['rd', 'rs2'], 'add', 'rd = rs2'),
  comp('c.ebreak', 'CR', 0x9002, 0xffff, [], 'ebreak', 'breakpoint trap'),
  comp('c.jalr', 'CR', 0x9002, 0xf07f, ['rs1'], 'jalr', 'ra = pc + 2; pc = rs1'),
  comp('c.add', 'CR', 0x9002, 0xf003, ['rd', 'rs2'], 'add', 'rd += rs2'),
  comp('c.swsp', 'CSS', 0xc002, CI, ['rs2', 'cspmem'], 'sw', 'mem32[sp + uimm] = rs2'),
];

/** Pseudo-instructions the assembler accepts; for the language server and the grammar. */
export interface PseudoSpec {
  readonly name: string;
  readonly operands: readonly OperandKind[] | 'any';
  readonly expansion: string;
  readonly extension: Extension;
}

export const PSEUDO_INSTRUCTIONS: readonly PseudoSpec[] = [
  { name: 'nop', operands: [], expansion: 'addi x0, x0, 0', extension: 'I' },
  { name: 'li', operands: ['rd', 'imm32'], expansion: 'lui/addi as needed: rd = imm (any 32-bit value)', extension: 'I' },
  { name: 'la', operands: ['rd', 'symaddr'], expansion: 'auipc rd, %pcrel_hi(sym); addi rd, rd, %pcrel_lo(sym)', extension: 'I' },
  { name: 'lla', operands: ['rd', 'symaddr'], expansion: 'auipc rd, %pcrel_hi(sym); addi rd, rd, %pcrel_lo(sym)', extension: 'I' },
  { name: 'mv', operands: ['rd', 'rs1'], expansion: 'addi rd, rs, 0', extension: 'I' },
  { name: 'not', operands: ['rd', 'rs1'], expansion: 'xori rd, rs, -1', extension: 'I' },
  { name: 'neg', operands: ['rd', 'rs1'], expansion: 'sub rd, x0, rs', extension: 'I' },
  { name: 'seqz', operands: ['rd', 'rs1'], expansion: 'sltiu rd, rs, 1', extension: 'I' },
  { name: 'snez', operands: ['rd', 'rs1'], expansion: 'sltu rd, x0, rs', extension: 'I' },
  { name: 'sltz', operands: ['rd', 'rs1'], expansion: 'slt rd, rs, x0', extension: 'I' },
  { name: 'sgtz', operands: ['rd', 'rs1'], expansion: 'slt rd, x0, rs', extension: 'I' },
  { name: 'beqz', operands: ['rs1', 'boffset'], expansion: 'beq rs, x0, offset', extension: 'I' },
  { name: 'bnez', operands: ['rs1', 'boffset'], expansion: 'bne rs, x0, offset', extension: 'I' },
  { name: 'blez', operands: ['rs1', 'boffset'], expansion: 'bge x0, rs, offset', extension: 'I' },
  { name: 'bgez', operands: ['rs1', 'boffset'], expansion: 'bge rs, x0, offset', extension: 'I' },
  { name: 'bltz', operands: ['rs1', 'boffset'], expansion: 'blt rs, x0, offset', extension: 'I' },
  { name: 'bgtz', operands: ['rs1', 'boffset'], expansion: 'blt x0, rs, offset', extension: 'I' },
  { name: 'bgt', operands: ['rs1', 'rs2', 'boffset'], expansion: 'blt rt, rs, offset', extension: 'I' },
  { name: 'ble', operands: ['rs1', 'rs2', 'boffset'], expansion: 'bge rt, rs, offset', extension: 'I' },
  { name: 'bgtu', operands: ['rs1', 'rs2', 'boffset'], expansion: 'bltu rt, rs, offset', extension: 'I' },
  { name: 'bleu', operands: ['rs1', 'rs2', 'boffset'], expansion: 'bgeu rt, rs, offset', extension: 'I' },
  { name: 'j', operands: ['joffset'], expansion: 'jal x0, offset', extension: 'I' },
  { name: 'jr', operands: ['rs1'], expansion: 'jalr x0, 0(rs)', extension: 'I' },
  { name: 'ret', operands: [], expansion: 'jalr x0, 0(ra)', extension: 'I' },
  { name: 'call', operands: ['calltarget'], expansion: 'auipc ra, %pcrel_hi(sym); jalr ra, %pcrel_lo(sym)(ra)', extension: 'I' },
  { name: 'tail', operands: ['calltarget'], expansion: 'auipc t1, %pcrel_hi(sym); jalr x0, %pcrel_lo(sym)(t1)', extension: 'I' },
  { name: 'csrr', operands: ['rd', 'csr'], expansion: 'csrrs rd, csr, x0', extension: 'Zicsr' },
  { name: 'csrw', operands: ['csr', 'rs1'], expansion: 'csrrw x0, csr, rs', extension: 'Zicsr' },
  { name: 'csrs', operands: ['csr', 'rs1'], expansion: 'csrrs x0, csr, rs', extension: 'Zicsr' },
  { name: 'csrc', operands: ['csr', 'rs1'], expansion: 'csrrc x0, csr, rs', extension: 'Zicsr' },
  { name: 'csrwi', operands: ['csr', 'uimm5'], expansion: 'csrrwi x0, csr, imm', extension: 'Zicsr' },
  { name: 'csrsi', operands: ['csr', 'uimm5'], expansion: 'csrrsi x0, csr, imm', extension: 'Zicsr' },
  { name: 'csrci', operands: ['csr', 'uimm5'], expansion: 'csrrci x0, csr, imm', extension: 'Zicsr' },
  { name: 'rdcycle', operands: ['rd'], expansion: 'csrrs rd, cycle, x0', extension: 'Zicsr' },
  { name: 'rdtime', operands: ['rd'], expansion: 'csrrs rd, time, x0', extension: 'Zicsr' },
  { name: 'rdinstret', operands: ['rd'], expansion: 'csrrs rd, instret, x0', extension: 'Zicsr' },
  { name: 'rdcycleh', operands: ['rd'], expansion: 'csrrs rd, cycleh, x0', extension: 'Zicsr' },
  { name: 'rdtimeh', operands: ['rd'], expansion: 'csrrs rd, timeh, x0', extension: 'Zicsr' },
  { name: 'rdinstreth', operands: ['rd'], expansion: 'csrrs rd, instreth, x0', extension: 'Zicsr' },
  { name: 'sgt', operands: ['rd', 'rs1', 'rs2'], expansion: 'slt rd, rt, rs', extension: 'I' },
  { name: 'sgtu', operands: ['rd', 'rs1', 'rs2'], expansion: 'sltu rd, rt, rs', extension: 'I' },
  { name: 'zext.b', operands: ['rd', 'rs1'], expansion: 'andi rd, rs, 255', extension: 'I' },
  { name: 'sext.b', operands: ['rd', 'rs1'], expansion: 'slli rd, rs, 24; srai rd, rd, 24', extension: 'I' },
  { name: 'sext.h', operands: ['rd', 'rs1'], expansion: 'slli rd, rs, 16; srai rd, rd, 16', extension: 'I' },
  { name: 'zext.h', operands: ['rd', 'rs1'], expansion: 'slli rd, rs, 16; srli rd, rd, 16', extension: 'I' },
  { name: 'jump', operands: ['calltarget', 'rs1'], expansion: 'auipc rt, %pcrel_hi(sym); jalr x0, %pcrel_lo(sym)(rt)', extension: 'I' },
  { name: 'unimp', operands: [], expansion: 'csrrw x0, cycle, x0 (c.unimp, 0x0000, when compressed): an illegal instruction', extension: 'I' },
  { name: 'fence.tso', operands: [], expansion: 'fence rw, rw with the TSO ordering mode (decodes as fence)', extension: 'I' },
];
