/**
 * File writes made by a worker thread (the snapshot index's pages): the file holds exactly the bytes
 * appended, in order, whatever went through the worker's ring, around its end or past it; bytes changed
 * after `append` returned are written as they were; bytes that come after the worker fell asleep are
 * written too; a write the worker could not make is an error at `flush`, and the worker serves the next
 * file as well.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackgroundWrites } from '../../emulator/replay/background-writes';
import { Prng } from '../engine/prng';

/** `count` pieces of pseudo-random sizes (up to `most` bytes) and contents. */
function pieces(seed: number, count: number, most: number): Uint8Array[] {
  const random = new Prng(seed);
  const next = (): number => random.next();
  return Array.from({ length: count }, () => {
    const piece = new Uint8Array(1 + Math.floor(next() * most));
    for (let i = 0; i < piece.length; i += 4096) piece.fill(Math.floor(next() * 256), i, i + 4096);
    piece[piece.length - 1] = Math.floor(next() * 256);
    return piece;
  });
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** Fails with the first offset where `actual` differs from `expected` (a whole-file diff would not fit in memory). */
function sameBytes(actual: Uint8Array, expected: Uint8Array): void {
  let at = 0;
  while (at < Math.min(actual.length, expected.length) && actual[at] === expected[at]) at++;
  assert.ok(at === actual.length && at === expected.length, `${actual.length} bytes written for ${expected.length}; the first difference at byte ${at}`);
}

/** Writes `parts` to a new file through a BackgroundWrites; the file's bytes. */
function written(dir: string, name: string, parts: Uint8Array[], startBytes: number, change?: (part: Uint8Array) => void): Uint8Array {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  try {
    const writes = new BackgroundWrites(fd, startBytes);
    for (const p of parts) {
      writes.append(p);
      change?.(p);
    }
    writes.flush();
  } finally {
    closeSync(fd);
  }
  return readFileSync(path);
}

test('the file holds every byte appended, in order: small pieces, pieces round the ring\'s end and pieces larger than the ring', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-writes-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // ~25 MiB in pieces of up to 300 KiB (the ring holds 4 MiB, so it wraps), then 5 MiB in one piece.
  const parts = [...pieces(1, 160, 300_000), new Uint8Array(5 << 20).fill(0xa5), ...pieces(2, 20, 5000)];
  const expected = concat(parts);
  sameBytes(written(dir, 'through-the-worker', parts, 0), expected);
  sameBytes(written(dir, 'first-megabyte-at-once', parts, 1 << 20), expected);
});

test('bytes changed after append returned are written as they were appended', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-writes-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const parts = pieces(3, 40, 200_000);
  const expected = concat(parts);
  sameBytes(written(dir, 'changed', parts, 0, (p) => p.fill(0)), expected);
});

test('two files written at once each get their own bytes', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-writes-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const [a, b] = [pieces(4, 30, 100_000), pieces(5, 30, 100_000)];
  const fds = [openSync(join(dir, 'a'), 'w'), openSync(join(dir, 'b'), 'w')];
  const writes = fds.map((fd) => new BackgroundWrites(fd, 0));
  for (let i = 0; i < 30; i++) { writes[0].append(a[i]); writes[1].append(b[i]); }
  writes.forEach((w) => w.flush());
  fds.forEach((fd) => closeSync(fd));
  sameBytes(readFileSync(join(dir, 'a')), concat(a));
  sameBytes(readFileSync(join(dir, 'b')), concat(b));
});

test('a write the worker cannot make (a full disk) is an error at flush, and the next file is written whole', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-writes-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const full = openSync('/dev/full', 'w');
  try {
    const writes = new BackgroundWrites(full, 0);
    for (const p of pieces(6, 10, 100_000)) writes.append(p);
    assert.throws(() => writes.flush(), /ENOSPC/);
  } finally {
    closeSync(full);
  }
  const parts = pieces(7, 10, 100_000);
  sameBytes(written(dir, 'after', parts, 0), concat(parts));
});

test('bytes appended after a pause long enough for the worker to sleep (a program waiting for input) are written', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-writes-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'paused');
  const [before, after] = [pieces(8, 10, 100_000), pieces(9, 10, 100_000)];
  const fd = openSync(path, 'w');
  try {
    const writes = new BackgroundWrites(fd, 0);
    for (const p of before) writes.append(p);
    // The worker sleeps once it found nothing for a second; on a loaded machine it may start late too.
    const deadline = Date.now() + 60_000;
    while (writes.workerAsleep() !== true && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(writes.workerAsleep(), true, 'the writer\'s worker did not fall asleep within 60 s of the last bytes');
    for (const p of after) writes.append(p);
    writes.flush();
  } finally {
    closeSync(fd);
  }
  sameBytes(readFileSync(path), concat([...before, ...after]));
});
