/**
 * The SDK's own MCP client on the built command line (`node dist/cli.js mcp FILE`) over stdio, as an
 * agent's host starts it. Each call checks that the text content is the same JSON as the structured one.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

export const ROOT = resolve(__dirname, '../../..');
export const CLI = join(ROOT, 'dist/cli.js');
export const EXAMPLES = join(ROOT, 'examples');
export const BUG_C = join(EXAMPLES, 'bug/bug.c');

export type Json = Record<string, unknown>;

export class RewindMcp {
  private constructor(readonly client: Client, readonly stderr: () => string) {}

  /** Starts `rewind mcp ...args` and connects to it. */
  static async start(args: string[]): Promise<RewindMcp> {
    if (!existsSync(CLI)) throw new Error(`${CLI} does not exist: run \`npm run build\` first (npm test does)`);
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', ...args], cwd: ROOT, stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    const client = new Client({ name: 'rewind-test', version: '1.0.0' });
    await client.connect(transport);
    return new RewindMcp(client, () => stderr);
  }

  /** Calls a tool that must succeed; returns its structured result. */
  async call(name: string, args: Json = {}): Promise<Json> {
    const result = await this.client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 });
    const text = (result.content as Array<{ type: string; text: string }>)[0]?.text;
    assert.ok(!result.isError, `${name} ${JSON.stringify(args)} failed: ${text}`);
    assert.ok(result.structuredContent, `${name} answers with structured content`);
    assert.deepEqual(JSON.parse(text), result.structuredContent, `${name}: the text is the same JSON as the structured content`);
    return result.structuredContent as Json;
  }

  /** Calls a tool that must fail as a tool error; returns its one sentence. */
  async error(name: string, args: Json = {}): Promise<string> {
    const result = await this.client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 });
    const text = (result.content as Array<{ type: string; text: string }>)[0]?.text;
    assert.equal(result.isError, true, `${name} ${JSON.stringify(args)} should fail, but answered ${text}`);
    assert.match(text, /^[^\n]{10,400}$/, `${name}: the error is one sentence: ${text}`);
    return text;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
