// Bundles the entry points that ship (the CLI now; the adapter and extension later) into dist/.
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
