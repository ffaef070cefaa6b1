/**
 * Instruction decoding: raw bits to named fields, driven by the one instruction table. A compressed
 * instruction decodes to the fields of the base instruction it expands to (so the CPU has one execution
 * path), and keeps its own table entry for display.
 */
import { INSTRUCTIONS, InstructionSpec } from './instructions';

export interface Decoded {
  /** The instruction that executes (the expansion, for compressed encodings). */
  readonly spec: InstructionSpec;
  /** The instruction as written (the compressed entry, for compressed encodings). */
  readonly written: InstructionSpec;
  readonly raw: number;
  readonly length: 2 | 4;
  readonly rd: number;
  readonly rs1: number;
  readonly rs2: number;
  /** Immediate, sign-extended where the format says so; CSR number for Zicsr; shamt for shifts. */
  readonly imm: number;
}

const byName = new Map<string, InstructionSpec>();
for (const spec of INSTRUCTIONS) if (spec.length === 4) byName.set(spec.name, spec);

export function baseInstruction(name: string): InstructionSpec {
  const spec = byName.get(name);
  if (!spec) throw new Error(`no base instruction named ${name}`);
  return spec;
}

// Candidates bucketed by major opcode (32-bit) or by quadrant and funct3 (16-bit): decoding scans a
// handful of entries instead of the whole table.
const wideBuckets: InstructionSpec[][] = Array.from({ length: 128 }, () => []);
const compressedBuckets: InstructionSpec[][] = Array.from({ length: 32 }, () => []);
for (const spec of INSTRUCTIONS) {
  if (spec.length === 4) wideBuckets[spec.match & 0x7f].push(spec);
  else compressedBuckets[compressedBucket(spec.match)].push(spec);
}
/**
 * The wide buckets one after another (bucket `op` is [wideFirst[op], wideFirst[op + 1])), with each spec's
 * mask and match signed beside it: a spec's `mask` above 2^31 is a double field, which V8's first tiers
 * (where most decoding runs) copy into a new heap number at every read, and so was `(raw & mask) >>> 0`
 * for an encoding with bit 31 set.
 */
const wideSpecs = wideBuckets.flat();
const wideMasks = Int32Array.from(wideSpecs, (spec) => spec.mask);
const wideMatches = Int32Array.from(wideSpecs, (spec) => spec.match);
const wideFirst = new Int32Array(129);
for (let op = 0; op < 128; op++) wideFirst[op + 1] = wideFirst[op] + wideBuckets[op].length;

function compressedBucket(half: number): number {
  return ((half >>> 13) << 2) | (half & 3);
}

/** Length in bytes of the instruction whose low halfword is `half`. */
export function instructionLength(half: number): 2 | 4 {
  return (half & 3) === 3 ? 4 : 2;
}

/**
 * Decodes one instruction; undefined for an illegal or unsupported encoding. Each encoding of a run is
 * decoded once (cpu/shared-decode.ts), mostly while V8 still interprets this code: so indexed loops
 * (a for-of makes an iterator and calls it in V8's interpreter), no closures made per call, and each
 * compressed form works out only its own fields (bench/mathlib: 3769 decodes, ~5 -> ~2 ms).
 */
export function decode(raw: number): Decoded | undefined {
  return decodeWith(raw, plain);
}

/** What a decode is made of, to `make` it: `raw` signed (`| 0`) for a 4-byte encoding, the halfword for a compressed one. */
export type MakeDecoded<T> = (spec: InstructionSpec, written: InstructionSpec, raw: number, length: 2 | 4,
  rd: number, rs1: number, rs2: number, imm: number) => T;

/** `decode`'s object, `raw` as the encoding's unsigned value. */
function plain(spec: InstructionSpec, written: InstructionSpec, raw: number, length: 2 | 4, rd: number, rs1: number, rs2: number, imm: number): Decoded {
  return { spec, written, raw: raw >>> 0, length, rd, rs1, rs2, imm };
}

/**
 * `decode`, with the object made by `make` from its fields: the shared decodes (cpu/shared-decode.ts)
 * make theirs with their own two fields at once, where they copied `decode`'s into a second object
 * (bench/LOG.md, session 29). `raw` signed or not; kept signed within (no heap number above 2^31).
 */
export function decodeWith<T>(raw: number, make: MakeDecoded<T>): T | undefined {
  if ((raw & 3) !== 3) return decodeCompressed(raw & 0xffff, make);
  raw |= 0;
  const opcode = raw & 0x7f;
  for (let i = wideFirst[opcode], end = wideFirst[opcode + 1]; i < end; i++) {
    if ((raw & wideMasks[i]) === wideMatches[i]) return decodeWide(wideSpecs[i], raw, make);
  }
  return undefined;
}

const signExtend = (value: number, bits: number): number => (value << (32 - bits)) >> (32 - bits);

function decodeWide<T>(spec: InstructionSpec, raw: number, make: MakeDecoded<T>): T {
  const rd = (raw >>> 7) & 31;
  const rs1 = (raw >>> 15) & 31;
  const rs2 = (raw >>> 20) & 31;
  let imm: number;
  switch (spec.format) {
    case 'U': imm = raw & 0xfffff000; break;
    case 'J':
      imm = signExtend(((raw >>> 31) << 20) | (((raw >>> 12) & 0xff) << 12) | (((raw >>> 20) & 1) << 11)
        | (((raw >>> 21) & 0x3ff) << 1), 21);
      break;
    case 'B':
      imm = signExtend(((raw >>> 31) << 12) | (((raw >>> 7) & 1) << 11) | (((raw >>> 25) & 0x3f) << 5)
        | (((raw >>> 8) & 0xf) << 1), 13);
      break;
    case 'S': imm = signExtend(((raw >>> 25) << 5) | ((raw >>> 7) & 31), 12); break;
    default: imm = spec.extension === 'Zicsr' ? raw >>> 20 : (raw >> 20);
  }
  if (spec.name === 'slli' || spec.name === 'srli' || spec.name === 'srai') imm = rs2;
  return make(spec, spec, raw, 4, rd, rs1, rs2, imm);
}

// Compressed register fields name x8..x15.
const creg = (bits: number): number => 8 + (bits & 7);

function decodeCompressed<T>(half: number, make: MakeDecoded<T>): T | undefined {
  const bucket = compressedBuckets[compressedBucket(half)];
  for (let i = 0; i < bucket.length; i++) {
    const spec = bucket[i];
    if ((half & spec.mask) === spec.match) return expandCompressed(spec, half, make);
  }
  return undefined;
}

// The base instructions compressed ones stand for, looked up once.
const ADDI = baseInstruction('addi'), LW = baseInstruction('lw'), SW = baseInstruction('sw'), JAL = baseInstruction('jal');
const LUI = baseInstruction('lui'), SRLI = baseInstruction('srli'), SRAI = baseInstruction('srai'), ANDI = baseInstruction('andi');
const SUB = baseInstruction('sub'), XOR = baseInstruction('xor'), OR = baseInstruction('or'), AND = baseInstruction('and');
const BEQ = baseInstruction('beq'), BNE = baseInstruction('bne'), SLLI = baseInstruction('slli'), JALR = baseInstruction('jalr');
const ADD = baseInstruction('add'), EBREAK = baseInstruction('ebreak');

const bit = (h: number, n: number): number => (h >>> n) & 1;
/** CI's 6-bit immediate, sign-extended (c.addi, c.li, c.andi, c.lui's upper bits). */
const imm6 = (h: number): number => signExtend((bit(h, 12) << 5) | ((h >>> 2) & 31), 6);
/** CI's 6-bit shift amount. */
const uimm6 = (h: number): number => (bit(h, 12) << 5) | ((h >>> 2) & 31);
/** c.lw/c.sw's offset. */
const clsOffset = (h: number): number => (((h >>> 10) & 7) << 3) | (bit(h, 6) << 2) | (bit(h, 5) << 6);
/** c.j/c.jal's offset. */
const cjOffset = (h: number): number => signExtend((bit(h, 12) << 11) | (bit(h, 11) << 4) | (((h >>> 9) & 3) << 8) | (bit(h, 8) << 10)
  | (bit(h, 7) << 6) | (bit(h, 6) << 7) | (((h >>> 3) & 7) << 1) | (bit(h, 2) << 5), 12);
/** c.beqz/c.bnez's offset. */
const cbOffset = (h: number): number => signExtend((bit(h, 12) << 8) | (((h >>> 10) & 3) << 3) | (((h >>> 5) & 3) << 6)
  | (((h >>> 3) & 3) << 1) | (bit(h, 2) << 5), 9);

/** The fields of the base instruction a compressed one stands for; undefined for reserved encodings. */
function expandCompressed<T>(written: InstructionSpec, h: number, make: MakeDecoded<T>): T | undefined {
  const rdFull = (h >>> 7) & 31;
  const rs2Full = (h >>> 2) & 31;
  const rdPrime = creg(h >>> 2);       // CIW, CL: rd' in bits 4:2
  const rs1Prime = creg(h >>> 7);      // CL, CS, CB, CA: rs1' in bits 9:7

  switch (written.name) {
    case 'c.addi4spn': {
      const imm = (((h >>> 11) & 3) << 4) | (((h >>> 7) & 15) << 6) | (bit(h, 6) << 2) | (bit(h, 5) << 3);
      return imm === 0 ? undefined : make(ADDI, written, h, 2, rdPrime, 2, 0, imm);
    }
    case 'c.lw': return make(LW, written, h, 2, rdPrime, rs1Prime, 0, clsOffset(h));
    case 'c.sw': return make(SW, written, h, 2, 0, rs1Prime, rdPrime, clsOffset(h));
    case 'c.nop': return make(ADDI, written, h, 2, 0, 0, 0, 0);
    case 'c.addi': return make(ADDI, written, h, 2, rdFull, rdFull, 0, imm6(h));
    case 'c.jal': return make(JAL, written, h, 2, 1, 0, 0, cjOffset(h));
    case 'c.li': return make(ADDI, written, h, 2, rdFull, 0, 0, imm6(h));
    case 'c.addi16sp': {
      const imm = signExtend((bit(h, 12) << 9) | (bit(h, 6) << 4) | (bit(h, 5) << 6) | (((h >>> 3) & 3) << 7)
        | (bit(h, 2) << 5), 10);
      return imm === 0 ? undefined : make(ADDI, written, h, 2, 2, 2, 0, imm);
    }
    case 'c.lui': {
      const imm = imm6(h);
      return imm === 0 ? undefined : make(LUI, written, h, 2, rdFull, 0, 0, imm << 12);
    }
    case 'c.srli': return bit(h, 12) ? undefined : make(SRLI, written, h, 2, rs1Prime, rs1Prime, 0, uimm6(h));
    case 'c.srai': return bit(h, 12) ? undefined : make(SRAI, written, h, 2, rs1Prime, rs1Prime, 0, uimm6(h));
    case 'c.andi': return make(ANDI, written, h, 2, rs1Prime, rs1Prime, 0, imm6(h));
    case 'c.sub': return make(SUB, written, h, 2, rs1Prime, rs1Prime, rdPrime, 0);
    case 'c.xor': return make(XOR, written, h, 2, rs1Prime, rs1Prime, rdPrime, 0);
    case 'c.or': return make(OR, written, h, 2, rs1Prime, rs1Prime, rdPrime, 0);
    case 'c.and': return make(AND, written, h, 2, rs1Prime, rs1Prime, rdPrime, 0);
    case 'c.j': return make(JAL, written, h, 2, 0, 0, 0, cjOffset(h));
    case 'c.beqz': return make(BEQ, written, h, 2, 0, rs1Prime, 0, cbOffset(h));
    case 'c.bnez': return make(BNE, written, h, 2, 0, rs1Prime, 0, cbOffset(h));
    case 'c.slli': return bit(h, 12) ? undefined : make(SLLI, written, h, 2, rdFull, rdFull, 0, uimm6(h));
    case 'c.lwsp': {
      const imm = (bit(h, 12) << 5) | (((h >>> 4) & 7) << 2) | (((h >>> 2) & 3) << 6);
      return rdFull === 0 ? undefined : make(LW, written, h, 2, rdFull, 2, 0, imm);
    }
    case 'c.jr': return rdFull === 0 ? undefined : make(JALR, written, h, 2, 0, rdFull, 0, 0);
    case 'c.mv': return make(ADD, written, h, 2, rdFull, 0, rs2Full, 0);
    case 'c.ebreak': return make(EBREAK, written, h, 2, 0, 0, 0, 0);
    case 'c.jalr': return make(JALR, written, h, 2, 1, rdFull, 0, 0);
    case 'c.add': return make(ADD, written, h, 2, rdFull, rdFull, rs2Full, 0);
    case 'c.swsp': {
      const imm = (((h >>> 9) & 15) << 2) | (((h >>> 7) & 3) << 6);
      return make(SW, written, h, 2, 0, 2, rs2Full, imm);
    }
    default: return undefined;
  }
}
