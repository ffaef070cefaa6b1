/** What "Rewind: Go to Last Write" understands when typed in the palette. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseLastWriteTarget } from '../../src/last-write-target';

test('an address with an optional length (4 bytes by default) asks about that memory', () => {
  assert.deepEqual(parseLastWriteTarget('0x80200010'), { address: '0x80200010', length: 4 });
  assert.deepEqual(parseLastWriteTarget('0x80200010 8'), { address: '0x80200010', length: 8 });
  assert.deepEqual(parseLastWriteTarget('0x80200010:1'), { address: '0x80200010', length: 1 });
  assert.deepEqual(parseLastWriteTarget('2149580816'), { address: '2149580816', length: 4 });
});

test('anything that starts like a C expression asks about that variable', () => {
  assert.deepEqual(parseLastWriteTarget(' bank.accounts[1].balance '), { variable: 'bank.accounts[1].balance' });
  assert.deepEqual(parseLastWriteTarget('*busiest'), { variable: '*busiest' });
});

test('empty text, a zero length and stray symbols are refused', () => {
  assert.equal(parseLastWriteTarget('   '), undefined);
  assert.equal(parseLastWriteTarget('0x80200010 0'), undefined);
  assert.equal(parseLastWriteTarget('#?'), undefined);
});
