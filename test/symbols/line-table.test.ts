/** The line table against `objdump --dwarf=decodedline`, and line breakpoint resolution on bug.c. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { compareLinesWithObjdump } from './dwarf-comparison';
import { loadProgramSymbols } from '../../debugger/symbols/program-symbols';
import { decodedLines } from './objdump-output';
import { EXAMPLES, examplePath, exampleSymbols, markerLine } from './examples';

for (const name of EXAMPLES) {
  test(`every line row of ${name} matches objdump`, () => {
    compareLinesWithObjdump(examplePath(name));
  });

  test(`locationAt in ${name} gives the last row at each address`, () => {
    const path = examplePath(name);
    const symbols = exampleSymbols(name);
    const rows = decodedLines(path);
    let checked = 0;
    for (let i = 0; i + 1 < rows.length; i++) {
      const row = rows[i];
      const next = rows[i + 1];
      if (row.line === undefined || next.address <= row.address) continue;
      for (const pc of [row.address, next.address - 1]) {
        const location = symbols.locationAt(pc);
        assert.ok(location, `no location for 0x${pc.toString(16)}`);
        assert.equal(basename(location.file), row.file, `file at 0x${pc.toString(16)}`);
        assert.equal(location.line, row.line, `line at 0x${pc.toString(16)}`);
      }
      checked++;
    }
    assert.ok(checked > 5);
    if (rows.some((r) => r.isStmt)) assert.ok(symbols.isStatementStart(rows.find((r) => r.isStmt)!.address));
  });
}

test('source paths are absolute, next to the ELF (DW_AT_comp_dir is ".")', () => {
  const files = exampleSymbols('bug/bug.elf').sourceFiles();
  assert.ok(files.includes(examplePath('bug/bug.c')), files.join('\n'));
  assert.ok(files.every((f) => f.startsWith('/')));
  assert.ok(exampleSymbols('uart/uart.elf').sourceFiles().includes(examplePath('uart/uart.S')));
});

test('a sourceRoot option moves relative paths', () => {
  const path = examplePath('bug/bug.elf');
  const symbols = loadProgramSymbols(readFileSync(path), path, { sourceRoot: '/elsewhere/src' });
  assert.ok(symbols.sourceFiles().includes('/elsewhere/src/bug.c'));
});

test('a breakpoint on a line with code stays there; on a comment or blank line it moves to the next line with code', () => {
  const symbols = exampleSymbols('bug/bug.elf');
  const source = examplePath('bug/bug.c');
  const lines = readFileSync(source, 'utf8').split('\n');
  const corrupt = markerLine(source, '#BP_CORRUPT');
  const exact = symbols.resolveLine(source, corrupt);
  assert.equal(exact?.line, corrupt);
  assert.equal(exact.addresses.length, 1);
  assert.equal(symbols.locationAt(exact.addresses[0])?.line, corrupt);
  assert.equal(symbols.functionAt(exact.addresses[0])?.name, 'remember');

  // The comment line above remember() and the blank line above that.
  const comment = lines.findIndex((l) => l.startsWith('/* Remembers')) + 1;
  assert.ok(comment > 0 && lines[comment - 2].trim() === '', 'bug.c changed: expected a blank line before the comment');
  // The next line with code, by objdump: remember's opening brace (GCC gives the entry that line).
  const nextWithCode = Math.min(...decodedLines(examplePath('bug/bug.elf'))
    .filter((r) => r.file === 'bug.c' && r.isStmt && r.line !== undefined && r.line > comment).map((r) => r.line!));
  assert.ok(nextWithCode > comment && nextWithCode <= corrupt);
  for (const line of [comment - 1, comment]) {
    const moved = symbols.resolveLine(source, line);
    assert.equal(moved?.line, nextWithCode, `line ${line}`);
    assert.equal(symbols.functionAt(moved.addresses[0])?.name, 'remember');
  }
  // A relative name works too, and a line after the last code has nowhere to go.
  assert.equal(symbols.resolveLine('bug.c', corrupt)?.line, corrupt);
  assert.equal(symbols.resolveLine(source, lines.length + 10), undefined);
  assert.equal(symbols.resolveLine('/no/such/file.c', 3), undefined);
});

test('a for-loop line gets one breakpoint address, the first of its code', () => {
  const symbols = exampleSymbols('bug/bug.elf');
  const source = examplePath('bug/bug.c');
  const lines = readFileSync(source, 'utf8').split('\n');
  const loop = lines.findIndex((l) => l.includes('for (uint32_t i = 0; i < JOURNAL_LEN; i++)')) + 1;
  const resolved = symbols.resolveLine(source, loop);
  assert.equal(resolved?.line, loop);
  assert.equal(resolved.addresses.length, 1);
  const rows = decodedLines(examplePath('bug/bug.elf')).filter((r) => r.file === 'bug.c' && r.line === loop && r.isStmt);
  assert.ok(rows.length >= 2, 'expected the loop line to have several statement rows');
  assert.equal(resolved.addresses[0], Math.min(...rows.map((r) => r.address)));
});

