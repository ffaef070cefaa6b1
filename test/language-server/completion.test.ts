/** Completion over LSP, by position in the statement: mnemonics, directives, registers, CSRs, symbols. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { CompletionItem, CompletionList } from 'vscode-languageserver';
import { LspClient, uriOf, WORKSPACE } from './lsp-client';

let client: LspClient;
const URI = uriOf(join(WORKSPACE, 'scratch', 'completion.S'));
let version = 1;

before(async () => {
  client = await LspClient.start();
  client.open(URI, '');
});
after(() => client.stop());

/** Completion at the `|` of `line` (the document is just that line, after a local label definition). */
async function complete(line: string): Promise<string[]> {
  const text = `local_label:\n${line.replace('|', '')}\n`;
  client.change(URI, text, ++version);
  const result = await client.request<CompletionList | null>('textDocument/completion', {
    textDocument: { uri: URI }, position: { line: 1, character: line.indexOf('|') },
  });
  return (result?.items ?? []).map((i: CompletionItem) => i.label);
}

test('at the start of a statement: mnemonics of every extension, pseudo-instructions and directives', async () => {
  const labels = await complete('    ad|');
  for (const expected of ['addi', 'add', 'mulhu', 'amoswap.w', 'c.addi', 'csrrw', 'fence.i', 'mret', 'li', 'call', '.word', '.section']) {
    assert.ok(labels.includes(expected), `${expected} is offered`);
  }
  assert.ok(!labels.includes('a0'), 'no register at the mnemonic');
});

test('after a label and after `;` it is still the start of a statement', async () => {
  assert.ok((await complete('here: n|')).includes('nop'));
  assert.ok((await complete('    nop; r|')).includes('ret'));
});

test('a leading `.` offers directives only, with documentation', async () => {
  client.change(URI, 'local_label:\n    .wo\n', ++version);
  const result = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: URI }, position: { line: 1, character: 7 } });
  const labels = result.items.map((i) => i.label);
  assert.ok(labels.every((l) => l.startsWith('.')));
  const word = result.items.find((i) => i.label === '.word')!;
  assert.equal(word.detail, '.word expr, ...');
  // The edit replaces the whole `.wo`, dot included, whatever the client thinks a word is.
  assert.deepEqual((word.textEdit as { range: unknown }).range, { start: { line: 1, character: 4 }, end: { line: 1, character: 7 } });
});

test('register operands offer registers, ABI names first; not CSRs', async () => {
  const labels = await complete('    addi |');
  assert.ok(labels.includes('a0') && labels.includes('sp') && labels.includes('x31') && labels.includes('fp'));
  assert.ok(!labels.includes('mstatus'));
});

test('a CSR operand offers the CSRs', async () => {
  const labels = await complete('    csrr a0, m|');
  assert.ok(labels.includes('mstatus') && labels.includes('mtvec') && labels.includes('mhartid'));
  assert.ok((await complete('    csrw |')).includes('mepc'));
});

test('a jump target offers labels of this file and global symbols of the workspace', async () => {
  const labels = await complete('    call |');
  assert.ok(labels.includes('local_label'), 'a label of this file');
  assert.ok(labels.includes('uart_puts'), 'a global label of another file');
  assert.ok(labels.includes('main'), 'a C function');
  assert.ok(!labels.includes('a0'), 'no register as a call target');
});

test('after `%` the relocation operators; inside `offset(` only registers', async () => {
  const relocations = await complete('    lui a0, %|');
  assert.ok(relocations.includes('%hi') && relocations.includes('%pcrel_hi'));
  const base = await complete('    lw a0, 4(|');
  assert.ok(base.includes('sp') && !base.includes('local_label'));
});

test('nothing in a comment, a string or a preprocessor line', async () => {
  assert.deepEqual(await complete('    nop # ad|'), []);
  assert.deepEqual(await complete('    .asciz "ad|'), []);
  assert.deepEqual(await complete('#include "ad|'), []);
});
