/**
 * What each operand kind of the instruction table accepts, in words (for hover and messages) and as a
 * range check. The table's `OperandKind`s are extended with the few shapes the assembler's syntax adds:
 * `sp` (the explicit stack pointer of c.addi4spn/c.addi16sp), `symbol` (the address of `lw a0, sym` and
 * `la`) and `imm32` (the any-value constant of `li`).
 */
import type { OperandKind } from '../emulator/isa/instructions';

export type FormOperand = OperandKind | 'symbol';

/** How an operand is written, whatever its exact range. */
export type OperandClass = 'register' | 'cregister' | 'sp' | 'immediate' | 'target' | 'memory' | 'csr' | 'fence' | 'address';

export interface KindInfo {
  readonly class: OperandClass;
  /** How the operand reads in a form shown to the user: `offset(rs1)` for `mem`. */
  readonly syntax?: string;
  /** A noun phrase: "a signed 12-bit immediate (-2048..2047)". */
  readonly description: string;
  /** For immediates and memory offsets: is this constant allowed? */
  readonly valid?: (value: bigint) => boolean;
  /** The valid values, to follow "must be" in a message. */
  readonly range?: string;
}

const between = (lo: bigint, hi: bigint, step = 1n, nonzero = false) =>
  (v: bigint): boolean => v >= lo && v <= hi && v % step === 0n && (!nonzero || v !== 0n);

export const KINDS: Readonly<Record<FormOperand, KindInfo>> = {
  'rd': { class: 'register', description: 'the destination register' },
  'rs1': { class: 'register', description: 'the first source register' },
  'rs2': { class: 'register', description: 'the second source register' },
  'rd\'': { class: 'cregister', description: 'a destination register among x8–x15 (s0, s1, a0–a5)' },
  'rs1\'': { class: 'cregister', description: 'a source register among x8–x15 (s0, s1, a0–a5)' },
  'rs2\'': { class: 'cregister', description: 'a source register among x8–x15 (s0, s1, a0–a5)' },
  'sp': { class: 'sp', description: 'the stack pointer, sp' },
  'imm12': { class: 'immediate', description: 'a signed 12-bit immediate', valid: between(-2048n, 2047n), range: 'in -2048..2047' },
  'uimm20': { class: 'immediate', description: 'an upper 20-bit immediate', valid: between(0n, 0xfffffn), range: 'in 0..0xfffff' },
  'shamt5': { class: 'immediate', description: 'a shift amount', valid: between(0n, 31n), range: 'in 0..31' },
  'uimm5': { class: 'immediate', description: 'an unsigned 5-bit immediate', valid: between(0n, 31n), range: 'in 0..31' },
  'imm32': { class: 'immediate', description: 'any 32-bit constant', valid: between(-0x80000000n, 0xffffffffn), range: 'in -0x80000000..0xffffffff' },
  'cimm6': { class: 'immediate', description: 'a signed 6-bit immediate', valid: between(-32n, 31n), range: 'in -32..31' },
  'cuimm6': { class: 'immediate', description: 'a shift amount', valid: between(1n, 31n), range: 'in 1..31' },
  'cnzuimm18': {
    class: 'immediate', description: 'a non-zero upper immediate whose 6 bits sign-extend',
    valid: (v) => (v >= 1n && v <= 0x1fn) || (v >= 0xfffe0n && v <= 0xfffffn), range: 'in 1..0x1f or 0xfffe0..0xfffff',
  },
  'cnzimm10': { class: 'immediate', description: 'a non-zero multiple of 16', valid: between(-512n, 496n, 16n, true), range: 'a non-zero multiple of 16 in -512..496' },
  'cnzuimm10': { class: 'immediate', description: 'a non-zero multiple of 4', valid: between(4n, 1020n, 4n), range: 'a multiple of 4 in 4..1020' },
  'boffset': { class: 'target', description: 'a branch target: a label, or a signed 13-bit even offset' },
  'joffset': { class: 'target', description: 'a jump target: a label, or a signed 21-bit even offset' },
  'symaddr': { class: 'target', syntax: 'symbol', description: 'the symbol whose address is loaded: a label, a C global or a linker-script symbol, anywhere within ±2 GiB of the instruction (auipc + addi)' },
  'calltarget': { class: 'target', syntax: 'symbol', description: 'the function or label to reach, anywhere within ±2 GiB of the instruction (auipc + jalr)' },
  'cboffset': { class: 'target', description: 'a branch target within ±256 bytes' },
  'cjoffset': { class: 'target', description: 'a jump target within ±2 KiB' },
  'mem': { class: 'memory', syntax: 'offset(rs1)', description: 'a memory operand offset(register) with a signed 12-bit offset', valid: between(-2048n, 2047n), range: 'in -2048..2047' },
  'amem': { class: 'memory', syntax: '(rs1)', description: 'a memory operand (register) without an offset', valid: between(0n, 0n), range: '0' },
  'cmem': { class: 'memory', syntax: 'offset(rs1\')', description: 'a memory operand offset(register) with a base among x8–x15 and an offset that is a multiple of 4', valid: between(0n, 124n, 4n), range: 'a multiple of 4 in 0..124' },
  'cspmem': { class: 'memory', syntax: 'offset(sp)', description: 'a stack slot offset(sp) with an offset that is a multiple of 4', valid: between(0n, 252n, 4n), range: 'a multiple of 4 in 0..252' },
  'csr': { class: 'csr', description: 'a control and status register, by name or number', valid: between(0n, 4095n), range: 'in 0..4095' },
  'fence': { class: 'fence', syntax: 'iorw', description: 'a set of i (input), o (output), r (read), w (write)' },
  'symbol': { class: 'address', description: 'the address of a symbol' },
};

/** How the operand list of a form reads in a message or a hover: `rd, rs1, imm12`. */
export const formText = (form: readonly FormOperand[]): string => form.map((k) => KINDS[k].syntax ?? k).join(', ');
