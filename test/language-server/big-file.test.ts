/**
 * The analysis of a 10,000-line file (parse, index, every diagnostic check) runs all its checks and finds
 * the generated program valid: nothing is skipped to be fast. How fast it is (well under 100 ms) is
 * measured by the benchmark, `npm run bench -- language-server`, not here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { documentDiagnostics } from '../../language-server/diagnostics';
import { WorkspaceIndex } from '../../language-server/workspace-index';
import { BIG_PROGRAM_LINES, generateProgram } from './big-program';

test(`a ${BIG_PROGRAM_LINES.toLocaleString('en')}-line file is analysed whole and found valid`, () => {
  const text = generateProgram(BIG_PROGRAM_LINES);
  assert.equal(text.split('\n').length, BIG_PROGRAM_LINES);
  const index = new WorkspaceIndex();
  const file = index.update('file:///generated/big.S', 'asm', text);
  assert.deepEqual(documentDiagnostics(file.parsed, index.environment(file)), []);
  assert.ok(file.parsed.statements.length > BIG_PROGRAM_LINES * 0.8);
  // The same file with one mistake gets exactly that diagnostic: the checks really ran over it.
  const broken = text.replace('    call function_0', '    call function_0\n    addi a0, a0, 5000');
  const brokenFile = index.update('file:///generated/big.S', 'asm', broken);
  const found = documentDiagnostics(brokenFile.parsed, index.environment(brokenFile));
  assert.equal(found.length, 1, JSON.stringify(found));
});
