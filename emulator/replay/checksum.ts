/**
 * CRC-32 (IEEE, as zlib), the checksum of every chunk of a recording. A large piece (a header holds the
 * whole program) goes to Node's zlib when this runs in a Node that has `zlib.crc32` (20.15 and later):
 * the JavaScript below runs cold, once per process (~2.3 ms for a 114 KB ELF), where loading zlib
 * costs ~1.5 ms and its checksum microseconds.
 */
import { nodeBuiltin } from './node-builtin';

/** Pieces from this size go to zlib when it can be had (below, the JavaScript costs less than loading it). */
const NATIVE_FROM = 64 << 10;

type Crc32 = (data: Uint8Array) => number;

/** zlib's crc32, loaded on demand; undefined where Node's zlib cannot be had or has none. */
function nodeCrc32(): Crc32 | undefined {
  return nodeBuiltin<{ crc32?: Crc32 }>('node:zlib')?.crc32;
}

const TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const native = end - start >= NATIVE_FROM ? nodeCrc32() : undefined;
  return native ? native(bytes.subarray(start, end)) >>> 0 : crc32Script(bytes, start, end);
}

/** The result's unsigned conversion (see `crc32Script`). */
const RESULT = new Uint32Array(1);

/**
 * The checksum computed here, in JavaScript. Its unsigned result is read back from a Uint32Array, not
 * made by `>>> 0`: with that, V8 (11.3) optimized it without feedback for the operation after the loop
 * (a first call's loop was compiled on the stack) and then left it at every call, in most processes:
 * 120-280 deoptimizations in seven recordings of bench/replay/long.elf, one at every checkpoint's chunk.
 */
export function crc32Script(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = -1;
  for (let i = start; i < end; i++) crc = TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  RESULT[0] = ~crc;
  return RESULT[0];
}
