/** The step numbers that Go to Step and the step breakpoint commands accept, and what they say otherwise. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatStep, parseStep } from '../../src/step-input';

const LAST = 34_102;

test('accepts plain, grouped and hexadecimal step numbers within the recording', () => {
  assert.deepEqual(parseStep('20000', LAST), { step: 20_000 });
  assert.deepEqual(parseStep(' 20,000 ', LAST), { step: 20_000 });
  assert.deepEqual(parseStep('20_000', LAST), { step: 20_000 });
  assert.deepEqual(parseStep('0x4e20', LAST), { step: 20_000 });
  assert.deepEqual(parseStep('0', LAST), { step: 0 });
  assert.deepEqual(parseStep('34102', LAST), { step: LAST });
});

test('refuses a step past the end of the recording, saying where it ends', () => {
  assert.deepEqual(parseStep('34103', LAST), { error: 'The recording ends at step 34,102; type a step from 0 to 34,102.' });
});

test('refuses what is not a whole number, and an empty box, with the range to type', () => {
  assert.deepEqual(parseStep('', LAST), { error: 'Type a step number from 0 to 34,102.' });
  for (const text of ['-5', '12.5', 'abc', '1e3', '0x']) {
    const answer = parseStep(text, LAST);
    assert.ok('error' in answer && answer.error.includes('0 to 34,102'), `"${text}" is refused: ${JSON.stringify(answer)}`);
  }
});

test('formats steps with thousands separators, as the CLI prints them', () => {
  assert.equal(formatStep(9_876_543), '9,876,543');
  assert.equal(formatStep(0), '0');
});
