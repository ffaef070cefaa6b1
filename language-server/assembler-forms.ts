/**
 * The operand forms GNU as accepts besides the one the instruction table lists. The table says what an
 * instruction is; this file says how else the assembler lets you write it, so that the operand check is
 * as lenient as the assembler and never flags code that assembles. Each entry was checked against
 * `riscv64-unknown-elf-as -march=rv32imac_zicsr_zifencei` (test/language-server/assembler-agreement.test.ts
 * keeps checking it).
 */
import type { FormOperand } from './operand-kinds';

type Forms = ReadonlyArray<readonly FormOperand[]>;

const LOADS = ['lb', 'lh', 'lw', 'lbu', 'lhu'];
const STORES = ['sb', 'sh', 'sw'];

/** Forms accepted in addition to the table's. */
export const EXTRA_FORMS: Readonly<Record<string, Forms>> = {
  // `jal func` links through ra.
  'jal': [['joffset']],
  // `jalr t0`, `jalr ra, t0`, `jalr 0(t0)`, `jalr t0, 4`, `jalr ra, t0, 4`.
  'jalr': [['rs1'], ['rd', 'rs1'], ['mem'], ['rs1', 'imm12'], ['rd', 'rs1', 'imm12']],
  // `lw a0, sym` loads from a symbol's address (auipc + lw); `sw a0, sym, t0` needs a scratch register.
  ...Object.fromEntries(LOADS.map((name) => [name, [['rd', 'symbol']]])),
  ...Object.fromEntries(STORES.map((name) => [name, [['rs2', 'symbol', 'rs1']]])),
  // Register-register mnemonics with an immediate are their immediate forms (`add a0, a0, 1` is addi).
  'add': [['rd', 'rs1', 'imm12']],
  'and': [['rd', 'rs1', 'imm12']],
  'or': [['rd', 'rs1', 'imm12']],
  'xor': [['rd', 'rs1', 'imm12']],
  'slt': [['rd', 'rs1', 'imm12']],
  'sltu': [['rd', 'rs1', 'imm12']],
  'sll': [['rd', 'rs1', 'shamt5']],
  'srl': [['rd', 'rs1', 'shamt5']],
  'sra': [['rd', 'rs1', 'shamt5']],
  // A bare `fence` is `fence iorw, iorw`.
  'fence': [[]],
  // CSR instructions with an immediate source are their `i` forms.
  'csrrw': [['rd', 'csr', 'uimm5']],
  'csrrs': [['rd', 'csr', 'uimm5']],
  'csrrc': [['rd', 'csr', 'uimm5']],
  'csrw': [['csr', 'uimm5']],
  'csrs': [['csr', 'uimm5']],
  'csrc': [['csr', 'uimm5']],
  // `call t0, func` links through another register; `jr t0, 4` adds an offset.
  'call': [['rd', 'calltarget']],
  'jr': [['rs1', 'imm12']],
};
