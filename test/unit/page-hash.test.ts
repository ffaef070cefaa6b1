/**
 * The WebAssembly page hash (emulator/replay/page-hash.ts) gives what its JavaScript definition gives,
 * for any eight pages, a page more than once among them (recordings keep their state hashes), and the definition
 * still gives the values recordings were made with.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashWords, pageHash } from '../../emulator/replay/page-hash';
import { PAGE_SIZE } from '../../emulator/memory/ram';
import { Prng } from '../engine/prng';

const PAGES = 16;

for (const shared of [false, true]) test(`eight pages hashed at once in WebAssembly hash as each does in JavaScript (${shared ? 'a shared memory, as RAM is' : 'an ordinary memory'})`, () => {
  // The hashed pages, then a wasm page where the results go.
  const pages = (PAGES * PAGE_SIZE) / 65536 + 1;
  const memory = new WebAssembly.Memory(shared ? { initial: pages, maximum: pages, shared } as { initial: number } : { initial: pages });
  assert.equal(memory.buffer instanceof SharedArrayBuffer, shared);
  const words = new Int32Array(memory.buffer);
  const random = new Prng(11);
  // Page 0 stays zero; the others hold random words, page 1 a single one.
  words[PAGE_SIZE / 4 + 7] = 1;
  for (let i = 2 * (PAGE_SIZE / 4); i < PAGES * (PAGE_SIZE / 4); i++) words[i] = Math.floor(random.next() * 2 ** 32) | 0;
  const page = (n: number): Int32Array => words.subarray(n * (PAGE_SIZE / 4), (n + 1) * (PAGE_SIZE / 4));
  const hash8 = pageHash(memory, PAGES * PAGE_SIZE);
  for (const list of [[0, 1, 2, 3, 4, 5, 6, 7], [15, 14, 1, 0, 9, 3, 12, 2], [5, 5, 5, 5, 5, 5, 5, 5], [0, 0, 7, 7, 1, 2, 2, 15], [8, 9, 10, 11, 12, 13, 14, 0]]) {
    const [p0, p1, p2, p3, p4, p5, p6, p7] = list.map((p) => p * PAGE_SIZE);
    const expected = list.map((p) => hashWords(page(p)));
    assert.deepEqual([...hash8(p0, p1, p2, p3, p4, p5, p6, p7)], [...expected.map(([a]) => a), ...expected.map(([, b]) => b)], `pages ${list.join(', ')}`);
  }
});

test('the page hash is the one recordings were made with', () => {
  const words = new Int32Array(PAGE_SIZE / 4);
  assert.deepEqual(hashWords(words).map((h) => h >>> 0), [0xe0385772, 0x3976c84a]);
  words.forEach((_, i) => { words[i] = Math.imul(i, 2654435761); });
  assert.deepEqual(hashWords(words).map((h) => h >>> 0), [0x7ce83ca6, 0x5de4eb13]);
});
