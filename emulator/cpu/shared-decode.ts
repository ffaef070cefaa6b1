/**
 * Decoded instructions shared by every block that holds the same encoding. A warm program decodes tens
 * of thousands of instructions once each, many of them alike (prologues and epilogues, returns, loads
 * of locals, `li`), and `decode` builds a new object for each: the first run of a large program spent a
 * quarter of its time decoding, and its garbage. Decoded instructions are immutable and a pure function
 * of their encoding, so sharing one changes nothing but the cost.
 *
 * A compressed encoding is one of 65,536 and has its slot; 4-byte ones are kept in a map, emptied when it
 * grows large, so that a program that keeps writing new code cannot grow it without bound.
 */
import { decode, Decoded } from '../isa/decode';

/** 4-byte encodings kept at most (a few MB). */
const MAX_WIDE = 1 << 16;

/**
 * By halfword, in 256 tables of 256 made as needed (one table of 65,536 slots was 512 KiB that every
 * command wrote at its start, ~2 ms of page faults): null until decoded, undefined for an illegal encoding.
 */
type Compressed = Array<Decoded | undefined | null>;
const compressed: Array<Compressed | undefined> = new Array<Compressed | undefined>(256).fill(undefined);
const wide = new Map<number, Decoded | undefined>();

/** `decode(raw)`, the same object for the same encoding. */
export function decodeShared(raw: number): Decoded | undefined {
  if ((raw & 3) !== 3) {
    const half = raw & 0xffff;
    const table = compressed[half >>> 8] ?? (compressed[half >>> 8] = new Array<Decoded | undefined | null>(256).fill(null));
    const known = table[half & 0xff];
    return known !== null ? known : (table[half & 0xff] = decode(half));
  }
  const key = raw | 0;
  const known = wide.get(key);
  if (known !== undefined || wide.has(key)) return known;
  if (wide.size >= MAX_WIDE) wide.clear();
  const decoded = decode(raw);
  wide.set(key, decoded);
  return decoded;
}

/**
 * Forgets every shared decode, as in a new process. For measurements of a cold start in a process that
 * already ran the program (the bench's warm-up figures); the machine itself never needs it.
 */
export function forgetSharedDecodes(): void {
  compressed.fill(undefined);
  wide.clear();
}
