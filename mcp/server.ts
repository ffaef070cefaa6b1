/**
 * The MCP server: Rewind for agents and scripts, on stdio. It translates tool calls into core operations
 * on one open recording and answers with JSON; it holds no debugging logic of its own. stdout carries
 * the protocol only: the program's console output is a tool's answer (`console_output`), never printed.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { McpSession, Opener } from './session';
import { OneAtATime } from './tool-result';
import { registerPositionTools } from './position-tools';
import { registerInspectTools } from './inspect-tools';
import { registerHistoryTools } from './history-tools';

const INSTRUCTIONS = 'Rewind replays a recorded run of a RISC-V program exactly, forwards and backwards. The session has a current ' +
  'step (n instructions have run); seek, step, continue and last_write move it, the other tools read the program there or ask the ' +
  'whole recording. To find why something went wrong: continue (or seek) to where it shows, evaluate the wrong value, then ' +
  'last_write of it to go back to the instruction that wrote it. History is read-only.';

export function createMcpServer(session: McpSession, version: string): McpServer {
  const server = new McpServer({ name: 'rewind', version }, { instructions: INSTRUCTIONS });
  const queue = new OneAtATime();
  registerPositionTools(server, session, queue);
  registerInspectTools(server, session, queue);
  registerHistoryTools(server, session, queue);
  return server;
}

/** Serves `path` (when given) over stdin/stdout until the client closes the connection. */
export async function serveMcpOnStdio(opener: Opener, path: string | undefined, version: string): Promise<void> {
  const session = new McpSession(opener);
  if (path !== undefined) session.openAtStart(path);
  const server = createMcpServer(session, version);
  await server.connect(new StdioServerTransport());
}
