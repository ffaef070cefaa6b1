/**
 * The commands that few runs need (the GDB stub; the MCP server with its SDK, zod and ajv) are loaded
 * only when they run: `rewind run` and `rewind record` then start without compiling ~2 MB of code they
 * never call (~0.1 s of every process). In dist/ each is its own bundle beside cli.js (scripts/bundle.mjs);
 * under out/ it is the compiled module beside this one: the same name in both.
 */
import { join } from 'node:path';
import type { gdbCommand } from './gdb-command';
import type { mcpCommand } from './mcp-command';

interface LazyCommands {
  'gdb-command': { gdbCommand: typeof gdbCommand };
  'mcp-command': { mcpCommand: typeof mcpCommand };
}

export function loadCommand<Name extends keyof LazyCommands>(name: Name): LazyCommands[Name] {
  // A path computed at run time, which esbuild leaves to Node instead of bundling.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(__dirname, `${name}.js`)) as LazyCommands[Name];
}
