/**
 * The SHA-256 that identifies a recording's program (WebAssembly, sha256-module.ts): the standard
 * digests of FIPS 180-4's examples, and Node's crypto's digest at every length around the block,
 * padding and copy edges, for random data from 0 bytes to several MB, for programs, and for data that
 * does not start at its buffer's start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../../emulator/replay/sha256';

const reference = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Seeded pseudo-random bytes (the same in every run). */
function randomBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; bytes[i] = seed >>> 24; }
  return bytes;
}

test('SHA-256 gives the standard digests of the FIPS 180-4 examples', () => {
  assert.equal(sha256Hex(new Uint8Array(0)), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(sha256Hex(text('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(sha256Hex(text('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')),
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  assert.equal(sha256Hex(text('abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu')),
    'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1');
  assert.equal(sha256Hex(new Uint8Array(1_000_000).fill(0x61)), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
});

test('SHA-256 agrees with Node crypto at every length around the block and padding edges', () => {
  const bytes = randomBytes(300, 12345);
  for (let n = 0; n <= bytes.length; n++) assert.equal(sha256Hex(bytes.subarray(0, n)), reference(bytes.subarray(0, n)), `${n} bytes`);
});

test('SHA-256 agrees with Node crypto around the lengths it copies into its memory at a time', () => {
  const bytes = randomBytes(3 * 65536 + 200, 777);
  for (const chunk of [65472, 65536]) {
    for (const n of [chunk - 65, chunk - 64, chunk - 1, chunk, chunk + 1, chunk + 63, chunk + 64, 2 * chunk - 1, 2 * chunk, 2 * chunk + 9, 3 * chunk]) {
      assert.equal(sha256Hex(bytes.subarray(0, n)), reference(bytes.subarray(0, n)), `${n} bytes`);
    }
  }
});

test('SHA-256 agrees with Node crypto on random data of random lengths up to several MB', () => {
  let seed = 4242;
  const next = (): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed; };
  const big = randomBytes(6 << 20, 99);
  for (let i = 0; i < 40; i++) {
    // Lengths spread over the orders of magnitude: most small, a few of megabytes.
    const length = Math.floor((next() / 2 ** 32) ** 4 * big.length);
    const start = next() % 64;
    const data = big.subarray(start, Math.min(big.length, start + length));
    assert.equal(sha256Hex(data), reference(data), `${data.length} bytes from ${start}`);
  }
  assert.equal(sha256Hex(big), reference(big), `${big.length} bytes`);
});

test('SHA-256 of programs, from their first byte and from their second (not at a buffer\'s start)', () => {
  for (const elf of ['bench/cipher.elf', 'examples/hello/hello.elf', 'bench/mathlib.elf', 'bench/bigcode.elf']) {
    const program = new Uint8Array(readFileSync(join(__dirname, '..', '..', '..', elf)));
    assert.equal(sha256Hex(program), reference(program), elf);
    assert.equal(sha256Hex(program.subarray(1)), reference(program.subarray(1)), `${elf} from its second byte`);
  }
});
