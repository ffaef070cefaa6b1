/**
 * The SHA-256 that identifies a recording's program: the JavaScript one (browsers) gives
 * the standard digests and Node's at every length around the block and padding edges; programs,
 * hashed by Node's crypto, give the JavaScript's digest too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex, sha256Script } from '../../emulator/replay/sha256';

const reference = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

test('the JavaScript SHA-256 gives the standard digests of the FIPS 180-4 examples', () => {
  assert.equal(sha256Script(new Uint8Array(0)), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(sha256Script(new TextEncoder().encode('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(sha256Script(new TextEncoder().encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')),
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
});

test('the JavaScript SHA-256 agrees with Node crypto at every length around the block and padding edges', () => {
  let seed = 12345;
  const bytes = new Uint8Array(300);
  for (let i = 0; i < bytes.length; i++) { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; bytes[i] = seed >>> 24; }
  for (let n = 0; n <= bytes.length; n++) assert.equal(sha256Script(bytes.subarray(0, n)), reference(bytes.subarray(0, n)), `${n} bytes`);
});

test('sha256Hex (Node crypto) gives the same digest as the JavaScript for small and large programs', () => {
  for (const elf of ['bench/cipher.elf', 'examples/hello/hello.elf', 'bench/mathlib.elf']) {
    const program = new Uint8Array(readFileSync(join(__dirname, '..', '..', '..', elf)));
    assert.equal(sha256Hex(program), sha256Script(program), elf);
    assert.equal(sha256Hex(program.subarray(1)), sha256Script(program.subarray(1)), `${elf} from its second byte (not at a buffer's start)`);
  }
});
