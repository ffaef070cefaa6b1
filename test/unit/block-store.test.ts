/**
 * A machine's block store (emulator/cpu/block-store.ts) keeps its records in the machine's memory right
 * after the registers (emulator/memory/ram.ts Ram.blockInts), where it cannot grow: it asks to be
 * renewed near its end, and a replaced store takes its records with it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BlockStore, Field } from '../../emulator/cpu/block-store';
import { BLOCK_RECORDS_FIRST, Ram } from '../../emulator/memory/ram';

test("a machine's store reads the registers at their numbers and starts its records after them", () => {
  const ram = new Ram(0x80000000, 1 << 16);
  ram.registers[10] = 1234;
  assert.equal(ram.blockInts[10], 1234);
  const store = new BlockStore(0, ram.blockInts, BLOCK_RECORDS_FIRST);
  const at = store.add({}, 2, 0, 8, 0, 0, 1);
  assert.equal(at, BLOCK_RECORDS_FIRST);
  assert.equal(ram.blockInts[at + Field.Count], 2);
  assert.equal(ram.registers[10], 1234);
});

test('a store of fixed room asks to be renewed within a million ints of its end, and is full at its end', () => {
  const room = (1 << 20) + 1000;
  const store = new BlockStore(0, new Int32Array(room), 100);
  while (store.top + Field.Words + 50 <= room - (1 << 20)) store.add({}, 50, 0, 0, 0, 0, 1);
  assert.equal(store.renewable, false);
  store.add({}, 50, 0, 0, 0, 0, 1);
  assert.equal(store.renewable, true);
  assert.throws(() => store.add({}, room, 0, 0, 0, 0, 1), /block store is full/);
});

test("a replaced store's blocks write into a copy of its records, not into the next store's", () => {
  const area = new Int32Array(1 << 21);
  const old = new BlockStore(0, area, 128);
  const at = old.add({}, 3, 0, 12, 0, 0, 1);
  old.release();
  const next = new BlockStore(0, area, 128);
  assert.equal(next.add({}, 1, 40, 44, 0, 0, 1), at);
  old.ints[at + Field.Flags] = 0;
  assert.equal(old.ints[at + Field.Count], 3);
  assert.equal(area[at + Field.Flags], 1);
  assert.equal(area[at + Field.Count], 1);
});

test('a store of its own grows', () => {
  const store = new BlockStore();
  for (let k = 0; k < 2000; k++) store.add({}, 20, 0, 0, 0, 0, 1);
  assert.equal(store.renewable, false);
  assert.ok(store.ints.length >= store.top && store.pcs.length >= store.top);
});
