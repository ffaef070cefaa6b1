/**
 * Decoded instructions shared by every block that holds the same encoding. A warm program decodes tens
 * of thousands of instructions once each, many of them alike (prologues and epilogues, returns, loads
 * of locals, `li`), and `decode` builds a new object for each: the first run of a large program spent a
 * quarter of its time decoding, and its garbage. Decoded instructions are immutable and a pure function
 * of their encoding, so sharing one changes nothing but the cost; so is what a block is built from them
 * (SharedDecoded's word and ends), kept with them once made.
 *
 * A compressed encoding is one of 65,536 and has its slot; 4-byte ones are kept in a map, emptied when it
 * grows large, so that a program that keeps writing new code cannot grow it without bound.
 */
import { decodeWith, Decoded } from '../isa/decode';
import type { InstructionSpec } from '../isa/instructions';

/** 4-byte encodings kept at most (a few MB). */
const MAX_WIDE = 1 << 16;

/**
 * By halfword, in 256 tables of 256 made as needed (one table of 65,536 slots was 512 KiB that every
 * command wrote at its start, ~2 ms of page faults): null until decoded, undefined for an illegal encoding.
 */
type Compressed = Array<SharedDecoded | undefined | null>;
const compressed: Array<Compressed | undefined> = new Array<Compressed | undefined>(256).fill(undefined);
const wide = new Map<number, SharedDecoded | undefined>();

/**
 * A shared decode, with what a block built from it needs kept beside it: a large program holds each
 * encoding ~7 times (bench/bigcode: 74K instructions, 10K encodings), and most of its blocks are built
 * while V8 still runs that code unoptimized (each instruction asked maps by mnemonic three times).
 * bench/bigcode, `rewind run` under cachegrind with V8 single-threaded (its compiles counted where they
 * happen, so the count repeats within ~0.2%): first 500K steps 1,332 -> 1,278M instructions, whole
 * run 4,185 -> 4,135M; hello, rvtest, statemachine, mathlib, jpeg within the runs' spread. With V8's
 * threads the main thread's count spreads by +-3% (when TurboFan's code arrives) and showed no change.
 */
export interface SharedDecoded extends Decoded {
  /**
   * Its encoding signed (`raw | 0`), not as `decode` gives it: above 2^31 (a 4-byte instruction with a
   * negative immediate) the field was a double, a heap number in each decode (bench/bigcode: 0.17 MB of
   * them, session 20). Taken only as a trap's tval (trap-entry.ts keeps `tval | 0`) and compared as `raw >>> 0` (block.ts codeUnchanged).
   */
  readonly raw: number;
  /** block-interpreter.ts encodeInstruction's word before anything of the machine is asked; NOT_ENCODED until first made. */
  word: number;
  /** Whether it ends a block (block.ts endsBlock) while reads are not watched: 1 or 0, NOT_ENCODED until first asked. */
  ends: number;
}

/** No word made yet (kind 63 is no instruction's own: only a fused run's). */
export const NOT_ENCODED = -1;

/**
 * `decode(raw)`, the same object for the same encoding, `raw` signed or not: the code cache passes it
 * signed, where `>>> 0` made a heap number of each 4-byte encoding above 2^31 (any negative immediate) in
 * V8's first tiers, which build most blocks (bench/LOG.md, session 28).
 */
export function decodeShared(raw: number): SharedDecoded | undefined {
  if ((raw & 3) !== 3) {
    const half = raw & 0xffff;
    const table = compressed[half >>> 8] ?? (compressed[half >>> 8] = new Array<SharedDecoded | undefined | null>(256).fill(null));
    const known = table[half & 0xff];
    return known !== null ? known : (table[half & 0xff] = decodeWith(half, shared));
  }
  const key = raw | 0;
  const known = wide.get(key);
  if (known !== undefined || wide.has(key)) return known;
  if (wide.size >= MAX_WIDE) wide.clear();
  const decoded = decodeWith(key, shared);
  wide.set(key, decoded);
  return decoded;
}

/**
 * Made by the decoder itself (isa/decode.ts decodeWith), with every field in it: `decode`'s object with two
 * added had room in its literal for its own eight fields only, so the two more went to a property array of
 * their own (~40 bytes a decode, and one more object for each scavenge to copy: bench/bigcode keeps ~11K
 * decodes, all of them young at first); a copy of it into a literal of ten, as until session 29, was one
 * more object and ~18 property accesses a decode in V8's first tiers.
 */
function shared(spec: InstructionSpec, written: InstructionSpec, raw: number, length: 2 | 4, rd: number, rs1: number, rs2: number, imm: number): SharedDecoded {
  return { spec, written, raw, length, rd, rs1, rs2, imm, word: NOT_ENCODED, ends: NOT_ENCODED };
}

/**
 * Forgets every shared decode, as in a new process. For measurements of a cold start in a process that
 * already ran the program (the bench's warm-up figures); the machine itself never needs it.
 */
export function forgetSharedDecodes(): void {
  compressed.fill(undefined);
  wide.clear();
}
