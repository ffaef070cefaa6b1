/**
 * The grammar against annotated sample files (test/grammar/fixtures/*.S): each `#   ^^^ scope` line
 * asserts the scopes of the characters above it. vscode-tmgrammar-test tokenizes with vscode-textmate
 * and oniguruma, as VS Code does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGrammarTests } from './grammar-run';

test('the annotated fixtures tokenize as their assertions say', () => {
  const run = runGrammarTests('test/grammar/fixtures/*.S');
  assert.equal(run.status, 0, run.output);
  for (const name of ['instructions', 'operands', 'directives-labels', 'comments-preprocessor']) {
    assert.match(run.output, new RegExp(`${name}\\.S`), `${name}.S was run`);
  }
});

test('a wrong assertion fails, so the fixtures are really checked', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-grammar-'));
  const path = join(dir, 'wrong.S');
  writeFileSync(path, [
    '# SYNTAX TEST "source.riscv-asm" "a deliberately wrong assertion"',
    '    addi a0, a0, 1',
    '#   ^^^^ variable.language.register.riscv-asm',
  ].join('\n'));
  const run = runGrammarTests(path);
  assert.notEqual(run.status, 0);
  assert.match(run.output, /missing required scopes: \[ variable\.language\.register\.riscv-asm \]/i);
});
