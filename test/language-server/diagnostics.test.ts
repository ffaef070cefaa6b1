/**
 * Diagnostics over LSP: each kind of problem on a crafted file, the assembler's lenient forms that must
 * pass, updates on edit (in the file and across files), and bad input that must not bring the server
 * down.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import { FIXTURES, LspClient, uriOf, WORKSPACE } from './lsp-client';

let client: LspClient;
const scratch = (name: string) => uriOf(join(WORKSPACE, 'scratch', name));

before(async () => { client = await LspClient.start(); });
after(() => client.stop());

/** One line per problem; the comment says what the server must report there. */
const BAD = [
  '    addd a0, a0, 1            # unknown instruction',
  '    addi a0, a0               # operand count',
  '    addi a0, a0, a1           # operand kind',
  '    addi a0, a0, 5000         # imm12 range',
  '    slli a0, a0, 32           # shamt5 range',
  '    csrrwi a0, mstatus, 32    # uimm5 range',
  '    lui a0, 0x100000          # uimm20 range',
  '    lw a0, 2048(sp)           # offset range',
  '    j nowhere                 # undefined label',
  '    beqz a0, 7f               # no local label after',
  '    c.lw a0, 4(a6)            # not a compressed register',
  '    csrr a0, hstatus          # not a CSR of the machine',
  '    addi A0, a0, 1            # upper-case register',
  '    .equ BIG, 3000',
  '    addi a0, a0, BIG          # range through .equ',
  '    addi a0, a0, dup          # an address is not a constant',
  'dup: nop',
  'dup: nop                      # duplicate label',
].join('\n');

interface Expected { line: number; code: string; severity: 1 | 2; message: RegExp; text?: string }

const EXPECTED: Expected[] = [
  { line: 0, code: 'unknown-instruction', severity: 1, message: /unknown instruction 'addd' \(did you mean 'addi'\?\)/, text: 'addd' },
  { line: 1, code: 'operands', severity: 1, message: /addi expects 3 operands \(addi rd, rs1, imm12\), got 2/ },
  { line: 2, code: 'operands', severity: 1, message: /addi: expected a signed 12-bit immediate, found register a1/, text: 'a1' },
  { line: 3, code: 'operands', severity: 1, message: /immediate out of range: 5000 \(imm12 of addi must be in -2048\.\.2047\)/, text: '5000' },
  { line: 4, code: 'operands', severity: 1, message: /32 \(shamt5 of slli must be in 0\.\.31\)/, text: '32' },
  { line: 5, code: 'operands', severity: 1, message: /32 \(uimm5 of csrrwi must be in 0\.\.31\)/, text: '32' },
  { line: 6, code: 'operands', severity: 1, message: /0x100000 \(= 1048576\) \(uimm20 of lui must be in 0\.\.0xfffff\)/, text: '0x100000' },
  { line: 7, code: 'operands', severity: 1, message: /offset out of range: 2048/, text: '2048(sp)' },
  { line: 8, code: 'undefined-symbol', severity: 2, message: /undefined symbol 'nowhere'.*\.extern nowhere/, text: 'nowhere' },
  { line: 9, code: 'undefined-local-label', severity: 1, message: /no local label '7:' after this line/, text: '7f' },
  { line: 10, code: 'operands', severity: 1, message: /c\.lw: expected .*x8–x15/, text: '4(a6)' },
  { line: 11, code: 'operands', severity: 2, message: /'hstatus' is not a CSR that Rewind's machine implements/, text: 'hstatus' },
  { line: 12, code: 'operands', severity: 1, message: /register names are lower case/, text: 'A0' },
  { line: 14, code: 'operands', severity: 1, message: /BIG \(= 3000\) \(imm12 of addi/, text: 'BIG' },
  { line: 15, code: 'operands', severity: 1, message: /'dup' is an address: write %lo\(dup\)/, text: 'dup' },
  { line: 17, code: 'duplicate-label', severity: 1, message: /label 'dup' is already defined on line 17/, text: 'dup' },
];

test('each kind of problem is reported once, on its operand, with a message that says what to do', async () => {
  const uri = scratch('bad.S');
  client.open(uri, BAD);
  const diagnostics = await client.diagnostics(uri);
  const lines = BAD.split('\n');
  const byLine = (line: number) => diagnostics.filter((d) => d.range.start.line === line);
  for (const e of EXPECTED) {
    const found = byLine(e.line);
    assert.equal(found.length, 1, `line ${e.line + 1} (${lines[e.line].trim()}): ${JSON.stringify(found)}`);
    const [d] = found;
    assert.equal(d.code, e.code, lines[e.line]);
    assert.equal(d.severity, e.severity, lines[e.line]);
    assert.equal(d.source, 'riscv-asm');
    assert.match(d.message as string, e.message);
    if (e.text) assert.equal(lines[e.line].slice(d.range.start.character, d.range.end.character), e.text);
  }
  assert.equal(diagnostics.length, EXPECTED.length, JSON.stringify(diagnostics.map((d) => [d.range.start.line, d.message])));
});

test('the assembler\'s lenient forms, macros, #defines and conditional code give no diagnostics', async () => {
  const uri = scratch('lenient.S');
  client.open(uri, readFileSync(join(FIXTURES, 'lenient.S'), 'utf8'));
  const diagnostics = await client.diagnostics(uri);
  assert.deepEqual(diagnostics.map((d) => `${d.range.start.line}: ${d.message}`), []);
});

test('fixing a problem clears its diagnostic at the next version', async () => {
  const uri = scratch('fix.S');
  client.open(uri, '    addi a0, a0, 4096\n');
  assert.equal((await client.diagnostics(uri, 1)).length, 1);
  client.change(uri, '    addi a0, a0, 2047\n', 2);
  assert.deepEqual(await client.diagnostics(uri, 2), []);
});

test('defining a label in another file clears the undefined-symbol warning here', async () => {
  const user = scratch('user.S');
  const provider = scratch('provider.S');
  client.open(user, '    call later_defined\n');
  const before: Diagnostic[] = await client.diagnostics(user);
  assert.match(before[0].message as string, /undefined symbol 'later_defined'/);
  client.open(provider, '    .globl later_defined\nlater_defined:\n    ret\n');
  await client.waitForDiagnostics(user, (d) => d.length === 0);
  client.change(provider, '    ret\n', 2);
  await client.waitForDiagnostics(user, (d) => d.length === 1);
});

test('bad input: binary garbage, huge lines, unterminated strings and comments, still answered', async () => {
  const garbage = [
    '\u0000\u0001\u0002 addi \uffff a0,,, (((',
    `    .word ${'1+'.repeat(20000)}1`,
    `${'x'.repeat(100_000)}:`,
    '    .asciz "never closed',
    '    li a0, \'',
    '    lw a0, )(',
    '    addi a0, a0, 99999999999999999999999999',
    '    %hi(x)',
    '#define CONTINUED \\',
    '/* never closed',
  ].join('\n');
  const uri = scratch('garbage.S');
  client.open(uri, garbage);
  const diagnostics = await client.diagnostics(uri);
  assert.ok(diagnostics.length > 0);
  for (const d of diagnostics) assert.ok(d.range.start.line >= 0 && d.range.start.character >= 0);
  assert.ok(client.running, 'the server is still running');
  // It still answers requests, including at positions that do not exist.
  assert.equal(await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 5000, character: 9 } }), null);
  assert.deepEqual(await client.request('textDocument/definition', { textDocument: { uri }, position: { line: 9, character: 99_999 } }), []);
  assert.deepEqual(await client.request('textDocument/references', {
    textDocument: { uri: scratch('never-opened.S') }, position: { line: 0, character: 0 }, context: { includeDeclaration: true },
  }), []);
});

test('a malformed message does not bring the server down', async () => {
  client.sendRaw('Content-Length: 9\r\n\r\n{"bad": }');
  const uri = scratch('after-garbage.S');
  client.open(uri, '    nop\n');
  assert.deepEqual(await client.diagnostics(uri), []);
  assert.ok(client.running);
});
