/**
 * Starts the RISC-V assembly language server (dist/language-server.js, bundled from language-server/) as
 * its own process and connects it to `riscv-asm` documents. It also reads C sources, headers and linker
 * scripts of the workspace for symbols that assembly refers to, so it watches those files too.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';

export function startLanguageClient(serverPath: string): LanguageClient {
  const run = { module: serverPath, transport: TransportKind.ipc };
  const client = new LanguageClient(
    'rewind-riscv-asm',
    'RISC-V Assembly (Rewind)',
    { run, debug: { ...run, options: { execArgv: ['--nolazy', '--inspect=6011'] } } },
    {
      documentSelector: [{ scheme: 'file', language: 'riscv-asm' }],
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{s,S,asm,ld,lds,c,h,inc}') },
    },
  );
  void client.start().catch((error: unknown) => {
    void vscode.window.showErrorMessage(`The RISC-V assembly language server did not start: ${error instanceof Error ? error.message : String(error)}`);
  });
  return client;
}
