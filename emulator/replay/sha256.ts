/**
 * SHA-256 of a byte array, synchronous, in WebAssembly (sha256-module.ts). Identifies the program image
 * a recording holds: `rewind record` hashes the program before it runs it, and every open of a recording
 * checks it, each once per process, so what counts is a cold start. Measured (instructions of a whole
 * `rewind record`, all threads): loading Node's crypto cost ~21M (this Node compiles its modules from
 * source) and its hash ~14 a byte; this module ~4M to build and ~50 a byte in Liftoff's code; the same
 * hash in JavaScript, run cold, more than either.
 */
import { BLOCKS_AT, K_AT, MEMORY_BYTES, ROUND_CONSTANTS, sha256Module, STATE_AT } from './sha256-module';

const INITIAL_STATE = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
/** Whole blocks copied into the module's memory at a time. */
const CHUNK = (MEMORY_BYTES - BLOCKS_AT) & ~63;

interface Hasher {
  readonly bytes: Uint8Array;
  readonly state: Int32Array;
  readonly view: DataView;
  readonly compress: (from: number, to: number) => void;
}

let hasher: Hasher | undefined;

function makeHasher(): Hasher {
  const memory = new WebAssembly.Memory({ initial: MEMORY_BYTES >>> 16 });
  const instance = new WebAssembly.Instance(sha256Module(memory), { sha256: { memory } });
  new Int32Array(memory.buffer, K_AT, ROUND_CONSTANTS.length).set(ROUND_CONSTANTS);
  return {
    bytes: new Uint8Array(memory.buffer),
    state: new Int32Array(memory.buffer, STATE_AT, 8),
    view: new DataView(memory.buffer),
    compress: instance.exports.compress as (from: number, to: number) => void,
  };
}

/** The digest of `data` in lower-case hex (64 characters). */
export function sha256Hex(data: Uint8Array): string {
  const { bytes, state, view, compress } = hasher ??= makeHasher();
  state.set(INITIAL_STATE);
  const whole = data.length - (data.length % 64);
  for (let at = 0; at < whole; at += CHUNK) {
    const n = Math.min(CHUNK, whole - at);
    bytes.set(data.subarray(at, at + n), BLOCKS_AT);
    compress(BLOCKS_AT, BLOCKS_AT + n);
  }
  // The padding: the rest, a one bit, zeros and the length in bits, in one block or two.
  const rest = data.length - whole;
  const last = rest + 9 <= 64 ? 64 : 128;
  bytes.fill(0, BLOCKS_AT, BLOCKS_AT + last);
  bytes.set(data.subarray(whole), BLOCKS_AT);
  bytes[BLOCKS_AT + rest] = 0x80;
  const bits = data.length * 8;
  view.setUint32(BLOCKS_AT + last - 8, Math.floor(bits / 4294967296));
  view.setUint32(BLOCKS_AT + last - 4, bits >>> 0);
  compress(BLOCKS_AT, BLOCKS_AT + last);
  let hex = '';
  for (let i = 0; i < 8; i++) hex += (state[i] >>> 0).toString(16).padStart(8, '0');
  return hex;
}
