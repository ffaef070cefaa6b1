/** The outline of assembly files over LSP: sections holding their labels, constants, macros. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DocumentSymbol, SymbolKind } from 'vscode-languageserver';
import { LspClient, uriOf, WORKSPACE } from './lsp-client';

let client: LspClient;

before(async () => { client = await LspClient.start(); });
after(() => client.stop());

async function symbolsOf(path: string): Promise<DocumentSymbol[]> {
  const uri = client.openFile(path);
  return client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
}

const KIND_NAMES = new Map(Object.entries(SymbolKind).map(([name, value]) => [value, name]));
const outline = (symbols: DocumentSymbol[]): unknown =>
  symbols.map((s) => (s.children?.length ? { [s.name]: outline(s.children) } : `${s.name}:${KIND_NAMES.get(s.kind)}`));

const contains = (outer: DocumentSymbol['range'], inner: DocumentSymbol['range']) =>
  (outer.start.line < inner.start.line || (outer.start.line === inner.start.line && outer.start.character <= inner.start.character))
  && (outer.end.line > inner.end.line || (outer.end.line === inner.end.line && outer.end.character >= inner.end.character));

test('start-up code: its section, with the labels as functions and no local numeric labels', async () => {
  const symbols = await symbolsOf(join(WORKSPACE, 'startup', 'crt0.S'));
  assert.deepEqual(outline(symbols), [
    { '.text.init': ['_start:Function', 'park:Function', 'trap_vector:Function', 'exit_qemu:Function'] },
  ]);
});

test('data labels, constants and macros are told apart', async () => {
  const symbols = await symbolsOf(join(WORKSPACE, 'app', 'greeting.S'));
  assert.deepEqual(outline(symbols), [
    'NEWLINE:Constant', 'REPEAT:Constant', 'PUSH:Method',
    { '.data': ['message:Variable', 'table:Variable', 'scratch:Variable'] },
    { '.text': ['greet:Function', '.Lagain:Function'] },
  ]);
});

test('every range contains its selection range, and a section contains its labels', async () => {
  const check = (symbols: DocumentSymbol[], parent?: DocumentSymbol) => {
    for (const s of symbols) {
      assert.ok(contains(s.range, s.selectionRange), `${s.name}: selection outside range`);
      if (parent) assert.ok(contains(parent.range, s.range), `${s.name} is outside ${parent.name}`);
      check(s.children ?? [], s);
    }
  };
  check(await symbolsOf(join(WORKSPACE, 'lib', 'uart.S')));
  check(await symbolsOf(join(WORKSPACE, 'app', 'greeting.S')));
});

test('a label runs to the line before the next label', async () => {
  const symbols = await symbolsOf(join(WORKSPACE, 'lib', 'uart.S'));
  const [text] = symbols;
  const [putc, puts] = text.children!;
  assert.equal(putc.name, 'uart_putc');
  assert.ok(putc.range.end.line < puts.range.start.line);
  assert.equal(putc.range.end.line, puts.range.start.line - 1);
});

test('an empty or label-less document has an empty outline', async () => {
  const uri = uriOf(join(WORKSPACE, 'scratch', 'empty.S'));
  client.open(uri, '');
  assert.deepEqual(await client.request('textDocument/documentSymbol', { textDocument: { uri } }), []);
});
