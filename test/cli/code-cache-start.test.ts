/**
 * dist/cli.js starts the command line from V8's code cache of dist/cli-main.js (cli/start.ts): a copy of
 * the two without a cache makes one at its first exit, and runs the same with it, with a cache V8
 * rejects, and where it cannot write one. The MCP server's bundle is started from a cache of its own.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EXAMPLES, ROOT } from './rewind-cli';

const HELLO = join(EXAMPLES, 'hello/hello.elf');

function run(dir: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(dir, 'cli.js'), 'run', HELLO, '--hash'], { encoding: 'latin1', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function caches(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith('.cache'));
}

function copyOfCli(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-start-'));
  for (const file of ['cli.js', 'cli-main.js', 'mcp-command.js']) copyFileSync(join(ROOT, 'dist', file), join(dir, file));
  return dir;
}

/** An MCP session over examples/bug's recording: initialize, the tool list, then the end of its input. */
function mcpSession(dir: string): { status: number | null; stdout: string; stderr: string } {
  const requests = [
    { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'test', version: '1' } } },
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { jsonrpc: '2.0', id: 2, method: 'tools/list' },
  ];
  const input = requests.map((request) => `${JSON.stringify(request)}\n`).join('');
  const r = spawnSync(process.execPath, [join(dir, 'cli.js'), 'mcp', join(EXAMPLES, 'bug/bug.rewind')], { input, encoding: 'latin1', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('the bundle cli.js starts is ASCII, which it reads one byte a character', () => {
  const bundle = readFileSync(join(ROOT, 'dist/cli-main.js'));
  assert.equal(bundle.findIndex((byte) => byte > 0x7f), -1);
});

test('the first start makes the code cache, and every start runs the same with it, without it or with a broken one', () => {
  const dir = copyOfCli();
  const first = run(dir);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /Hello from RISC-V!/);
  assert.match(first.stderr, /final state hash/);
  const [cache] = caches(dir);
  assert.ok(cache !== undefined, `a cache beside cli-main.js (the folder has ${readdirSync(dir).join(', ')})`);
  assert.match(cache, /^cli-main\.[0-9a-f]{16}\.v8-.+\.cache$/);

  assert.deepEqual(run(dir), first);
  // A cache V8 refuses (not one it made) is compiled around, and left alone.
  writeFileSync(join(dir, cache), 'not a code cache');
  assert.deepEqual(run(dir), first);
  assert.deepEqual(caches(dir), [cache]);
});

test('a start that cannot write its cache runs as without one and leaves nothing behind', () => {
  const dir = copyOfCli();
  const first = run(dir);
  const [cache] = caches(dir);
  // The cache's name taken by a folder: reading it fails, and so does putting a new cache in its place.
  rmSync(join(dir, cache));
  mkdirSync(join(dir, cache));
  const files = readdirSync(dir).sort();
  assert.deepEqual(run(dir), first);
  assert.deepEqual(readdirSync(dir).sort(), files);
});

test('the MCP server starts from a code cache of its own bundle, made at the end of the first session', () => {
  const dir = copyOfCli();
  const first = mcpSession(dir);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /"serverInfo"/);
  assert.match(first.stdout, /"tools":\[/);
  const cache = caches(dir).find((name) => name.startsWith('mcp-command.'));
  assert.ok(cache !== undefined, `a cache beside mcp-command.js (the folder has ${readdirSync(dir).join(', ')})`);
  assert.match(cache, /^mcp-command\.[0-9a-f]{16}\.v8-.+\.cache$/);
  assert.deepEqual(mcpSession(dir), first);
  writeFileSync(join(dir, cache), 'not a code cache');
  assert.deepEqual(mcpSession(dir), first);
});
