/**
 * The workspace index over LSP: files found by the initial scan (and the folders it skips), files
 * created, changed and deleted on disk (as the client's file watcher reports them), headers re-read.
 * Each test works in its own temporary workspace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LspClient, uriOf } from './lsp-client';

const CREATED = 1;
const CHANGED = 2;
const DELETED = 3;

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'rewind-ls-'));
  for (const [name, text] of Object.entries(files)) write(root, name, text);
  return root;
}

function write(root: string, name: string, text: string): void {
  mkdirSync(dirname(join(root, name)), { recursive: true });
  writeFileSync(join(root, name), text);
}

const messages = (diagnostics: Array<{ message: unknown }>) => diagnostics.map((d) => d.message as string);

test('the scan indexes subfolders and skips node_modules and hidden folders', async () => {
  const root = workspace({
    'src/deep/lib.S': '    .globl found\nfound: ret\n',
    'node_modules/pkg/x.S': '    .globl in_dependency\nin_dependency: ret\n',
    '.cache/y.S': '    .globl in_hidden\nin_hidden: ret\n',
  });
  const client = await LspClient.start(root);
  try {
    const uri = uriOf(join(root, 'main.S'));
    client.open(uri, '    call found\n    call in_dependency\n    call in_hidden\n');
    const found = messages(await client.diagnostics(uri));
    assert.equal(found.length, 2);
    assert.match(found[0], /undefined symbol 'in_dependency'/);
    assert.match(found[1], /undefined symbol 'in_hidden'/);
  } finally {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

test('a file created, then deleted, on disk is indexed, then forgotten', async () => {
  const root = workspace({ 'main.S': '' });
  const client = await LspClient.start(root, { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } });
  try {
    const uri = uriOf(join(root, 'main.S'));
    client.open(uri, '    call helper\n');
    assert.match(messages(await client.diagnostics(uri))[0], /undefined symbol 'helper'/);
    write(root, 'lib/helper.S', '    .globl helper\nhelper: ret\n');
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(join(root, 'lib/helper.S')), type: CREATED }] });
    await client.waitForDiagnostics(uri, (d) => d.length === 0);
    rmSync(join(root, 'lib/helper.S'));
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(join(root, 'lib/helper.S')), type: DELETED }] });
    await client.waitForDiagnostics(uri, (d) => d.length === 1);
  } finally {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

test('a header changed on disk changes the constants of the files that include it', async () => {
  const root = workspace({ 'include/limits.h': '#define LIMIT 10\n' });
  const client = await LspClient.start(root);
  try {
    const uri = uriOf(join(root, 'main.S'));
    client.open(uri, '#include "limits.h"\n    addi a0, a0, LIMIT\n');
    assert.deepEqual(await client.diagnostics(uri), []);
    write(root, 'include/limits.h', '#define LIMIT 5000\n');
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(join(root, 'include/limits.h')), type: CHANGED }] });
    const after = await client.waitForDiagnostics(uri, (d) => d.length === 1);
    assert.match(after[0].message as string, /LIMIT \(= 5000\)/);
  } finally {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

test('an include that cannot be found turns the undefined-symbol check off for that file only', async () => {
  const root = workspace({});
  const client = await LspClient.start(root);
  try {
    const withHeader = uriOf(join(root, 'a.S'));
    const without = uriOf(join(root, 'b.S'));
    client.open(withHeader, '#include <missing/platform.h>\n    li a0, FROM_HEADER\n');
    client.open(without, '    li a0, FROM_HEADER\n');
    assert.deepEqual(await client.diagnostics(withHeader), []);
    assert.match(messages(await client.diagnostics(without))[0], /undefined symbol 'FROM_HEADER'/);
  } finally {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
