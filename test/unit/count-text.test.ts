/** Counts in every front end read as en-US writes them, without ICU. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countText } from '../../debugger/count-text';

test('countText groups digits by threes exactly as toLocaleString("en-US") does', () => {
  for (const n of [0, 7, 999, 1000, 12345, 100000, 999999, 1000000, 30415554, 1200262423, 10050262437, Number.MAX_SAFE_INTEGER, -1, -1234, -1234567]) {
    assert.equal(countText(n), n.toLocaleString('en-US'), String(n));
  }
});
