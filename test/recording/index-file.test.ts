/**
 * The snapshot index file beside a recording: what `IndexFile` writes (through the worker thread when it
 * is large) opens whole with the pages it was given, and a new index replaces the old one, leaving no
 * other file in the folder (a small old one at once).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IndexFile, openIndexFile } from '../../emulator/replay/index-file';
import { SnapshotIndex } from '../../emulator/replay/snapshot-index';
import { PAGE_SIZE } from '../../emulator/memory/ram';

/** Writes an index of one entry at `step` whose `count` pages (from page 16 on) hold `fill + their number`. */
function writeIndex(recording: string, step: number, count: number, fill: number): void {
  const file = IndexFile.create(recording);
  assert.ok(file, 'an index may be written');
  const pages = new Uint8Array(count * PAGE_SIZE);
  for (let n = 0; n < count; n++) pages.fill(fill + n, n * PAGE_SIZE, (n + 1) * PAGE_SIZE);
  // One run of pages as one view, then the same content page by page: both forms of an entry.
  file.writer.entry(step, 'a'.repeat(16), '{}', [[16, pages]]);
  file.writer.entry(step + 1, 'b'.repeat(16), '{}', Array.from({ length: count }, (_, n): [number, Uint8Array] => [16 + n, pages.subarray(n * PAGE_SIZE, (n + 1) * PAGE_SIZE)]));
  file.finish({ programHash: 'p', endStep: step + 1, endHash: 'b'.repeat(16) });
}

function opened(recording: string): SnapshotIndex {
  const index = openIndexFile(recording);
  assert.ok(typeof index !== 'string', `the index opens: ${String(index)}`);
  return index;
}

test('an index of 8 MiB of pages (written by the worker thread) opens whole, every page as given', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-index-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const recording = join(dir, 'big.rewind');
  writeIndex(recording, 100, 1024, 7);
  const index = opened(recording);
  assert.deepEqual(index.entries.map((e) => [e.step, e.pages.length]), [[100, 1024], [101, 1024]]);
  const pages = index.pagesAt(index.entries[1]);
  assert.equal(pages.size, 1024);
  for (const [page, content] of pages) assert.ok(content.every((b) => b === ((7 + page - 16) & 0xff)), `page ${page}`);
});

test('a new index replaces the old one, and only it is left in the folder', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-index-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const recording = join(dir, 'run.rewind');
  writeIndex(recording, 100, 300, 1);
  writeIndex(recording, 200, 300, 2);
  assert.deepEqual(opened(recording).entries.map((e) => e.step), [200, 201]);
  // The old one (2.4 MB) is removed in the background: milliseconds, given 30 s on a slow or busy machine.
  for (const deadline = Date.now() + 30_000; readdirSync(dir).length > 1 && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(readdirSync(dir), ['run.rewind.index']);
});

test('a small old index is removed before the new one is reported in place', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-index-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const recording = join(dir, 'run.rewind');
  writeIndex(recording, 100, 10, 1);
  writeIndex(recording, 200, 10, 2);
  assert.deepEqual(readdirSync(dir), ['run.rewind.index']);
  assert.deepEqual(opened(recording).entries.map((e) => e.step), [200, 201]);
});
