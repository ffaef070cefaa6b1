/**
 * Starts the debug adapter (dist/adapter.js, bundled from adapter/) as its own process on the extension
 * host's own runtime: `process.execPath` is code-server's Node, or Electron in desktop VS Code, which acts
 * as Node only with ELECTRON_RUN_AS_NODE. A bare "node" would be whatever is first on PATH.
 */
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';

export class RewindAdapterDescriptorFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly adapterPath: string) {}

  createDebugAdapterDescriptor(): vscode.DebugAdapterDescriptor {
    if (!existsSync(this.adapterPath)) {
      throw new Error(`The Rewind debug adapter is missing at ${this.adapterPath}; rebuild the extension with "npm run build".`);
    }
    return new vscode.DebugAdapterExecutable(process.execPath, [this.adapterPath], { env: { ELECTRON_RUN_AS_NODE: '1' } });
  }
}
