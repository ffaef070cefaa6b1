/** `npm run package` ships only the bundles (the webview pages too), the manifest, the grammar and the language configuration. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO, VSIX } from './paths';
import { vsixEntries } from './vsix-entries';

test('the .vsix holds the bundles and the manifest, and no node_modules, sources, tests or source maps', () => {
  execFileSync(process.execPath, [join(REPO, 'scripts', 'package.mjs')], { cwd: REPO, stdio: 'pipe' });
  const files = vsixEntries(VSIX).filter((f) => f.startsWith('extension/')).map((f) => f.slice('extension/'.length));
  for (const bundle of ['dist/extension.js', 'dist/adapter.js', 'dist/language-server.js', 'dist/cli.js', 'dist/cli-main.js', 'dist/gdb-command.js', 'dist/mcp-command.js',
    'dist/webview/timeline.js', 'dist/webview/value-plot.js', 'dist/webview/value-plot.css', 'package.json',
    'syntaxes/riscv-asm.tmLanguage.json', 'language-configuration.json', 'media/reverse-step-into-dark.svg', 'media/reverse-step-out-light.svg',
    // The walkthrough's pages (package.json: contributes.walkthroughs).
    'media/walkthrough/f5.md', 'media/walkthrough/step-back.md', 'media/walkthrough/stray-write.md', 'media/walkthrough/go-to-step.md']) {
    assert.ok(files.includes(bundle), `${bundle} is in the .vsix (it has: ${files.join(', ')})`);
  }
  const unwanted = files.filter((f) => /node_modules\/|\.ts$|\.map$|^(src|test|adapter|emulator|examples)\//.test(f));
  assert.deepEqual(unwanted, []);
  // A guard against shipping what the list above cannot name (a stray folder, dependencies copied in):
  // those add megabytes. The bundles grow with the product: 1,001,009 bytes at e4cd23a (session 11),
  // most of it the MCP SDK (~298 KB compressed), the debug adapter (~182 KB) and the extension (~156 KB,
  // not minified).
  assert.ok(statSync(VSIX).size < 1_100_000, `the .vsix stays small (${statSync(VSIX).size} bytes)`);
});
