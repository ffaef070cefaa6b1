/**
 * Rewind: Record Program…: runs `rewind record` on a RISC-V ELF in a terminal (so the user can type the
 * program's input), writes `<program>.rewind` next to it, then offers to debug the recording. A recording
 * already there is replaced only when the user says so; otherwise the new one gets a free name.
 */
import * as vscode from 'vscode';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { replayConfiguration } from './debug-configurations';

export async function recordProgram(extension: vscode.ExtensionContext, uri?: unknown): Promise<void> {
  const program = uri instanceof vscode.Uri ? uri.fsPath : await pickProgram();
  if (!program) return;
  const recording = await chooseRecordingPath(program);
  if (!recording) return;
  const startedAt = Date.now();
  const terminal = vscode.window.createTerminal({
    name: `Rewind: record ${basename(program)}`,
    // The extension host's own runtime runs the bundled CLI; in desktop VS Code that is Electron, which
    // behaves as plain Node only with ELECTRON_RUN_AS_NODE.
    shellPath: process.execPath,
    shellArgs: [extension.asAbsolutePath(join('dist', 'cli.js')), 'record', program, '-o', recording],
    env: { ELECTRON_RUN_AS_NODE: '1' },
    cwd: dirname(program),
  });
  terminal.show();
  const closed = vscode.window.onDidCloseTerminal(async (t) => {
    if (t !== terminal) return;
    closed.dispose();
    if (!existsSync(recording) || statSync(recording).mtimeMs < startedAt - 1000) {
      void vscode.window.showErrorMessage(`Recording ${basename(program)} did not produce ${recording}; the terminal showed why.`);
      return;
    }
    const debug = 'Debug Recording';
    if (await vscode.window.showInformationMessage(`Recorded ${basename(program)} to ${basename(recording)}.`, debug) === debug) {
      await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(vscode.Uri.file(recording)), replayConfiguration(recording));
    }
  });
}

/** The active editor's ELF, else a pick of the workspace's ELFs, else a file dialog. */
async function pickProgram(): Promise<string | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file' && /\.elf$/i.test(active.fsPath)) return active.fsPath;
  const found = await vscode.workspace.findFiles('**/*.elf', '**/node_modules/**', 200);
  if (found.length > 0) {
    const picked = await vscode.window.showQuickPick(
      found.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })),
      { title: 'Record program', placeHolder: 'the RISC-V ELF to run and record' },
    );
    return picked?.uri.fsPath;
  }
  const chosen = await vscode.window.showOpenDialog({ title: 'Record program', filters: { 'RISC-V ELF': ['elf'], 'All files': ['*'] } });
  return chosen?.[0]?.fsPath;
}

/** `<program>.rewind`; when that exists, asks: replace it, or keep both (the new one as `<program>-2.rewind`). */
async function chooseRecordingPath(program: string): Promise<string | undefined> {
  const base = join(dirname(program), basename(program).replace(/\.elf$/i, ''));
  const usual = `${base}.rewind`;
  if (!existsSync(usual)) return usual;
  let free = usual;
  for (let n = 2; existsSync(free); n++) free = `${base}-${n}.rewind`;
  const replace = `Replace ${basename(usual)}`;
  const keep = `Keep Both (save as ${basename(free)})`;
  const answer = await vscode.window.showWarningMessage(`${basename(usual)} already exists. Replace it with a new recording of ${basename(program)}?`,
    { modal: true }, replace, keep);
  return answer === replace ? usual : answer === keep ? free : undefined;
}
