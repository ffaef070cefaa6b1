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
  assert.deepEqual(parseStep('', LAST), { error: 'Type a step number, +N or -N from here, a percentage such as 50%, start or end (0 to 34,102).' });
  for (const text of ['12.5', 'abc', '1e3', '0x', '+', '5-']) {
    const answer = parseStep(text, LAST);
    assert.ok('error' in answer && answer.error.includes('0 to 34,102'), `"${text}" is refused: ${JSON.stringify(answer)}`);
  }
});

test('relative steps, percentages, start and end', () => {
  assert.deepEqual(parseStep('+500', LAST, 1_000), { step: 1_500 });
  assert.deepEqual(parseStep('-100', LAST, 1_000), { step: 900 });
  assert.deepEqual(parseStep('+0x10', LAST, 1_000), { step: 1_016 });
  assert.deepEqual(parseStep('50%', LAST, 1_000), { step: 17_051 });
  assert.deepEqual(parseStep('0%', LAST), { step: 0 });
  assert.deepEqual(parseStep('100 %', LAST), { step: LAST });
  assert.deepEqual(parseStep('start', LAST, 1_000), { step: 0 });
  assert.deepEqual(parseStep(' End ', LAST, 1_000), { step: LAST });
  assert.deepEqual(parseStep('-5', LAST, 2), { error: '-5 from step 2 is before the start of the recording (step 0).' });
  assert.deepEqual(parseStep('+100', LAST, 34_100), { error: '+100 from step 34,100 is past the end of the recording (step 34,102).' });
  assert.deepEqual(parseStep('150%', LAST), { error: '150% is past the end of the recording; type a percentage from 0% to 100%.' });
});

test('formats steps with thousands separators, as the CLI prints them', () => {
  assert.equal(formatStep(9_876_543), '9,876,543');
  assert.equal(formatStep(0), '0');
});
