/**
 * The block interpreter's word (block-interpreter.ts runBlock): one 32-bit word per instruction, its
 * kind, registers and immediate, and the fused runs, several instructions' words whose first takes a
 * kind that runs them all in one turn of runBlock's switch (fuseBlock). A turn costs a mispredicted
 * jump or so in code too large for the branch predictor.
 *
 * Session 17: the word's kind took 7 bits instead of 6 (bit 6, which marked a 4-byte instruction, was
 * read by nothing), room for ten more fused kinds, from bench/bigcode's commonest adjacent turns left
 * unfused (counted over its blocks outside regions, weighted by their runs, of 22.24M turns a run):
 * xor+jr 0.40M, srli+slli 0.34M and slli+srli 0.31M (rotates, each followed by its or: fused as
 * triples), andi+beq 0.34M, divu+add 0.24M, add+lw 0.20M, addi+divu 0.18M, add+sw 0.17M, xor+xor
 * 0.17M, addi+jr 0.16M. A kind that ends the block (jr, beq) returns from its case as the branch's does.
 */
import { Decoded } from '../isa/decode';
import { ExecContext } from './compile';
import { BlockStore, Field } from './block-store';
import { NOT_ENCODED, SharedDecoded } from './shared-decode';

/** What encoding needs of a block (block-interpreter.ts InterpretedBlock). */
export interface EncodedBlock {
  readonly store: BlockStore;
  readonly at: number;
  readonly count: number;
  readonly decoded: ReadonlyArray<SharedDecoded | undefined> | null;
  readonly startOffset: number;
}

export const enum Kind {
  /** Run the instruction's closure. */
  Closure, Lui, Addi, Slti, Sltiu, Xori, Ori, Andi, Slli, Srli, Srai,
  Add, Sub, Sll, Slt, Sltu, Xor, Srl, Sra, Or, And,
  Mul, Mulh, Mulhsu, Mulhu, Div, Divu, Rem, Remu,
  Lb, Lbu, Lh, Lhu, Lw, Sb, Sh, Sw, Nop,
  Beq, Bne, Blt, Bge, Bltu, Bgeu, Jal, Jalr, J, Jr,
  /** lui rd, then addi rd, rd (see `fuseBlock`). */
  LuiAddi,
  /** lui rd, addi rd, rd, then a register-register add, mul, xor or and (the next two words). */
  LuiAddiAdd, LuiAddiMul, LuiAddiXor, LuiAddiAnd,
  /** The first kind, then the second (the next word). */
  AddiAdd, AddiMul, AddiAnd, AddiXor, AddXor, XorAndi, AndiAddi, SrliXor, SlliXor, LuiSlli, SwSw,
  /** srli, slli, or (the next two words): a rotate, either way round. */
  SrliSlliOr, SlliSrliOr,
  /** An instruction, then the branch or jump through a register that ends the block. */
  AddiJr, AndiBeq,
  AddLw, AddSw, XorXor,
  /**
   * The word after a block's last (BlockStore.add keeps room for it): runBlock returns the block's end
   * there, so that its loop tests no index at each turn (bench/LOG.md, session 30).
   */
  End,
}

/**
 * The kind field of a word (bits 0-6). A const enum, so that it is a literal wherever it is used: an
 * `export const` is read from its module at every use (in tsc's CommonJS output, which the bench's
 * emulation section runs, a property of the module's exports behind a check for its initialization and
 * one of the object's map; in the bundle a variable of the bundle's scope), and runBlock read it at
 * every turn of its switch (~5 x64 instructions of its ~30 at the loop's head).
 */
export const enum Mask { Kind = 127 }

const KINDS: ReadonlyMap<string, Kind> = new Map([
  ['lui', Kind.Lui], ['addi', Kind.Addi], ['slti', Kind.Slti], ['sltiu', Kind.Sltiu], ['xori', Kind.Xori], ['ori', Kind.Ori],
  ['andi', Kind.Andi], ['slli', Kind.Slli], ['srli', Kind.Srli], ['srai', Kind.Srai],
  ['add', Kind.Add], ['sub', Kind.Sub], ['sll', Kind.Sll], ['slt', Kind.Slt], ['sltu', Kind.Sltu], ['xor', Kind.Xor],
  ['srl', Kind.Srl], ['sra', Kind.Sra], ['or', Kind.Or], ['and', Kind.And],
  ['mul', Kind.Mul], ['mulh', Kind.Mulh], ['mulhsu', Kind.Mulhsu], ['mulhu', Kind.Mulhu],
  ['div', Kind.Div], ['divu', Kind.Divu], ['rem', Kind.Rem], ['remu', Kind.Remu],
  ['lb', Kind.Lb], ['lbu', Kind.Lbu], ['lh', Kind.Lh], ['lhu', Kind.Lhu], ['lw', Kind.Lw],
  ['sb', Kind.Sb], ['sh', Kind.Sh], ['sw', Kind.Sw], ['fence', Kind.Nop], ['fence.i', Kind.Nop],
  ['beq', Kind.Beq], ['bne', Kind.Bne], ['blt', Kind.Blt], ['bge', Kind.Bge], ['bltu', Kind.Bltu], ['bgeu', Kind.Bgeu],
  ['jal', Kind.Jal], ['jalr', Kind.Jalr],
]);

// Classes of kinds, by their ranges in the enum (a range check, not a set lookup: every instruction
// decoded asks several of these).
const isLoad = (k: Kind): boolean => k >= Kind.Lb && k <= Kind.Lw;
const isStore = (k: Kind): boolean => k >= Kind.Sb && k <= Kind.Sw;
const isBranch = (k: Kind): boolean => k >= Kind.Beq && k <= Kind.Bgeu;
/** Kinds with two source registers and no immediate. */
const isRegisterKind = (k: Kind): boolean => (k >= Kind.Add && k <= Kind.Remu) || isBranch(k);

/**
 * One instruction as a word for `runBlock`: kind in bits 0–6, rd in
 * 7–11 (a store's rs2), rs1 in 12–16, rs2 in 17–21 (register–register and branches), the 12-bit
 * immediate in 20–31 (the others), or lui's upper 20 bits in 12–31. A block's words follow its header
 * in its record (block-store.ts), so that running it reads one or two adjacent cache lines. Writes to x0 become Nop (loads to x0
 * stay with their closures: they may still fault), jumps without link J and Jr. Loads are left to their
 * closures while reads are watched (blocks are built again when that changes), and under translation
 * everything is. `offset`: the instruction's, into RAM (blocks outside RAM encode no instruction).
 */
export function encodeInstruction(d: SharedDecoded | undefined, offset: number, m: ExecContext): number {
  if (d === undefined) return Kind.Closure;
  let word = d.word;
  if (word === NOT_ENCODED) word = d.word = plainWord(d);
  const kind: Kind = word & Mask.Kind;
  // Closures: everything under translation, loads while reads are watched, a branch or jal out of RAM (`runBlock` returns offsets into RAM).
  if (m.translating || ((isBranch(kind) || kind === Kind.Jal || kind === Kind.J) && (offset + d.imm) >>> 0 > m.ram.size) ||
    (m.watchingReads && isLoad(kind))) return Kind.Closure;
  return word;
}

/** `d`'s word on a machine that neither translates nor watches reads, wherever `d` is (encodeInstruction asks the rest). */
function plainWord(d: Decoded): number {
  let kind = KINDS.get(d.spec.name) ?? Kind.Closure;
  // Immediates that do not fit the word (none of the base encodings has one) stay with the closure.
  if (kind === Kind.Closure || !fitsWord(kind, d.imm)) return Kind.Closure;
  if (d.rd === 0) {
    if (kind === Kind.Jal) kind = Kind.J;
    else if (kind === Kind.Jalr) kind = Kind.Jr;
    else if (isLoad(kind)) return Kind.Closure;
    else if (!isStore(kind) && !isBranch(kind)) return Kind.Nop;
  }
  const fields: number = kind;
  if (kind === Kind.Lui) return fields | (d.rd << 7) | (d.imm & ~0xfff);
  if (isStore(kind)) return fields | (d.rs2 << 7) | (d.rs1 << 12) | (d.imm << 20);
  if (isRegisterKind(kind)) return fields | (d.rd << 7) | (d.rs1 << 12) | (d.rs2 << 17);
  return fields | (d.rd << 7) | (d.rs1 << 12) | (d.imm << 20);
}

function fitsWord(kind: Kind, imm: number): boolean {
  // Branches and jal keep no immediate: their target is the block's `taken`.
  return kind === Kind.Lui ? (imm & 0xfff) === 0 : kind === Kind.Jal || isBranch(kind) || (imm >= -2048 && imm < 2048);
}

/** The kind, rd and rs1 fields of an encoded instruction. */
const ADDI_FIELDS = Mask.Kind | (31 << 7) | (31 << 12);

/**
 * Fused kinds by the first kind * 128 + the second (0: none): tables, not maps, since every pair of a
 * block's words is looked up at its build, most of them while V8 still interprets fuseBlock (a map's
 * `get` was a builtin call a pair). xor+jr, divu+add and addi+divu were dropped in session 29: no bench
 * program but bigcode (whose code a generator writes) ran them, and each case costs every program's
 * TurboFan job on runBlock (hello 673.1 -> 671.8M, bigcode 3,648.8 -> 3,663.2M: bench/LOG.md, session 29).
 */
const PAIRS = fusedTable(128 * 128, [
  [Kind.Addi, Kind.Add, Kind.AddiAdd], [Kind.Addi, Kind.Mul, Kind.AddiMul], [Kind.Addi, Kind.And, Kind.AddiAnd],
  [Kind.Addi, Kind.Xor, Kind.AddiXor], [Kind.Add, Kind.Xor, Kind.AddXor], [Kind.Xor, Kind.Andi, Kind.XorAndi],
  [Kind.Andi, Kind.Addi, Kind.AndiAddi], [Kind.Srli, Kind.Xor, Kind.SrliXor], [Kind.Slli, Kind.Xor, Kind.SlliXor],
  [Kind.Lui, Kind.Slli, Kind.LuiSlli], [Kind.Sw, Kind.Sw, Kind.SwSw],
  [Kind.Addi, Kind.Jr, Kind.AddiJr], [Kind.Andi, Kind.Beq, Kind.AndiBeq], [Kind.Add, Kind.Lw, Kind.AddLw],
  [Kind.Add, Kind.Sw, Kind.AddSw], [Kind.Xor, Kind.Xor, Kind.XorXor],
]);
/** Fused triples (shift, shift, or: a rotate) by the first kind * 128 + the second, all followed by an or. */
const ROTATES = fusedTable(128 * 128, [[Kind.Srli, Kind.Slli, Kind.SrliSlliOr], [Kind.Slli, Kind.Srli, Kind.SlliSrliOr]]);
/** The fused kind of `lui rd; addi rd, rd` followed by a register-register instruction of this kind (0: none). */
const AFTER_LI = fusedTable(128, [[0, Kind.Add, Kind.LuiAddiAdd], [0, Kind.Mul, Kind.LuiAddiMul], [0, Kind.Xor, Kind.LuiAddiXor], [0, Kind.And, Kind.LuiAddiAnd]]);

function fusedTable(size: number, entries: ReadonlyArray<readonly [Kind, Kind, Kind]>): Uint8Array {
  const table = new Uint8Array(size);
  for (const [first, second, fused] of entries) table[first * 128 + second] = fused;
  return table;
}

/**
 * Fuses runs of the block's words (from `first`, `count` of them) that one turn of `runBlock`'s switch
 * runs together, left to right: the first word of each run gets the fused kind, the others stay as they
 * are (runBlock reads their fields). A turn costs a mispredicted jump or so in code too large for the
 * branch predictor: `lui rd; addi rd, rd` (li of a 32-bit constant, a tenth of warm code's
 * instructions), with the instruction that uses it, and the commonest pairs of warm code.
 */
export function fuseBlock(words: Int32Array, first: number, count: number): void {
  for (let i = 0; i + 1 < count;) {
    const w = words[first + i];
    const kind: Kind = w & Mask.Kind;
    const next = words[first + i + 1];
    const rd = (w >>> 7) & 31;
    if (kind === Kind.Lui && (next & ADDI_FIELDS) === (Kind.Addi | (rd << 7) | (rd << 12))) {
      const then = i + 2 < count ? AFTER_LI[words[first + i + 2] & Mask.Kind] : 0;
      words[first + i] = (w & ~Mask.Kind) | (then === 0 ? Kind.LuiAddi : then);
      i += then === 0 ? 2 : 3;
      continue;
    }
    const rotate = i + 2 < count && (words[first + i + 2] & Mask.Kind) === Kind.Or ? ROTATES[kind * 128 + (next & Mask.Kind)] : 0;
    if (rotate !== 0) {
      words[first + i] = (w & ~Mask.Kind) | rotate;
      i += 3;
      continue;
    }
    const pair = PAIRS[kind * 128 + (next & Mask.Kind)];
    if (pair === 0) { i++; continue; }
    words[first + i] = (w & ~Mask.Kind) | pair;
    i += 2;
  }
}

/**
 * Programs with at least this much code fuse runs (`fuseBlock`). The fused kinds pay where warm code runs
 * tens of millions of turns of the switch, which only a large program has (bench/bigcode, 222 KB of code:
 * 23.1M turns, 30% of them fused; mathlib, 42 KB: 2.2M turns, 2.6% fused; every other bench program
 * fewer), and V8 compiles the cases of every kind the warm-up ran into runBlock: ~35 ms of TurboFan with
 * them, ~26 without (thread CPU, compiled alone after 3M steps of a program). `rewind run` of a program
 * under 64 KiB, fresh processes, medians of 9 interleaved runs at load ~13, process CPU before -> after:
 * hello 250 -> 233 ms, core 452 -> 431, tree 442 -> 424, mathlib 588 -> 555, kernel 640 -> 610,
 * statemachine 617 -> 607, softfloat 457 -> 453; 280-500 fewer page faults (TurboFan's zone memory).
 * Counted per fused kind (bigcode's share of turns 0.4-4.8% each, the others' <1% of their few turns):
 * none pays below bigcode's size, nearly all pay there, so the kinds stay and only small programs skip them.
 */
export const FUSED_CODE_BYTES = 64 << 10;

/** Whether blocks encoded from now on fuse runs: a process-wide choice, as V8's feedback for runBlock is. */
let fusing = true;

/**
 * This process runs a program of `codeBytes` bytes of code (the command line: one program, then exit):
 * its blocks fuse runs only if it is a large one (FUSED_CODE_BYTES). Until a call, and for the debug
 * adapter, they do. Blocks run the same either way; only the number of turns of the switch differs.
 */
export function expectProgramCode(codeBytes: number): void {
  fusing = codeBytes >= FUSED_CODE_BYTES;
}

/** Whether blocks encoded now fuse runs (block.ts newBlock asks). */
export function fusingRuns(): boolean {
  return fusing;
}

/** Encodes a block's instructions into the words of its record (block-store.ts), fusing runs of them (`fuseBlock`) in a large program. */
export function encodeBlock(block: EncodedBlock, m: ExecContext): void {
  const ints = block.store.ints;
  const first = block.at + Field.Words;
  const decoded = block.decoded;
  let offset = block.startOffset;
  for (let i = 0; i < block.count; i++) {
    const d = decoded?.[i];
    ints[first + i] = decoded === null ? Kind.Closure : encodeInstruction(d, offset, m);
    offset += d?.length ?? 2;
  }
  ints[first + block.count] = Kind.End;
  if (fusing) fuseBlock(ints, first, block.count);
}

