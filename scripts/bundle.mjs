// Bundles the entry points that ship (the CLI now; the adapter and extension later) into dist/.
import { build } from 'esbuild';

await build({
  entryPoints: { cli: 'cli/main.ts', 'language-server': 'language-server/main.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
