/**
 * `rewind gdb` and `rewind mcp` come from bundles of their own, loaded when they run (cli/lazy-command.ts),
 * so that every other command starts without compiling the GDB stub, the MCP SDK, zod and ajv. (dist/cli.js
 * starts the main bundle, dist/cli-main.js, from its code cache: cli/start.ts.)
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { rewind, ROOT } from './rewind-cli';

test('dist/cli-main.js holds what run, record, replay and info need, and neither the GDB stub nor the MCP server', () => {
  // What each server's protocol names: gdb's first query, the MCP request that lists tools.
  const bundle = readFileSync(join(ROOT, 'dist/cli-main.js'), 'latin1');
  assert.ok(bundle.includes('rewind run needs a program'));
  for (const server of ['qSupported', 'tools/list', 'zod']) assert.ok(!bundle.includes(server), `dist/cli-main.js has no ${server}`);
  assert.ok(readFileSync(join(ROOT, 'dist/gdb-command.js'), 'latin1').includes('qSupported'));
  assert.ok(readFileSync(join(ROOT, 'dist/mcp-command.js'), 'latin1').includes('tools/list'));
});

test('an error in a command of its own bundle is still a user error, not an internal one', () => {
  const missing = rewind(['gdb', 'no-such.rewind']);
  assert.equal(missing.status, 1, missing.stderr);
  assert.match(missing.stderr, /^rewind: no such file: no-such\.rewind\n$/);
  const usage = rewind(['gdb', 'x.rewind', '--port', '70000']);
  assert.equal(usage.status, 2, usage.stderr);
  assert.match(usage.stderr, /^rewind: --port must be a TCP port .*\nusage:/);
  const mcp = rewind(['mcp', '--max-steps', 'many']);
  assert.equal(mcp.status, 2, mcp.stderr);
  assert.match(mcp.stderr, /^rewind: --max-steps must be/);
});
