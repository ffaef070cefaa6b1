/**
 * The grammar is generated from the instruction table and the lists beside it: the committed file must
 * be exactly what the generator writes now, and every name of every table must come out coloured.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CSRS } from '../../emulator/isa/csrs';
import { INSTRUCTIONS, PSEUDO_INSTRUCTIONS } from '../../emulator/isa/instructions';
import { REGISTERS } from '../../emulator/isa/registers';
import { DIRECTIVES } from '../../language-server/directives';
import { GRAMMAR_PATH, grammarText, SCOPE } from '../../language-server/generate-grammar';
import { ORDERING_SUFFIXES } from '../../language-server/instruction-set';
import { RELOCATIONS } from '../../language-server/relocations';
import { REPO, runGrammarTests } from './grammar-run';

test('the committed grammar is what the generator writes from the current tables', () => {
  const committed = readFileSync(join(REPO, GRAMMAR_PATH), 'utf8');
  assert.ok(committed === grammarText(),
    `${GRAMMAR_PATH} is out of date: run \`npx tsc -p . && node out/language-server/generate-grammar.js\` and commit it`);
  const grammar = JSON.parse(committed);
  assert.equal(grammar.scopeName, SCOPE);
  assert.deepEqual(grammar.fileTypes, ['s', 'S', 'asm']);
});

/** One line and one assertion per name: `    name` then `#   ^^^^ scope`. */
function assertionLines(line: string, column: number, length: number, scope: string): string[] {
  return [line, `#${' '.repeat(column - 1)}${'^'.repeat(length)} ${scope}`];
}

test('every instruction, register, CSR, directive and relocation of the tables is coloured', () => {
  const lines = ['# SYNTAX TEST "source.riscv-asm" "every name of the tables"'];
  for (const i of INSTRUCTIONS) {
    const scope = `keyword.other.instruction.${i.extension.toLowerCase()}.riscv-asm`;
    lines.push(...assertionLines(`    ${i.name}`, 4, i.name.length, scope));
    if (i.extension === 'A') {
      for (const s of ORDERING_SUFFIXES) lines.push(...assertionLines(`    ${i.name}.${s}`, 4, i.name.length + s.length + 1, scope));
    }
  }
  for (const p of PSEUDO_INSTRUCTIONS) lines.push(...assertionLines(`    ${p.name}`, 4, p.name.length, 'keyword.other.instruction.pseudo.riscv-asm'));
  const registers = [...REGISTERS.map((r) => r.abi), ...REGISTERS.map((r) => `x${r.number}`), 'fp'];
  for (const r of registers) lines.push(...assertionLines(`    mv a0, ${r}`, 11, r.length, 'variable.language.register.riscv-asm'));
  for (const c of CSRS) lines.push(...assertionLines(`    csrr a0, ${c.name}`, 13, c.name.length, 'variable.language.csr.riscv-asm'));
  for (const d of DIRECTIVES) lines.push(...assertionLines(`    ${d.name} x`, 4, d.name.length, 'keyword.control.directive.riscv-asm'));
  for (const r of RELOCATIONS) lines.push(...assertionLines(`    lui a0, %${r.name}(x)`, 12, r.name.length + 1, 'support.function.relocation.riscv-asm'));
  const dir = mkdtempSync(join(tmpdir(), 'rewind-grammar-'));
  const path = join(dir, 'tables.S');
  writeFileSync(path, `${lines.join('\n')}\n`);
  const run = runGrammarTests(path);
  assert.equal(run.status, 0, run.output);
});
