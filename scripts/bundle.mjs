// Bundles the entry points that ship into dist/: the CLI, language server, extension and adapter for node,
// and the webview pages (src/webview/*-page.ts, with their stylesheets) for the browser frame of a webview.
import { build } from 'esbuild';

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
  // cli.js has what run, record, replay and info need; the gdb and mcp commands are bundles of their own
  // that cli.js loads when they run (cli/lazy-command.ts), so that a short run does not compile them.
  entryPoints: {
    cli: 'cli/main.ts',
    'language-server': 'language-server/main.ts', extension: 'src/extension.ts', adapter: 'adapter/main.ts',
  },
  ...forNode,
});

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
