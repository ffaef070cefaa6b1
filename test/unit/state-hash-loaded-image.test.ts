/**
 * The state hash covers the program as loaded, not only the pages written since: two machines whose
 * loaded images differ in a page nothing ever writes must not hash the same. (The loader writes RAM
 * without the write barrier, so the hasher takes the loaded pages from the machine.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_CONFIG, Machine } from '../../emulator/machine';
import { parseElf } from '../../emulator/elf';
import { ScriptedOutside } from '../../emulator/outside';
import { StateHasher } from '../../emulator/replay/state-hash';

const HELLO = readFileSync(resolve(__dirname, '../../../examples/hello/hello.elf'));

function loaded(): Machine {
  const machine = new Machine(DEFAULT_CONFIG, new ScriptedOutside(), { write: () => undefined });
  machine.loadProgram(parseElf(HELLO));
  return machine;
}

function digest(machine: Machine): string {
  const hasher = new StateHasher(machine);
  hasher.update(machine.ram.takeDirtyPages());
  return hasher.digest();
}

test('the state hash of a freshly loaded machine depends on every loaded page', () => {
  const a = loaded();
  const b = loaded();
  assert.ok(a.loadedPages.length > 0);
  assert.equal(digest(a), digest(b));
  // Change one byte of the image in the last loaded page, behind the write barrier's back.
  const page = a.loadedPages[a.loadedPages.length - 1];
  b.ram.u8[page * 4096 + 123] ^= 0x5a;
  assert.notEqual(digest(a), digest(b));
});
