// `npm run package`: builds rewind-riscv.vsix with @vscode/vsce from what `npm run build` bundled into
// dist/ (see .vscodeignore: no node_modules, sources or tests), and prints its size.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
export const VSIX = join(repo, 'rewind-riscv.vsix');

for (const bundle of ['extension.js', 'adapter.js', 'language-server.js', 'cli.js', 'cli-main.js', 'gdb-command.js', 'mcp-command.js', 'webview/timeline.js', 'webview/value-plot.js', 'webview/value-plot.css']) {
  try {
    statSync(join(repo, 'dist', bundle));
  } catch {
    console.error(`package: dist/${bundle} is missing; "npm run build" makes it (the adapter bundle comes from adapter/main.ts once it exists).`);
    process.exit(1);
  }
}

const vsce = join(dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json')), 'vsce');
execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license',
  '--no-rewrite-relative-links', '--out', VSIX], { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] });
console.log(`package: ${VSIX} (${(statSync(VSIX).size / 1024).toFixed(0)} KiB)`);
