/**
 * SHA-256 (FIPS 180-4) in WebAssembly, written with the region compiler's binary writer (sha256.ts
 * drives it). `compress` runs the compression function over whole blocks in the module's memory: the
 * message schedule into memory (its first 16 words byte-swapped four at a time in SIMD lanes), then
 * the 64 rounds as 8 turns of a loop of 8 rounds, which rename the working variables instead of moving
 * them (what was h becomes a). A loop, not 64 rounds unrolled with the schedule's window in locals:
 * the unrolled function (11.6 KB) costs V8's optimizing tier-up ~10 ms, the loop (1.5 KB) ~1-3, and
 * Liftoff's code for it runs ~3,200 instructions a block (schedule ~1,100, rounds ~2,100).
 */
import { Code, I32, Mem, Op } from '../cpu/wasm/wasm-binary';
import { memoryImport, ModuleBuilder } from '../cpu/wasm/wasm-module';

/** Where the eight chaining words are kept between calls (host order). */
export const STATE_AT = 0;
/** The 64 round constants (the caller writes `ROUND_CONSTANTS` there). */
export const K_AT = 32;
/** The message schedule's 64 words. */
const W_AT = K_AT + 256;
/** Where the blocks to compress are copied: from here to the memory's end. */
export const BLOCKS_AT = W_AT + 256;
/** The module's memory: one WebAssembly page. */
export const MEMORY_BYTES = 65536;

/** SHA-256's K: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
export const ROUND_CONSTANTS = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

const enum Simd { Prefix = 0xfd, Load = 0x00, Store = 0x0b, Shuffle = 0x0d }
/** A shuffle's byte lanes that turn each 32-bit lane's byte order around. */
const BIG_ENDIAN_WORDS = [3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12];

/** compress(from, to): the blocks at byte offsets from, from + 64, … below to (at least one) into the state. */
export function sha256Module(memory: WebAssembly.Memory): WebAssembly.Module {
  const module = new ModuleBuilder(memoryImport('sha256', 'memory', memory));
  const c = new Code(2);
  const [from, to] = [0, 1];
  const v = Array.from({ length: 8 }, () => c.local(I32));
  const [t1, j] = [c.local(I32), c.local(I32)];
  // V8's baseline compiler (Liftoff, 11.3) calls out to C for each i32.rotr (16x slower in all): shifts
  // instead, which TurboFan's tier-up turns back into rotations.
  const rotr = (l: number, n: number): void => { c.get(l).i32(n).op(Op.I32ShrU).get(l).i32(32 - n).op(Op.I32Shl).op(Op.I32Or); };
  // The rotations (or the last a shift) of l, xored: the σ and Σ functions.
  const sigma = (l: number, r0: number, r1: number, r2: number, shift: boolean): void => {
    rotr(l, r0); rotr(l, r1); c.op(Op.I32Xor);
    if (shift) c.get(l).i32(r2).op(Op.I32ShrU); else rotr(l, r2);
    c.op(Op.I32Xor);
  };
  const word = (at: number): void => { c.get(j).mem(Mem.I32Load, at); };
  c.loop();
  for (let i = 0; i < 8; i++) c.i32(STATE_AT + 4 * i).mem(Mem.I32Load).set(v[i]);
  // w[0..15]: the block's words, big-endian (v128.store at 0 + W_AT + 16q of the shuffled load).
  const simd = (op: Simd, ...immediates: number[]): void => {
    c.body.byte(Simd.Prefix).u32(op);
    for (const b of immediates) c.body.u32(b);
  };
  for (let q = 0; q < 4; q++) {
    c.i32(0);
    c.get(from); simd(Simd.Load, 4, 16 * q);
    c.get(from); simd(Simd.Load, 4, 16 * q);
    simd(Simd.Shuffle, ...BIG_ENDIAN_WORDS);
    simd(Simd.Store, 4, W_AT + 16 * q);
  }
  // w[t] = σ1(w[t-2]) + w[t-7] + σ0(w[t-15]) + w[t-16] for t = 16..63 (j = 4t - 64).
  c.i32(0).set(j);
  c.loop();
  c.get(j);
  word(W_AT);
  c.get(j).mem(Mem.I32Load, W_AT + 4).set(t1); sigma(t1, 7, 18, 3, true); c.op(Op.I32Add);
  word(W_AT + 36); c.op(Op.I32Add);
  c.get(j).mem(Mem.I32Load, W_AT + 56).set(t1); sigma(t1, 17, 19, 10, true); c.op(Op.I32Add);
  c.mem(Mem.I32Store, W_AT + 64);
  c.get(j).i32(4).op(Op.I32Add).tee(j).i32(192).op(Op.I32LtU).brIf(0);
  c.end();
  // Eight turns of eight rounds (j = 4t of the turn's first round).
  c.i32(0).set(j);
  c.loop();
  for (let round = 0; round < 8; round++) {
    const [a, b, cc, d, e, f, g, h] = Array.from({ length: 8 }, (_, i) => v[(i - round + 8) % 8]);
    // t1 = h + Σ1(e) + Ch(e, f, g) + K[t] + w[t], with Ch(e, f, g) = g ^ (e & (f ^ g)).
    c.get(h);
    sigma(e, 6, 11, 25, false); c.op(Op.I32Add);
    c.get(g).get(e).get(f).get(g).op(Op.I32Xor).op(Op.I32And).op(Op.I32Xor).op(Op.I32Add);
    word(K_AT + 4 * round); c.op(Op.I32Add); word(W_AT + 4 * round); c.op(Op.I32Add); c.set(t1);
    // d += t1 (the next e); h = t1 + Σ0(a) + Maj(a, b, c) (the next a), Maj = (a & b) | (c & (a | b)).
    c.get(d).get(t1).op(Op.I32Add).set(d);
    c.get(t1);
    sigma(a, 2, 13, 22, false); c.op(Op.I32Add);
    c.get(a).get(b).op(Op.I32And).get(cc).get(a).get(b).op(Op.I32Or).op(Op.I32And).op(Op.I32Or).op(Op.I32Add);
    c.set(h);
  }
  c.get(j).i32(32).op(Op.I32Add).tee(j).i32(256).op(Op.I32LtU).brIf(0);
  c.end();
  // Eight rounds a turn: v[i] is the working variable i again.
  for (let i = 0; i < 8; i++) c.i32(STATE_AT + 4 * i).i32(STATE_AT + 4 * i).mem(Mem.I32Load).get(v[i]).op(Op.I32Add).mem(Mem.I32Store);
  c.get(from).i32(64).op(Op.I32Add).tee(from).get(to).op(Op.I32LtU).brIf(0);
  c.end();
  module.define('compress', { params: [I32, I32], results: [] }, c);
  return new WebAssembly.Module(module.encode());
}
