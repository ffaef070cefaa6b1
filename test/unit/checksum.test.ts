/**
 * The chunks' CRC-32: the JavaScript one gives the standard check value, and large pieces (checked by
 * Node's zlib) get the same checksum as the JavaScript gives them, wherever they lie in their buffer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32, crc32Script } from '../../emulator/replay/checksum';

test('the JavaScript CRC-32 gives the standard check value', () => {
  assert.equal(crc32Script(new TextEncoder().encode('123456789')), 0xcbf43926);
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
});

test('crc32 of a large piece is the JavaScript checksum of that piece', () => {
  let seed = 7;
  const bytes = new Uint8Array(200_000);
  for (let i = 0; i < bytes.length; i++) { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; bytes[i] = seed >>> 24; }
  for (const [start, end] of [[0, bytes.length], [5, 150_001], [100_000, 199_999], [0, 70_000], [3, 66_000]]) {
    assert.equal(crc32(bytes, start, end), crc32Script(bytes, start, end), `[${start}, ${end})`);
  }
});
