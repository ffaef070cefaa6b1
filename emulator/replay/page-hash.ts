/**
 * The hash of RAM pages (state-hash.ts), in WebAssembly over the machine's own memory, eight pages at a
 * time. Each of a page's two hashes is a chain in which every word waits for the multiply before it, so
 * one page cannot go faster than that chain; eight pages go side by side instead, in SIMD lanes: each
 * 128-bit vector holds one chain of four pages, four vectors (two per four pages) keep the processor
 * busy. Measured on 64 pages (long.elf's table, hashed at each of its 75 checkpoints): ~40 µs two pages
 * at a time with scalar i32 chains, ~12 µs eight at a time in SIMD lanes, ~22 µs four at a time (too
 * few chains to hide the multiply), ~36 µs sixteen at a time (more vectors than the processor's
 * registers). WebAssembly also reads RAM without the bounds checks of a typed array.
 *
 * The hash itself is unchanged (recordings keep their state hashes): `hashWords` is its definition, in
 * JavaScript, and what the tests compare this with.
 */
import { Code, I32, Op } from '../cpu/wasm/wasm-binary';
import { MemoryImport, memoryImport, ModuleBuilder } from '../cpu/wasm/wasm-module';
import { PAGE_SIZE } from '../memory/ram';

export const SEED_A = 0x811c9dc5 | 0;
export const SEED_B = 0x2545f491 | 0;
const MUL_A = 0x9e3779b1 | 0;
const MUL_B = 0x85ebca6b | 0;

/** The two 32-bit hashes of a page's words (an even number of them), each word feeding both. */
export function hashWords(words: Int32Array): [number, number] {
  let a = SEED_A, b = SEED_B;
  for (let i = 0; i < words.length; i += 2) {
    const w = words[i], x = words[i + 1];
    a = (Math.imul(a ^ w, MUL_A) + x) | 0;
    a ^= a >>> 15;
    b = (Math.imul(b ^ x, MUL_B) + w) | 0;
    b ^= b >>> 13;
  }
  return [a, b];
}

/** Pages hashed in one call. */
export const PAGES_AT_ONCE = 8;

/**
 * Hashes the eight pages at byte offsets `p0`…`p7` of RAM (a page may come more than once) and returns
 * their hashes, in the memory at the offset the hash was made for (the same view at every call, valid
 * until the next): `[a of p0, …, a of p7, b of p0, …, b of p7]`.
 */
export type PageHash = (p0: number, p1: number, p2: number, p3: number, p4: number, p5: number, p6: number, p7: number) => Int32Array;

/** The module for a shared memory (the machine's RAM) and for an ordinary one. */
const compiled = new Map<boolean, WebAssembly.Module>();

/**
 * The eight-page hash over `memory` (the machine's, with RAM from 0), leaving its results at `out` (16
 * bytes aligned; 64 bytes nothing else uses: Ram.hashResultsOffset). Results in memory, not as the
 * function's: V8 (11.3) compiles a wrapper of its own for a function of more than one result, ~2 ms of
 * every process that hashes a state (`rewind record`, every replay), where this one's takes the generic.
 */
export function pageHash(memory: WebAssembly.Memory, out: number): PageHash {
  if (out % 16 !== 0) throw new RangeError(`the page hash's results need 16-byte alignment (at ${out})`);
  const wanted = memoryImport('ram', 'memory', memory, 1);
  let module = compiled.get(wanted.shared === true);
  if (!module) compiled.set(wanted.shared === true, module = new WebAssembly.Module(encode(wanted)));
  const hash8 = new WebAssembly.Instance(module, { ram: { memory } }).exports.hash8 as (...args: number[]) => void;
  const results = new Int32Array(memory.buffer, out, 2 * PAGES_AT_ONCE);
  return (p0, p1, p2, p3, p4, p5, p6, p7) => { hash8(p0, p1, p2, p3, p4, p5, p6, p7, out); return results; };
}

/** WebAssembly's SIMD instructions used here (after the 0xfd prefix). */
const enum Simd { Store = 0x0b, Load64Zero = 0x5d, Load64Lane = 0x57, Shuffle = 0x0d, I32Splat = 0x11, ExtractLane = 0x1b, Xor = 0x51, Add = 0xae, Mul = 0xb5, ShrU = 0xad }
const V128 = 0x7b;

/** Byte lanes of a shuffle of two vectors of two pages' (w, x) pairs each: the w words or the x words of all four. */
const lanesOf = (word: 0 | 4): number[] => [0, 8, 16, 24].flatMap((pair) => [0, 1, 2, 3].map((b) => pair + word + b));

/** hash8(p0, …, p7, out): the chains of `hashWords` for the pages at p0…p7, stored at out as a0…a7, b0…b7. */
function encode(memory: MemoryImport): Uint8Array {
  const module = new ModuleBuilder(memory);
  const c = new Code(PAGES_AT_ONCE + 1);
  const out = PAGES_AT_ONCE;
  const simd = (op: Simd, ...immediates: number[]): void => {
    c.body.byte(0xfd).u32(op);
    for (const b of immediates) c.body.byte(b);
  };
  const splat = (v: number): void => { c.i32(v); simd(Simd.I32Splat); };
  const groups = PAGES_AT_ONCE / 4;
  const a: number[] = [], b: number[] = [];
  for (let g = 0; g < groups; g++) { a.push(c.local(V128)); b.push(c.local(V128)); }
  const [w, x, low, high, i] = [c.local(V128), c.local(V128), c.local(V128), c.local(V128), c.local(I32)];
  for (let g = 0; g < groups; g++) { splat(SEED_A); c.set(a[g]); splat(SEED_B); c.set(b[g]); }
  // One chain step of four pages at once: h = (h ^ y) * mul + z; h ^= h >>> shift.
  const step = (h: number, y: number, z: number, mul: number, shift: number): void => {
    c.get(h).get(y); simd(Simd.Xor); splat(mul); simd(Simd.Mul); c.get(z); simd(Simd.Add); c.tee(h);
    c.get(h).i32(shift); simd(Simd.ShrU); simd(Simd.Xor); c.set(h);
  };
  c.loop();
  for (let g = 0; g < groups; g++) {
    // The next two words of pages 4g, 4g+1 (low) and 4g+2, 4g+3 (high), then regrouped as w and x words.
    for (const [pair, page] of [[low, 4 * g], [high, 4 * g + 2]]) {
      c.get(page).get(i).op(Op.I32Add); simd(Simd.Load64Zero, 3, 0); c.set(pair);
      c.get(page + 1).get(i).op(Op.I32Add).get(pair); simd(Simd.Load64Lane, 3, 0, 1); c.set(pair);
    }
    c.get(low).get(high); simd(Simd.Shuffle, ...lanesOf(0)); c.set(w);
    c.get(low).get(high); simd(Simd.Shuffle, ...lanesOf(4)); c.set(x);
    step(a[g], w, x, MUL_A, 15);
    step(b[g], x, w, MUL_B, 13);
  }
  c.get(i).i32(8).op(Op.I32Add).tee(i).i32(PAGE_SIZE).op(Op.I32LtU).brIf(0);
  c.end();
  // Each vector holds four pages' a (or b) in lane order: stored as they are, a of all pages, then b.
  for (let g = 0; g < groups; g++) {
    c.get(out).get(a[g]); simd(Simd.Store, 4, 16 * g);
    c.get(out).get(b[g]); simd(Simd.Store, 4, 16 * (groups + g));
  }
  module.define('hash8', { params: new Array<number>(PAGES_AT_ONCE + 1).fill(I32), results: [] }, c);
  return module.encode();
}
