/**
 * Random programs for the property tests: a loop around a block of random RV32IM(A) instructions
 * (arithmetic, multiply and divide, loads and stores of every width into a 256-byte buffer, atomics,
 * short forward branches, counter reads), assembled with the real assembler. Seeded: a failure names
 * its seed and repeats.
 */
import { assemble } from '../support/toolchain';
import { Program } from './programs';
import { Prng } from './prng';

const REGS = ['t0', 't1', 't2', 't3', 't4', 't5', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'];
const ALU = ['add', 'sub', 'xor', 'or', 'and', 'sll', 'srl', 'sra', 'slt', 'sltu', 'mul', 'mulh', 'mulhu', 'div', 'divu', 'rem', 'remu'];
const ALU_IMM = ['addi', 'xori', 'ori', 'andi', 'slti', 'sltiu'];
const SHIFT_IMM = ['slli', 'srli', 'srai'];
const LOADS: Array<[string, number]> = [['lw', 4], ['lh', 2], ['lhu', 2], ['lb', 1], ['lbu', 1]];
const STORES: Array<[string, number]> = [['sw', 4], ['sh', 2], ['sb', 1]];
const BRANCHES = ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'];

export const BUFFER_BYTES = 256;

function instruction(prng: Prng, label: () => string): string[] {
  const r = (): string => REGS[prng.below(REGS.length)];
  const offset = (size: number): number => prng.below(BUFFER_BYTES / size) * size;
  switch (prng.below(9)) {
    case 0: case 1: return [`${ALU[prng.below(ALU.length)]} ${r()}, ${r()}, ${r()}`];
    case 2: return [`${ALU_IMM[prng.below(ALU_IMM.length)]} ${r()}, ${r()}, ${prng.between(-2048, 2047)}`];
    case 3: return [`${SHIFT_IMM[prng.below(SHIFT_IMM.length)]} ${r()}, ${r()}, ${prng.below(32)}`];
    case 4: { const [op, size] = LOADS[prng.below(LOADS.length)]; return [`${op} ${r()}, ${offset(size)}(s0)`]; }
    case 5: { const [op, size] = STORES[prng.below(STORES.length)]; return [`${op} ${r()}, ${offset(size)}(s0)`]; }
    case 6: return [`addi t6, s0, ${offset(4)}`, `${['amoadd.w', 'amoswap.w', 'amoxor.w', 'amomaxu.w'][prng.below(4)]} ${r()}, ${r()}, (t6)`];
    case 7: {
      // A short forward branch over one or two instructions.
      const target = label();
      const skipped = Array.from({ length: prng.between(1, 2) }, () => `addi ${r()}, ${r()}, ${prng.between(-50, 50)}`);
      return [`${BRANCHES[prng.below(BRANCHES.length)]} ${r()}, ${r()}, ${target}`, ...skipped, `${target}:`];
    }
    default: return [`csrr ${r()}, ${['minstret', 'mcycle', 'cycle'][prng.below(3)]}`];
  }
}

/** A random program with a label `marked` on one instruction of its loop body (for breakpoints). */
export function randomProgram(seed: number): Program {
  const prng = new Prng(seed);
  let labels = 0;
  const label = (): string => `L${labels++}`;
  const body: string[] = [];
  const length = prng.between(20, 40);
  const marked = prng.below(length);
  for (let i = 0; i < length; i++) {
    if (i === marked) body.push('marked:');
    body.push(...instruction(prng, label));
  }
  // More than 1,024 rounds, so that the machine's hottest compiled tier (regions) runs them too.
  const iterations = prng.between(1_100, 2_000);
  const source = [
    '  la s0, buffer',
    `  li s1, ${iterations}`,
    ...REGS.map((reg, i) => `  li ${reg}, ${prng.between(-100000, 100000) * (i + 1)}`),
    'outer:',
    ...body.map((line) => (line.endsWith(':') ? line : `  ${line}`)),
    '  addi s1, s1, -1',
    '  bnez s1, outer',
    '  li t0, 0x100000',
    '  li t1, 0x5555',
    '  sw t1, 0(t0)',
    'hang: j hang',
    '  .data',
    '  .align 4',
    `buffer: .space ${BUFFER_BYTES}`,
  ].join('\n');
  return { name: `random-${seed}.elf`, elf: assemble(source), input: new Uint8Array(0) };
}
