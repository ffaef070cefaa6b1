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

// esbuild escapes non-ASCII characters in code but leaves comments as they are: escaped here too (a \u
// escape means the same character in any string, template or regular expression, and nothing in a
// comment), so that cli.js reads the bundle as one byte per character. A single non-ASCII character made
// V8 decode the whole source as UTF-8 into a two-byte string (twice the memory to scan and keep). Returns
// the bundle's content hash, which names its code cache (cli/cached-bundle.ts).
function asciiBundle(file) {
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  return createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
}

// The bundles that cli/cached-bundle.ts starts are written as Node's own wrapper of a CommonJS module, a
// function expression of the module's variables, so that the script it compiles is the file's text as read.
// Wrapped when read (a string concatenated to the text), V8 copied the whole 420 KB source into a flat
// string of its own before it could look up the code cache: ~100 more pages of fresh memory at every start.
const asFunction = { banner: { js: '(function (exports, require, module, __filename, __dirname) {' }, footer: { js: '})' } };

// cli-main.js has what run, record, replay and info need; the gdb and mcp commands are bundles of their
// own that it loads when they run (cli/lazy-command.ts), so that a short run does not compile them. No
// #! line in any of them: each is a function expression (asFunction, above). The servers' bundles (the MCP one is mostly
// the MCP SDK, zod and ajv) are minified: each has its own copy of the emulator and the core, and the
// .vsix stays under 1 MB.
const lazyBundles = { 'gdb-command': 'cli/gdb-command.ts', 'mcp-command': 'cli/mcp-command.ts' };
await build({ entryPoints: lazyBundles, ...forNode, ...asFunction, minify: true });
const lazyIds = Object.fromEntries(Object.keys(lazyBundles).map((name) => [name, asciiBundle(`dist/${name}.js`)]));
// Whitespace and comments left out of cli-main.js (457 -> 304 KB; names and code as they are): every
// start reads the bundle into memory and copies it into a string, ~58 fewer page faults, hello's read
// phase 6.6 -> 5.1 ms of CPU at load ~14 (medians of 14 interleaved runs, session 18). A stack trace
// (REWIND_DEBUG=1) points into long lines: `node --enable-source-maps` maps it back through cli-main.js.map.
await build({ entryPoints: { 'cli-main': 'cli/main.ts' }, ...forNode, ...asFunction, minifyWhitespace: true, define: { LAZY_BUNDLE_IDS: JSON.stringify(lazyIds) } });

// The bin, cli.js, starts cli-main.js from V8's code cache (cli/start.ts), named by the bundle's hash.
const bundleId = asciiBundle('dist/cli-main.js');
await build({ entryPoints: { cli: 'cli/start.ts' }, ...forNode, define: { BUNDLE_ID: JSON.stringify(bundleId) } });
for (const old of readdirSync('dist').filter((name) => name.endsWith('.cache'))) rmSync(`dist/${old}`);
// A run of a short program compiles what most commands' starts need; its cache is there from the first
// start. An MCP session (initialize, the tool list, end of input) makes the MCP server's; the GDB stub's
// is made at the end of its first session.
const training = spawnSync(process.execPath, ['dist/cli.js', 'run', 'examples/hello/hello.elf'], { stdio: 'ignore' });
if (training.status !== 0) console.warn(`bundle: the run that makes dist/cli.js's code cache ended with status ${training.status}`);
const mcpRequests = [
  { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'bundle', version: '1' } } },
  { jsonrpc: '2.0', method: 'notifications/initialized' },
  { jsonrpc: '2.0', id: 2, method: 'tools/list' },
];
const mcpInput = mcpRequests.map((request) => `${JSON.stringify(request)}\n`).join('');
const mcpTraining = spawnSync(process.execPath, ['dist/cli.js', 'mcp', 'examples/bug/bug.rewind'], { input: mcpInput, stdio: ['pipe', 'ignore', 'ignore'] });
if (mcpTraining.status !== 0) console.warn(`bundle: the MCP session that makes the MCP server's code cache ended with status ${mcpTraining.status}`);

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
