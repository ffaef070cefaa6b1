/**
 * No false diagnostics on real programs: with the repository open as the workspace (as a user opens
 * it), the examples' assembly sources and the fixture start-up code get no diagnostic at all. The
 * assembler-agreement test checks that the same files assemble.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { LspClient, REPO, WORKSPACE } from './lsp-client';

function assemblyFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return assemblyFiles(path);
    return ['.S', '.s', '.asm'].includes(extname(name)) ? [path] : [];
  });
}

const FILES = [...assemblyFiles(join(REPO, 'examples')), ...assemblyFiles(WORKSPACE)];

test('the examples include the start-up code and the UART program', () => {
  assert.ok(FILES.includes(join(REPO, 'examples', 'startup', 'crt0.S')));
  assert.ok(FILES.includes(join(REPO, 'examples', 'uart', 'uart.S')));
});

let client: LspClient;

before(async () => { client = await LspClient.start(REPO); });
after(() => client.stop());

for (const path of FILES) {
  test(`${path.slice(REPO.length + 1)} has no diagnostics`, async () => {
    const uri = client.openFile(path);
    const diagnostics = await client.diagnostics(uri);
    assert.deepEqual(diagnostics.map((d) => `${d.range.start.line + 1}: ${d.message}`), []);
  });
}

test('with only examples/uart open, __stack_top from ../common/virt.ld is known (the linker script just outside the folder)', async () => {
  const narrow = await LspClient.start(join(REPO, 'examples', 'uart'));
  try {
    const uri = narrow.openFile(join(REPO, 'examples', 'uart', 'uart.S'));
    assert.deepEqual((await narrow.diagnostics(uri)).map((d) => d.message), []);
  } finally {
    await narrow.stop();
  }
});
