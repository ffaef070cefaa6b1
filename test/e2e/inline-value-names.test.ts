/** The names the inline values provider asks the adapter for, on bug.c's remember() and post(). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { inlineNames } from '../../src/inline-value-names';
import { REPO } from './paths';

const lines = readFileSync(join(REPO, 'examples/bug/bug.c'), 'utf8').split('\n');
const lineOf = (text: string): number => lines.findIndex((l) => l.includes(text));

test('remember(): the parameters and member chains, no keywords, calls or strings', () => {
  const from = lineOf('static void remember(');
  const names = inlineNames(lines, from, lineOf('if (a->next > &a->recent[RECENT])'));
  const expressions = names.map((n) => n.expression);
  for (const e of ['a', 'amount', 'a->next', 'a->recent', 'RECENT']) assert.ok(expressions.includes(e), `${e} in ${expressions.join(' ')}`);
  for (const e of ['static', 'void', 'if', 'int32_t', 'struct', 'account', 'next', 'recent']) assert.ok(!expressions.includes(e), `${e} is not shown`);
  const first = names.find((n) => n.expression === 'a->next')!;
  assert.equal(lines[first.line].slice(first.start, first.end), 'a->next');
});

test('calls, strings and comments are left out', () => {
  const names = inlineNames(['    printf("%s balance", a->owner); // total x', '    post(&bank, &journal[i]);'], 0, 1).map((n) => n.expression);
  assert.deepEqual(names, ['a->owner', 'bank', 'journal', 'i']);
});
