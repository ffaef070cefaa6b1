// Bundles the entry points that ship into dist/: the CLI, language server, extension and adapter for node,
// and the webview pages (src/webview/*-page.ts, with their stylesheets) for the browser frame of a webview.
import { build } from 'esbuild';

await build({
  entryPoints: { cli: 'cli/main.ts', 'language-server': 'language-server/main.ts', extension: 'src/extension.ts', adapter: 'adapter/main.ts' },
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
});

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
