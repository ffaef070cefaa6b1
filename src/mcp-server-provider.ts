/**
 * Offers `rewind mcp` to VS Code's agent mode: an MCP server definition for the recording of the active
 * Rewind debug session (or, with none, for the recordings in the workspace), so that an agent can ask
 * the recording the user is looking at. The API arrived in VS Code 1.101; on older versions nothing is
 * offered (the manifest's contribution is then ignored) and README/MANUAL show the `.vscode/mcp.json`
 * way instead.
 *
 * @types/vscode here predates the API, so the few types it needs are declared below, and its presence is
 * checked at run time.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { DEBUG_TYPE, ReplayRequests } from './replay-requests';
import { MCP_PROVIDER_ID } from './mcp-provider-id';
const WORKSPACE_RECORDINGS = 5;

/** The part of VS Code's MCP API (1.101+) used here. */
interface McpStdioServerDefinition {
  label: string;
  command: string;
  args: string[];
  env: Record<string, string | number | null>;
  version?: string;
}
interface McpApi {
  lm: {
    registerMcpServerDefinitionProvider(id: string, provider: {
      onDidChangeMcpServerDefinitions?: vscode.Event<void>;
      provideMcpServerDefinitions(token: vscode.CancellationToken): Promise<McpStdioServerDefinition[]>;
    }): vscode.Disposable;
  };
  McpStdioServerDefinition: new (label: string, command: string, args?: string[], env?: Record<string, string | number | null>, version?: string) => McpStdioServerDefinition;
}

/** Registers the provider where VS Code has the API; returns what to dispose (nothing otherwise). */
export function registerMcpServerProvider(cliPath: string, version: string): vscode.Disposable[] {
  const api = vscode as unknown as Partial<McpApi>;
  if (typeof api.lm?.registerMcpServerDefinitionProvider !== 'function' || typeof api.McpStdioServerDefinition !== 'function') return [];
  const changed = new vscode.EventEmitter<void>();
  const Definition = api.McpStdioServerDefinition;
  const server = (label: string, recording: string): McpStdioServerDefinition =>
    // The extension host's node runs the bundled command line (in VS Code it is Electron, hence the variable).
    new Definition(label, process.execPath, [cliPath, 'mcp', recording], { ELECTRON_RUN_AS_NODE: '1' }, version);
  return [
    changed,
    vscode.debug.onDidChangeActiveDebugSession(() => changed.fire()),
    vscode.debug.onDidTerminateDebugSession(() => changed.fire()),
    api.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
      onDidChangeMcpServerDefinitions: changed.event,
      provideMcpServerDefinitions: async () => {
        const active = await activeRecording();
        if (active) return [server(`Rewind: ${basename(active)}`, active)];
        const found = await vscode.workspace.findFiles('**/*.rewind', '**/node_modules/**', WORKSPACE_RECORDINGS);
        return found.map((uri) => server(`Rewind: ${vscode.workspace.asRelativePath(uri)}`, uri.fsPath));
      },
    }),
  ];
}

/** The recording the active Rewind session replays (or records to, when it runs a program live). */
async function activeRecording(): Promise<string | undefined> {
  const session = vscode.debug.activeDebugSession;
  if (!session || session.type !== DEBUG_TYPE) return undefined;
  try {
    return (await new ReplayRequests(session).info()).recording;
  } catch {
    const recording: unknown = session.configuration.recording;
    return typeof recording === 'string' ? recording : undefined;
  }
}
