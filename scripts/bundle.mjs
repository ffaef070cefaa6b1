// Bundles the entry points that ship into dist/: the CLI, language server, extension and adapter for node,
// and the webview pages (src/webview/*-page.ts, with their stylesheets) for the browser frame of a webview.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const forNode = {
  // The extension runs inside VS Code, which provides `vscode`; nothing else imports it.
  external: ['vscode'],
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
};

await build({
  entryPoints: { 'language-server': 'language-server/main.ts', extension: 'src/extension.ts', adapter: 'adapter/main.ts' },
  ...forNode,
});

// cli-main.js has what run, record, replay and info need; the gdb and mcp commands are bundles of their
// own that it loads when they run (cli/lazy-command.ts), so that a short run does not compile them. No
// #! line: cli.js runs it, wrapped in a function.
await build({ entryPoints: { 'cli-main': 'cli/main.ts' }, ...forNode, banner: {} });
// esbuild escapes non-ASCII characters in code but leaves comments as they are: escaped here too (a \u
// escape means the same character in any string, template or regular expression, and nothing in a
// comment), so that cli.js reads the bundle as one byte per character. A single non-ASCII character made
// V8 decode the whole source as UTF-8 into a two-byte string (twice the memory to scan and keep).
const cliMain = readFileSync('dist/cli-main.js', 'utf8');
writeFileSync('dist/cli-main.js', cliMain.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));

// The bin, cli.js, starts cli-main.js from V8's code cache (cli/start.ts), named by the bundle's hash.
const bundleId = createHash('sha256').update(readFileSync('dist/cli-main.js')).digest('hex').slice(0, 16);
await build({ entryPoints: { cli: 'cli/start.ts' }, ...forNode, define: { BUNDLE_ID: JSON.stringify(bundleId) } });
for (const old of readdirSync('dist').filter((name) => name.endsWith('.cache'))) rmSync(`dist/${old}`);
// A run of a short program compiles what most commands' starts need; its cache is there from the first start.
const training = spawnSync(process.execPath, ['dist/cli.js', 'run', 'examples/hello/hello.elf'], { stdio: 'ignore' });
if (training.status !== 0) console.warn(`bundle: the run that makes dist/cli.js's code cache ended with status ${training.status}`);

// The servers' bundles (the MCP one is mostly the MCP SDK, zod and ajv) are minified: each has its own
// copy of the emulator and the core, and the .vsix stays under 1 MB.
await build({ entryPoints: { 'gdb-command': 'cli/gdb-command.ts', 'mcp-command': 'cli/mcp-command.ts' }, ...forNode, minify: true });

await build({
  entryPoints: { timeline: 'src/webview/timeline-page.ts', 'value-plot': 'src/webview/value-plot-page.ts' },
  outdir: 'dist/webview',
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  format: 'esm',
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
});
