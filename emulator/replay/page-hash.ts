/**
 * The hash of RAM pages (state-hash.ts), in WebAssembly over the machine's own memory, two pages at a
 * time. Each of a page's two hashes is a chain in which every word waits for the multiply before it;
 * four chains side by side (two pages) keep the processor busy, and WebAssembly reads RAM without the
 * bounds checks of a typed array: about twice as fast as the JavaScript it replaces, which the
 * recorder ran on every page written in each checkpoint interval (long.elf: 19 MiB, ~5.5 ms of 190).
 *
 * The hash itself is unchanged (recordings keep their state hashes): `hashWords` is its definition, in
 * JavaScript, and what the tests compare this with.
 */
import { Code, I32, MemoryImport, memoryImport, ModuleBuilder } from '../cpu/wasm/wasm-binary';
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

/** Hashes the pages at byte offsets `p` and `q` of RAM: [a of p, b of p, a of q, b of q]. */
export type TwoPageHash = (p: number, q: number) => [number, number, number, number];

/** The module for a shared memory (the machine's RAM) and for an ordinary one. */
const compiled = new Map<boolean, WebAssembly.Module>();

/** The two-page hash over `memory` (the machine's, with RAM from 0). */
export function twoPageHash(memory: WebAssembly.Memory): TwoPageHash {
  const wanted = memoryImport('ram', 'memory', memory, 1);
  let module = compiled.get(wanted.shared === true);
  if (!module) compiled.set(wanted.shared === true, module = new WebAssembly.Module(encode(wanted)));
  return new WebAssembly.Instance(module, { ram: { memory } }).exports.hash2 as TwoPageHash;
}

/** hash2(p, q) -> (a, b, c, d): the chains of `hashWords` for the page at p (a, b) and at q (c, d). */
function encode(memory: MemoryImport): Uint8Array {
  const module = new ModuleBuilder(memory);
  const c = new Code(2);
  const [p, q] = [0, 1];
  const [a, b, cc, d, i, w, x] = [c.local(I32), c.local(I32), c.local(I32), c.local(I32), c.local(I32), c.local(I32), c.local(I32)];
  c.i32(SEED_A).set(a).i32(SEED_B).set(b).i32(SEED_A).set(cc).i32(SEED_B).set(d);
  // One chain step: h = (h ^ y) * mul + z; h ^= h >>> shift.
  const step = (h: number, y: number, z: number, mul: number, shift: number): void => {
    c.get(h).get(y).op('i32.xor').i32(mul).op('i32.mul').get(z).op('i32.add').tee(h).get(h).i32(shift).op('i32.shr_u').op('i32.xor').set(h);
  };
  c.loop();
  for (const [page, h1, h2] of [[p, a, b], [q, cc, d]]) {
    c.get(page).get(i).op('i32.add').mem('i32.load', 0).set(w);
    c.get(page).get(i).op('i32.add').mem('i32.load', 4).set(x);
    step(h1, w, x, MUL_A, 15);
    step(h2, x, w, MUL_B, 13);
  }
  c.get(i).i32(8).op('i32.add').tee(i).i32(PAGE_SIZE).op('i32.lt_u').brIf(0);
  c.end();
  c.get(a).get(b).get(cc).get(d);
  module.define('hash2', { params: [I32, I32], results: [I32, I32, I32, I32] }, c);
  return module.encode();
}
