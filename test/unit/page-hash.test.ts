/**
 * The WebAssembly page hash (emulator/replay/page-hash.ts) gives what its JavaScript definition gives,
 * for any two pages and a page with itself (recordings keep their state hashes), and the definition
 * still gives the values recordings were made with.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashWords, twoPageHash } from '../../emulator/replay/page-hash';
import { PAGE_SIZE } from '../../emulator/memory/ram';
import { Prng } from '../engine/prng';

const PAGES = 16;

for (const shared of [false, true]) test(`two pages hashed at once in WebAssembly hash as each does in JavaScript (${shared ? 'a shared memory, as RAM is' : 'an ordinary memory'})`, () => {
  const pages = (PAGES * PAGE_SIZE) / 65536;
  const memory = new WebAssembly.Memory(shared ? { initial: pages, maximum: pages, shared } as { initial: number } : { initial: pages });
  assert.equal(memory.buffer instanceof SharedArrayBuffer, shared);
  const words = new Int32Array(memory.buffer);
  const random = new Prng(11);
  // Page 0 stays zero; the others hold random words, page 1 a single one.
  words[PAGE_SIZE / 4 + 7] = 1;
  for (let i = 2 * (PAGE_SIZE / 4); i < words.length; i++) words[i] = Math.floor(random.next() * 2 ** 32) | 0;
  const page = (n: number): Int32Array => words.subarray(n * (PAGE_SIZE / 4), (n + 1) * (PAGE_SIZE / 4));
  const hash2 = twoPageHash(memory);
  for (const [p, q] of [[0, 1], [1, 0], [2, 3], [15, 2], [5, 5], [0, 0]]) {
    assert.deepEqual(hash2(p * PAGE_SIZE, q * PAGE_SIZE), [...hashWords(page(p)), ...hashWords(page(q))], `pages ${p} and ${q}`);
  }
});

test('the page hash is the one recordings were made with', () => {
  const words = new Int32Array(PAGE_SIZE / 4);
  assert.deepEqual(hashWords(words).map((h) => h >>> 0), [0xe0385772, 0x3976c84a]);
  words.forEach((_, i) => { words[i] = Math.imul(i, 2654435761); });
  assert.deepEqual(hashWords(words).map((h) => h >>> 0), [0x7ce83ca6, 0x5de4eb13]);
});
