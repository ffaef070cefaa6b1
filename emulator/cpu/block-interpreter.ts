/**
 * The interpreter for blocks that are not (yet) compiled: a block's instructions as a compact array of
 * numbers (one 32-bit word per instruction: kind, registers, immediate), run by one `switch` that V8 optimizes
 * once for every block. Cold and warm code (a large program that calls each of its functions now and
 * then) runs here, so it must be cheap in two ways: no call per instruction (a call through a closure
 * per instruction costs more than the instruction), and little memory per instruction (a closure and
 * its context take hundreds of bytes; on 200 KB of code that is megabytes, and every instruction run
 * became a cache miss).
 *
 * The closures (compile.ts) stay the reference and run whatever this switch does not: every kind below
 * does exactly what its closure does, slow paths included (a load or store outside the fast path calls
 * the machine with the instruction's own pc, so traps and early block ends are located as before).
 * Only a block's last instruction (its branch or jump, or whatever ends it) changes the flow of control.
 *
 * Measured and left out (bigcode, statemachine: main-thread CPU, runs in separate processes taking
 * turns; two builds compared within one process showed no difference, even one made 10% slower on
 * purpose): each block's words together, one per instruction, so that the address of the next word
 * does not wait for the length of the one before (0.94-1.02, within the noise); following the run
 * loop's successor links in here (this function's set-up is ~2.5% of its samples: little to save; in
 * session 19 three ways of it, under cachegrind: bigcode -0.6 to -1.4%, other programs +0.5 to +2.3%).
 * Where a warm step's time goes (perf): the loop's head and the first instructions of each case (the
 * switch's dispatch), and the typed-array checks of each access to `x`; a block's in the run loop,
 * cache misses at the page's table of blocks after a region's exit (bigcode: ~1/3 of the run loop's
 * samples, before the run loop's table of recent blocks) and at the next block's first fields (~1/5).
 * Fused runs (block-encoding.ts fuseBlock): each pair is spread thin in warm code (bigcode's most common, addi+add, is 4.8%
 * of its interpreted steps, then addi+mul 3.4, add+xor 3.2, xor+andi 2.6, sw+sw 2.2; statemachine's
 * addi+mul 3.7, andi+addi 3.5, addi+j 3.2), but li with its use and nine pairs together take 22% of
 * bigcode's turns (jpeg's and statemachine's interpreted code 9 and 14%): runBlock alone on a trace of
 * 300K of bigcode's block runs 9.2-9.9 -> 8.6-8.8 ns a step (min of 10), its steady state ~5-8% less
 * main-thread CPU. Measured and left out: the switch written twice (two dispatch sites a turn, each
 * predicted on its own): no faster, and a first run's TurboFan ~130 ms more; the loop without calls
 * (slow paths after it, through the closures), so that V8 might keep the typed arrays' fields out of it:
 * 9.1-9.9 -> 9.4-9.7 ns a step, no gain. Session 14: the last two kinds the word holds, sw+sw and
 * lui+slli (0.44M turns each a run), cut bigcode's turns 23.06M -> 22.18M (cachegrind: see bench/LOG.md).
 * This switch in WebAssembly, measured and left out (branch wasminterp-experiment): one module built once,
 * the words in wasm memory, registers in memory, the same fast paths, anything else left to `runBlock` at
 * its index. On the same 200K blocks of bigcode (3.06M steps, each block from the registers it had in the
 * run, TurboFan's code): runBlock 12.3-13.0 ns a step, the wasm switch 9.2-11.9, and with every case
 * empty (the dispatch and the word's load alone) 6.7-9.7: the mispredicted jump per step in code too
 * large for the predictor is most of a step in either, so no wasm interpreter gets the 1.6x that going
 * from block to block inside wasm would need to repay. Called per block from CodeCache.interpret, bigcode
 * spent ~390 ms in it a run against ~410 (wall time, timed around each call, on the loaded machine).
 * Nor, on that trace, a test for addi (19% of bigcode's interpreted steps) before the switch, so that a
 * conditional branch rather than the jump table picks it: no difference beyond the noise (12.5-15.7 ns a
 * step either way); nor every page's words in one array, found from the block's start: no difference;
 * nor the register-register and immediate kinds without a jump (~75% of bigcode's steps: all twelve results
 * computed, the kind's picked from a small array): 12-16 ns a step either way. bigcode's steps wait on memory
 * more than on the dispatch: 25M D1 misses a run under cachegrind, ~8 per block run or region entry; its
 * blocks' hot fields (~1.1 MB) and words (~0.4 MB) exceed a core's 1 MB L2 here (cachegrind with a 1 MB
 * last level: 10.4M misses a run, ~100-150 ms at L3's latency; tree 3.9M). With each block's hot fields
 * and words in one record (block-store.ts): 10.7M -> 6.0M last-level misses, D1 25.7M -> 20.8M.
 * Session 25: the slow loads and stores share one call site each after the switch (V8's TurboFan work on
 * runBlock alone, first 1M steps under --predictable: bigcode 147 -> 134M, statemachine and mathlib 84 -> 76M);
 * most kinds' result stored once after the switch too cut it to 124M / 69M, but a fresh bigcode +4.2%
 * (bench/LOG.md, branch jscompile25-experiment-25). Session 27: sixteen kinds rare in every bench program's
 * interpreted code share two cases (rareArithmetic): 134 -> 124M (bigcode), 76 -> 59M (statemachine); the rare
 * loads and stores through the machine's path too cut it to 111M / 47M, but bigcode's warm switch ran 2% more
 * instructions and core +2% (branch fresh27-experiment-27). Session 29: the loop split in two, the inner one
 * without calls (slow paths, closures and rare kinds after it, from their word again), so that V8 no
 * longer keeps the turn's values on the stack around calls: bigcode 3,713.5 -> 3,648.9M instructions a
 * fresh run, hello 676.0 -> 673.1M (bench/LOG.md, session 29). Each turn still checks the maps of `words`
 * and `x` and reloads their fields: in V8 11.3 a loop's stack check ends what load elimination knows. Session 30:
 * the registers read from the store's array (`x` below), one map check a turn; RAM's base and size as
 * 32-bit integers, so that loads and stores no longer work out their offsets in doubles (bench/LOG.md).
 */
import { Decoded } from '../isa/decode';
import { compile, ExecContext, mulhu, Op } from './compile';
import { BARRIER_SHIFT } from '../memory/ram';
import { BlockStore, Field } from './block-store';
import { SharedDecoded } from './shared-decode';
import { EncodedBlock, Kind, Mask } from './block-encoding';

const TAKEN = new Set(['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu', 'jal']);

/** What the block interpreter needs of a block (block.ts). */
export interface InterpretedBlock extends EncodedBlock {
  /** Its store (block-store.ts) and its record there: a header, then one encoded word per instruction. */
  readonly store: BlockStore;
  readonly at: number;
  /** How many instructions it has. */
  readonly count: number;
  /**
   * The instructions' closures, for the kinds the switch leaves to them: made on first use (`opAt`),
   * since most instructions never need theirs, and a closure with its context is most of the memory a
   * decoded instruction takes (see above). An illegal encoding has its closure from the start. The
   * array too is made when one is first needed (null until then): most blocks never need one, and a
   * large program's first run builds thousands of blocks, whose arrays the garbage collector copies.
   */
  ops: Array<Op | undefined> | null;
  /** What the closures are made from (null for a block whose one instruction is a fetch fault). */
  readonly decoded: ReadonlyArray<SharedDecoded | undefined> | null;
  readonly pcs: number[];
  readonly start: number;
  /** First byte after the block: where it falls through, and the link of its jump. */
  readonly end: number;
  /** Where its last instruction branches or jumps to when taken (a branch or jal; else 0). */
  readonly taken: number;
  /**
   * `start`, `end` and `taken` as offsets into RAM (see `ramOffset`), for the run loop's hot path:
   * addresses of RAM are above 2^31, which V8 keeps in a separate heap number per field (one more
   * cache miss to read, and an allocation to return from a function), while offsets are small
   * integers. -1 where the address is outside RAM.
   */
  readonly startOffset: number;
  readonly endOffset: number;
  readonly takenOffset: number;
}

/** An address as an offset into RAM (RAM starts at `base` and holds `size` bytes), or -1 outside RAM. */
export function ramOffset(address: number, base: number, size: number): number {
  const offset = (address - base) >>> 0;
  return offset <= size ? offset : -1;
}

/** The target of a block's last instruction when it is a branch or jal (taken), else 0. */
export function takenTarget(decoded: ReadonlyArray<Decoded | undefined>, lastPc: number): number {
  const d = decoded[decoded.length - 1];
  return d !== undefined && TAKEN.has(d.spec.name) ? (lastPc + d.imm) >>> 0 : 0;
}

/** The closure of the block's instruction `i` (compile.ts), made the first time it is needed. */
export function opAt(block: InterpretedBlock, i: number, m: ExecContext): Op {
  const ops = block.ops ?? (block.ops = new Array<Op | undefined>(block.count).fill(undefined));
  // The pc from the store, not `pcs`: runBlock's case for closures inlines this, and `pcs` is a loop on first use.
  return ops[i] ?? (ops[i] = compile(block.decoded![i]!, block.store.pcs[block.at + Field.Words + i] >>> 0, m));
}

/** Every closure of the block (for the compilers and for a machine that only interprets). */
export function allOps(block: InterpretedBlock, m: ExecContext): Op[] {
  for (let i = 0; i < block.count; i++) opAt(block, i, m);
  return block.ops as Op[];
}

/**
 * Runs all instructions of a block (it fits in the run slice) and returns the next pc as an offset from
 * RAM's base, modulo 2^32 (`(base + offset) >>> 0` is the pc): a small integer, which V8 returns without
 * allocating, unlike an address above 2^31. Throws as the closures do (a trap, an early end of the
 * block, an input wait). Branches and jumps are only ever a block's last instruction (block.ts).
 * Reads the block's record at `at` in its store (and, on a slow path, an instruction's pc beside it), and the
 * block's object only for an instruction left to its closure: for a block run every ~50,000 steps that
 * object is one more cache miss.
 */
export function runBlock(store: BlockStore, at: number, m: ExecContext): number {
  const ints = store.ints;
  const words = ints;
  // The registers, in the same typed array as the words (block-store.ts: a machine's store starts at its
  // registers, `m.x`'s memory): one check of its map and one load of its length and data pointer serve a
  // turn's word and registers, where V8 checked and loaded `words` at the loop's head and `m.x` again in
  // each case (bench/bigcode 3,642.9 -> 3,452.3M instructions a fresh run; bench/LOG.md, session 30).
  const x = ints;
  const ram = m.ram;
  const { u8, i8, u16, i16, i32, writeBarrier } = ram;
  // Both as 32-bit integers: `ram.base` (0x80000000) is a heap number, and read as it is V8 kept it and
  // `size` tagged across the loop, so that each load and store checked both for a heap number and worked
  // out its offset in doubles (~20 host instructions more, --print-opt-code). Every use of `base` is modulo
  // 2^32 (`| 0`, `>>> 0`), so its signed value gives the same results.
  const size = ram.size >>> 0;
  const base = ram.base | 0;
  // A local, so that the shift in every store below is by a register, not by a property of the module.
  const barrierShift = BARRIER_SHIFT;
  const first = at + Field.Words;
  // Read here, where every run passes (in the header's cache line): an index computed in a case that
  // the warm-up never ran (bne not taken) had no feedback, and V8 threw the optimized switch away.
  const end = ints[at + Field.End];
  const taken = ints[at + Field.Taken];
  let i = first;
  // Two loops, so that the inner one, where every turn runs, calls nothing: a call inside it made V8 keep
  // every value that lives across the loop on the stack (its calls clobber all registers), to be reloaded
  // at each turn. An instruction that needs a call (a slow load or store, a closure, a rare kind) leaves
  // the inner loop at its index (`break leave`), and the code after it makes the call from its word.
  // `(i + 1) | 0`, not `i++`: V8 checked the increment for an overflow at every turn (it cannot tell
  // from `i < last` that none comes), and moved `i` between registers around that check; ~3 host
  // instructions a turn fewer (bench/bigcode 3,452.4 -> 3,398.8M; bench/LOG.md, session 30).
  // The inner loop has no bound: the word after the block's last (Kind.End) returns its end, where a
  // block falls through (a branch or jump returns before it). `i < last` was a compare with a value V8
  // kept on the stack and a jump at each turn, and one more value live across the loop.
  for (;;) {
    for (;; i = (i + 1) | 0) {
      const w = words[i];
      const rd = (w >>> 7) & 31;
      const rs1 = (w >>> 12) & 31;
      const rs2 = (w >>> 17) & 31;
      const imm = w >> 20;
      leave: {
      switch (w & Mask.Kind) {
        case Kind.Closure: break leave;
        case Kind.Lui: x[rd] = w & ~0xfff; break;
        // Fused runs (block-encoding.ts fuseBlock): always whole within the block; those that end it return.
        case Kind.LuiAddi: x[rd] = ((w & ~0xfff) + (words[++i] >> 20)) | 0; break;
        case Kind.LuiAddiAdd: { x[rd] = ((w & ~0xfff) + (words[++i] >> 20)) | 0; const v = words[++i]; x[(v >>> 7) & 31] = (x[(v >>> 12) & 31] + x[(v >>> 17) & 31]) | 0; break; }
        case Kind.LuiAddiMul: { x[rd] = ((w & ~0xfff) + (words[++i] >> 20)) | 0; const v = words[++i]; x[(v >>> 7) & 31] = Math.imul(x[(v >>> 12) & 31], x[(v >>> 17) & 31]); break; }
        case Kind.LuiAddiXor: { x[rd] = ((w & ~0xfff) + (words[++i] >> 20)) | 0; const v = words[++i]; x[(v >>> 7) & 31] = x[(v >>> 12) & 31] ^ x[(v >>> 17) & 31]; break; }
        case Kind.LuiAddiAnd: { x[rd] = ((w & ~0xfff) + (words[++i] >> 20)) | 0; const v = words[++i]; x[(v >>> 7) & 31] = x[(v >>> 12) & 31] & x[(v >>> 17) & 31]; break; }
        case Kind.AddiAdd: { x[rd] = (x[rs1] + imm) | 0; const v = words[++i]; x[(v >>> 7) & 31] = (x[(v >>> 12) & 31] + x[(v >>> 17) & 31]) | 0; break; }
        case Kind.AddiMul: { x[rd] = (x[rs1] + imm) | 0; const v = words[++i]; x[(v >>> 7) & 31] = Math.imul(x[(v >>> 12) & 31], x[(v >>> 17) & 31]); break; }
        case Kind.AddiAnd: { x[rd] = (x[rs1] + imm) | 0; const v = words[++i]; x[(v >>> 7) & 31] = x[(v >>> 12) & 31] & x[(v >>> 17) & 31]; break; }
        case Kind.AddiXor: { x[rd] = (x[rs1] + imm) | 0; const v = words[++i]; x[(v >>> 7) & 31] = x[(v >>> 12) & 31] ^ x[(v >>> 17) & 31]; break; }
        case Kind.AddXor: { x[rd] = (x[rs1] + x[rs2]) | 0; const v = words[++i]; x[(v >>> 7) & 31] = x[(v >>> 12) & 31] ^ x[(v >>> 17) & 31]; break; }
        case Kind.XorAndi: { x[rd] = x[rs1] ^ x[rs2]; const v = words[++i]; x[(v >>> 7) & 31] = x[(v >>> 12) & 31] & (v >> 20); break; }
        case Kind.AndiAddi: { x[rd] = x[rs1] & imm; const v = words[++i]; x[(v >>> 7) & 31] = (x[(v >>> 12) & 31] + (v >> 20)) | 0; break; }
        case Kind.SrliXor: { x[rd] = x[rs1] >>> imm; const v = words[++i]; x[(v >>> 7) & 31] = x[(v >>> 12) & 31] ^ x[(v >>> 17) & 31]; break; }
        case Kind.SlliXor: { x[rd] = x[rs1] << imm; const v = words[++i]; x[(v >>> 7) & 31] = x[(v >>> 12) & 31] ^ x[(v >>> 17) & 31]; break; }
        case Kind.LuiSlli: { x[rd] = w & ~0xfff; const v = words[++i]; x[(v >>> 7) & 31] = x[(v >>> 12) & 31] << (v >> 20); break; }
        case Kind.SwSw: {
          // Each store as Kind.Sw. A slow first store leaves the loop here (its word has a sw's fields), and
          // the second, a plain sw, runs at the next turn.
          const o = (x[rs1] + imm - base) >>> 0;
          if (o >= size || (o & 3) !== 0 || writeBarrier[o >>> barrierShift] === 0) break leave;
          i32[o >>> 2] = x[rd];
          const v = words[++i], to = x[(v >>> 12) & 31] + (v >> 20), p = (to - base) >>> 0;
          if (p < size && (p & 3) === 0 && writeBarrier[p >>> barrierShift] !== 0) { i32[p >>> 2] = x[(v >>> 7) & 31]; break; }
          break leave;
        }
        case Kind.SrliSlliOr: {
          x[rd] = x[rs1] >>> imm;
          const v = words[++i]; x[(v >>> 7) & 31] = x[(v >>> 12) & 31] << (v >> 20);
          const u = words[++i]; x[(u >>> 7) & 31] = x[(u >>> 12) & 31] | x[(u >>> 17) & 31];
          break;
        }
        case Kind.SlliSrliOr: {
          x[rd] = x[rs1] << imm;
          const v = words[++i]; x[(v >>> 7) & 31] = x[(v >>> 12) & 31] >>> (v >> 20);
          const u = words[++i]; x[(u >>> 7) & 31] = x[(u >>> 12) & 31] | x[(u >>> 17) & 31];
          break;
        }
        case Kind.AddiJr: { x[rd] = (x[rs1] + imm) | 0; const v = words[++i]; return (((x[(v >>> 12) & 31] + (v >> 20)) & ~1) - base) >>> 0; }
        case Kind.AndiBeq: { x[rd] = x[rs1] & imm; const v = words[++i]; return x[(v >>> 12) & 31] === x[(v >>> 17) & 31] ? taken : end; }
        case Kind.AddLw: {
          // The load as Kind.Lw, at its own index (its slow path's pc).
          x[rd] = (x[rs1] + x[rs2]) | 0;
          const v = words[++i], from = x[(v >>> 12) & 31] + (v >> 20), o = (from - base) >>> 0;
          if (o < size && (o & 3) === 0) { x[(v >>> 7) & 31] = i32[o >>> 2]; break; }
          break leave;
        }
        case Kind.AddSw: {
          x[rd] = (x[rs1] + x[rs2]) | 0;
          const v = words[++i], to = x[(v >>> 12) & 31] + (v >> 20), o = (to - base) >>> 0;
          if (o < size && (o & 3) === 0 && writeBarrier[o >>> barrierShift] !== 0) { i32[o >>> 2] = x[(v >>> 7) & 31]; break; }
          break leave;
        }
        case Kind.XorXor: { x[rd] = x[rs1] ^ x[rs2]; const v = words[++i]; x[(v >>> 7) & 31] = x[(v >>> 12) & 31] ^ x[(v >>> 17) & 31]; break; }
        case Kind.Addi: x[rd] = (x[rs1] + imm) | 0; break;
        case Kind.Andi: x[rd] = x[rs1] & imm; break;
        case Kind.Slli: x[rd] = x[rs1] << imm; break;
        case Kind.Srli: x[rd] = x[rs1] >>> imm; break;
        case Kind.Add: x[rd] = (x[rs1] + x[rs2]) | 0; break;
        case Kind.Sub: x[rd] = (x[rs1] - x[rs2]) | 0; break;
        case Kind.Xor: x[rd] = x[rs1] ^ x[rs2]; break;
        case Kind.Or: x[rd] = x[rs1] | x[rs2]; break;
        case Kind.And: x[rd] = x[rs1] & x[rs2]; break;
        case Kind.Mul: x[rd] = Math.imul(x[rs1], x[rs2]); break;
        // Kinds that every bench program's interpreted code runs rarely (under 25K times a run each, most
        // never) leave the loop for their own switch in `rareArithmetic`: V8's TurboFan job on this switch,
        // the largest of a fresh process, grows with its cases' sites that can deoptimize (each `x[...]` is
        // checked), and these were ~1M instructions of it each.
        case Kind.Slti: case Kind.Sltiu: case Kind.Xori: case Kind.Ori: case Kind.Srai:
        case Kind.Sll: case Kind.Slt: case Kind.Sltu: case Kind.Srl: case Kind.Sra:
        case Kind.Mulh: case Kind.Mulhsu: case Kind.Mulhu: case Kind.Div: case Kind.Rem: case Kind.Remu:
          break leave;
        case Kind.Divu: { const a = x[rs1] >>> 0, b = x[rs2] >>> 0; x[rd] = b === 0 ? -1 : (a / b) | 0; break; }
        case Kind.Lb: { const o = (x[rs1] + imm - base) >>> 0; if (o < size) { x[rd] = i8[o]; break; } break leave; }
        case Kind.Lbu: { const o = (x[rs1] + imm - base) >>> 0; if (o < size) { x[rd] = u8[o]; break; } break leave; }
        case Kind.Lh: { const o = (x[rs1] + imm - base) >>> 0; if (o < size && (o & 1) === 0) { x[rd] = i16[o >>> 1]; break; } break leave; }
        case Kind.Lhu: { const o = (x[rs1] + imm - base) >>> 0; if (o < size && (o & 1) === 0) { x[rd] = u16[o >>> 1]; break; } break leave; }
        case Kind.Lw: { const o = (x[rs1] + imm - base) >>> 0; if (o < size && (o & 3) === 0) { x[rd] = i32[o >>> 2]; break; } break leave; }
        case Kind.Sb: {
          const o = (x[rs1] + imm - base) >>> 0;
          if (o < size && writeBarrier[o >>> barrierShift] !== 0) { u8[o] = x[rd]; break; }
          break leave;
        }
        case Kind.Sh: {
          const o = (x[rs1] + imm - base) >>> 0;
          if (o < size && (o & 1) === 0 && writeBarrier[o >>> barrierShift] !== 0) { u16[o >>> 1] = x[rd]; break; }
          break leave;
        }
        case Kind.Sw: {
          const o = (x[rs1] + imm - base) >>> 0;
          if (o < size && (o & 3) === 0 && writeBarrier[o >>> barrierShift] !== 0) { i32[o >>> 2] = x[rd]; break; }
          break leave;
        }
        case Kind.Beq: return x[rs1] === x[rs2] ? taken : end;
        case Kind.Bne: return x[rs1] !== x[rs2] ? taken : end;
        case Kind.Blt: return x[rs1] < x[rs2] ? taken : end;
        case Kind.Bge: return x[rs1] >= x[rs2] ? taken : end;
        case Kind.Bltu: return (x[rs1] >>> 0) < (x[rs2] >>> 0) ? taken : end;
        case Kind.Bgeu: return (x[rs1] >>> 0) >= (x[rs2] >>> 0) ? taken : end;
        case Kind.Jal: x[rd] = (base + end) | 0; return taken;
        case Kind.Jalr: { const to = (x[rs1] + imm) & ~1; x[rd] = (base + end) | 0; return (to - base) >>> 0; }
        case Kind.J: return taken;
        case Kind.End: return end;
        case Kind.Jr: return (((x[rs1] + imm) & ~1) - base) >>> 0;
        default: break;
      }
      continue;
      } // `break leave`: one exit for every call, which finds what it needs in the word again (setting
      // variables for it at each exit cost V8's compile of this function ~5M instructions, bench/LOG.md).
      break;
    }
    // The instruction at `i`, which needs a call: in a fused run, a plain lw or sw (sw+sw's first store has a sw's fields).
    // The instructions' pcs, read from the store as the words are (not the block's object), and here, not
    // before the loop: one value fewer live across it, which with the sentinel (Kind.End) left V8's
    // allocation of the loop better (bench/bigcode 3,403.6 -> 3,382.0M; bench/LOG.md, session 30).
    const w = words[i], kind: Kind = w & Mask.Kind, rd = (w >>> 7) & 31, rs1 = (w >>> 12) & 31, pcs = store.pcs;
    if (kind >= Kind.Lb && kind <= Kind.Lw) {
      const bytes = kind <= Kind.Lbu ? 1 : kind <= Kind.Lhu ? 2 : 4;
      x[rd] = m.load(x[rs1] + (w >> 20), bytes, kind === Kind.Lb || kind === Kind.Lh || kind === Kind.Lw, pcs[i] >>> 0);
    } else if ((kind >= Kind.Sb && kind <= Kind.Sw) || kind === Kind.SwSw) {
      m.store(x[rs1] + (w >> 20), kind === Kind.Sb ? 1 : kind === Kind.Sh ? 2 : 4, x[rd], pcs[i] >>> 0);
    } else if (kind === Kind.Closure) {
      const next = opAt(store.blockOf(at) as InterpretedBlock, i - first, m)();
      if ((words[i + 1] & Mask.Kind) === Kind.End) return (next - base) >>> 0;
    } else {
      x[rd] = rareArithmetic(kind, x[rs1], kind <= Kind.Srai ? w >> 20 : x[(w >>> 17) & 31]);
    }
    i++;
  }
}

/** A rare kind's result (runBlock) from `a`, the value of rs1, and `b`, the immediate's or rs2's. */
function rareArithmetic(kind: number, a: number, b: number): number {
  switch (kind) {
    case Kind.Slti: case Kind.Slt: return a < b ? 1 : 0;
    case Kind.Sltiu: case Kind.Sltu: return (a >>> 0) < (b >>> 0) ? 1 : 0;
    case Kind.Xori: return a ^ b;
    case Kind.Ori: return a | b;
    case Kind.Srai: case Kind.Sra: return a >> (b & 31);
    case Kind.Sll: return a << (b & 31);
    case Kind.Srl: return a >>> (b & 31);
    case Kind.Mulh: return (mulhu(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
    case Kind.Mulhsu: return (mulhu(a, b) - (a < 0 ? b : 0)) | 0;
    case Kind.Mulhu: return mulhu(a, b);
    case Kind.Div: return b === 0 ? -1 : (a === -0x80000000 && b === -1) ? a : (a / b) | 0;
    case Kind.Rem: return b === 0 ? a : (a === -0x80000000 && b === -1) ? 0 : (a % b) | 0;
    default: { const ua = a >>> 0, ub = b >>> 0; return ub === 0 ? a : (ua % ub) | 0; }
  }
}
