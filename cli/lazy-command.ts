/**
 * The commands that few runs need (the GDB stub; the MCP server with its SDK, zod and ajv) are loaded
 * only when they run: `rewind run` and `rewind record` then start without compiling ~2 MB of code they
 * never call (~0.1 s of every process). In dist/ each is its own bundle beside cli.js (scripts/bundle.mjs),
 * started from V8's code cache of it (cli/cached-bundle.ts); under out/ it is the compiled module beside
 * this one: the same name in both.
 */
import { join } from 'node:path';
import { cacheFileOf, runCachedBundle } from './cached-bundle';
import type { gdbCommand } from './gdb-command';
import type { mcpCommand } from './mcp-command';

interface LazyCommands {
  'gdb-command': { gdbCommand: typeof gdbCommand };
  'mcp-command': { mcpCommand: typeof mcpCommand };
}

/** The bundles' content hashes, by name (scripts/bundle.mjs defines them in dist/; under out/ there are none). */
declare const LAZY_BUNDLE_IDS: Record<keyof LazyCommands, string>;

export function loadCommand<Name extends keyof LazyCommands>(name: Name): LazyCommands[Name] {
  const file = join(__dirname, `${name}.js`);
  if (typeof LAZY_BUNDLE_IDS === 'undefined') {
    // A path computed at run time, which esbuild leaves to Node instead of bundling.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as LazyCommands[Name];
  }
  const module = { exports: {} };
  runCachedBundle(file, cacheFileOf(__dirname, name, LAZY_BUNDLE_IDS[name]), module, require);
  return module.exports as LazyCommands[Name];
}
