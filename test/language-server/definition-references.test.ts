/**
 * Go to definition and find references over LSP: labels and symbols across the workspace's files,
 * #defines in included headers, C functions, linker-script symbols, and local numeric labels resolved
 * by direction.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Location } from 'vscode-languageserver';
import { LspClient, positionOf, uriOf, WORKSPACE } from './lsp-client';

let client: LspClient;
const CRT0 = join(WORKSPACE, 'startup', 'crt0.S');
const GREETING = join(WORKSPACE, 'app', 'greeting.S');
const UART = join(WORKSPACE, 'lib', 'uart.S');

before(async () => {
  client = await LspClient.start();
  for (const path of [CRT0, GREETING, UART]) client.openFile(path);
});
after(() => client.stop());

async function definitionOf(path: string, marker: string, word = marker): Promise<Location[]> {
  const position = positionOf(readFileSync(path, 'utf8'), marker, word);
  return client.request<Location[]>('textDocument/definition', { textDocument: { uri: uriOf(path) }, position });
}

/** `file:line` (one-based) of each location, for readable assertions. */
const where = (locations: Location[]) =>
  locations.map((l) => `${l.uri.slice(l.uri.lastIndexOf('/') + 1)}:${l.range.start.line + 1}`).sort();

const lineOf = (path: string, marker: string) => positionOf(readFileSync(path, 'utf8'), marker).line + 1;

test('definition of a label in the same file', async () => {
  const found = await definitionOf(CRT0, 'la t0, trap_vector', 'trap_vector');
  assert.deepEqual(where(found), [`crt0.S:${lineOf(CRT0, 'trap_vector:')}`]);
  assert.equal(found[0].range.start.character, 0);
  assert.equal(found[0].range.end.character, 'trap_vector'.length);
});

test('definition of a global label in another file', async () => {
  assert.deepEqual(where(await definitionOf(GREETING, 'call uart_puts', 'uart_puts')), [`uart.S:${lineOf(UART, 'uart_puts:')}`]);
});

test('definition of a C function, a linker-script symbol and a #define in an included header', async () => {
  assert.deepEqual(where(await definitionOf(CRT0, 'call main', 'main')), ['main.c:7']);
  assert.deepEqual(where(await definitionOf(CRT0, 'la t0, _bss_start', '_bss_start')), [`link.ld:${lineOf(join(WORKSPACE, 'link.ld'), '_bss_start = .')}`]);
  assert.deepEqual(where(await definitionOf(UART, 'li t0, UART_BASE', 'UART_BASE')), ['platform.h:5']);
});

test('definition of .equ, = and macro symbols', async () => {
  assert.deepEqual(where(await definitionOf(GREETING, 'li a0, NEWLINE', 'NEWLINE')), ['greeting.S:2']);
  assert.deepEqual(where(await definitionOf(GREETING, 'li s1, REPEAT', 'REPEAT')), ['greeting.S:3']);
  assert.deepEqual(where(await definitionOf(GREETING, 'PUSH ra', 'PUSH')), ['greeting.S:5']);
  assert.deepEqual(where(await definitionOf(GREETING, 'bnez s1, .Lagain', '.Lagain')), [`greeting.S:${lineOf(GREETING, '.Lagain:')}`]);
});

test('local labels resolve by direction to the nearest definition', async () => {
  // uart.S has two `1:` labels; each `1b` means the one just before it.
  const text = readFileSync(UART, 'utf8').split('\n');
  const firstOne = text.findIndex((l) => l.startsWith('1:  lbu t1')) + 1;
  const secondOne = text.findIndex((l) => l.startsWith('1:  lbu a0')) + 1;
  assert.deepEqual(where(await definitionOf(UART, 'beqz t1, 1b', '1b')), [`uart.S:${firstOne}`]);
  assert.deepEqual(where(await definitionOf(UART, 'j 1b', '1b')), [`uart.S:${secondOne}`]);
  assert.deepEqual(where(await definitionOf(UART, 'beqz a0, 2f', '2f')), [`uart.S:${lineOf(UART, '2:  lw s0')}`]);
});

test('no definition for a mnemonic, a register or a comment', async () => {
  assert.deepEqual(await definitionOf(CRT0, 'csrw mtvec, t0', 'csrw'), []);
  assert.deepEqual(await definitionOf(CRT0, 'csrw mtvec, t0', 't0'), []);
  assert.deepEqual(await definitionOf(CRT0, '# clear .bss', 'clear'), []);
});

async function referencesOf(path: string, marker: string, word: string, includeDeclaration: boolean): Promise<Location[]> {
  const position = positionOf(readFileSync(path, 'utf8'), marker, word);
  return client.request<Location[]>('textDocument/references', {
    textDocument: { uri: uriOf(path) }, position, context: { includeDeclaration },
  });
}

test('references of a global label span the workspace, with or without its declaration', async () => {
  const uses = where(await referencesOf(UART, 'uart_putc:', 'uart_putc', false));
  assert.deepEqual(uses, [
    `greeting.S:${lineOf(GREETING, 'call uart_putc')}`,
    `uart.S:${lineOf(UART, '.globl uart_putc')}`,
    `uart.S:${lineOf(UART, '.type uart_putc')}`,
    `uart.S:${lineOf(UART, 'call uart_putc')}`,
  ].sort());
  const withDeclaration = where(await referencesOf(GREETING, 'call uart_putc', 'uart_putc', true));
  assert.deepEqual(withDeclaration, [...uses, `uart.S:${lineOf(UART, 'uart_putc:')}`].sort());
});

test('references of a local label are the references that resolve to it, not others of the same number', async () => {
  const found = where(await referencesOf(UART, '1:  lbu a0', '1', true));
  assert.deepEqual(found, [`uart.S:${lineOf(UART, '1:  lbu a0')}`, `uart.S:${lineOf(UART, 'j 1b')}`].sort());
});

test('the index follows edits: a renamed label is found at its new place, the old name nowhere', async () => {
  const uri = uriOf(join(WORKSPACE, 'scratch', 'edit.S'));
  client.open(uri, 'target:\n    j target\n');
  const at = { textDocument: { uri }, position: { line: 1, character: 7 } };
  assert.deepEqual(where(await client.request<Location[]>('textDocument/definition', at)), ['edit.S:1']);
  client.change(uri, '    nop\nmoved: nop\ntarget:\n    j target\n', 2);
  await client.diagnostics(uri, 2);
  const after = { textDocument: { uri }, position: { line: 3, character: 7 } };
  assert.deepEqual(where(await client.request<Location[]>('textDocument/definition', after)), ['edit.S:3']);
});
