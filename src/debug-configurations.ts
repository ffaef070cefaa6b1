/**
 * Launch configurations for the `rewind` debug type: F5 in a workspace without launch.json debugs the
 * recording or program of the active editor (or of the workspace), and "create a launch.json" offers the
 * ones it finds. The attributes are those of adapter/launch-arguments.ts and package.json's schema.
 */
import * as vscode from 'vscode';
import { basename, dirname, join } from 'node:path';
import { statSync } from 'node:fs';
import { DEBUG_TYPE } from './replay-requests';

export function replayConfiguration(recording: string): vscode.DebugConfiguration {
  return { type: DEBUG_TYPE, request: 'launch', name: `Replay ${basename(recording)}`, recording, stopOnEntry: false };
}

export function recordConfiguration(program: string): vscode.DebugConfiguration {
  return { type: DEBUG_TYPE, request: 'launch', name: `Record and debug ${basename(program)}`, program, stopOnEntry: false };
}

export class RewindConfigurationProvider implements vscode.DebugConfigurationProvider {
  /** "create a launch.json file": one configuration per recording and program in the folder. */
  async provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): Promise<vscode.DebugConfiguration[]> {
    const files = await debuggableFiles(folder);
    const configurations = files.map((uri) => {
      const path = folder ? `\${workspaceFolder}/${vscode.workspace.asRelativePath(uri, false)}` : uri.fsPath;
      return isRecording(uri.fsPath) ? replayConfiguration(path) : recordConfiguration(path);
    });
    return configurations.length > 0 ? configurations : [recordConfiguration('${workspaceFolder}/program.elf')];
  }

  /** F5 with no launch.json arrives here with an empty configuration: choose what to debug. */
  async resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    if (config.program || config.recording) return config;
    if (config.type && config.type !== DEBUG_TYPE) return config;
    const target = activeTarget() ?? await pickFromWorkspace(folder);
    if (!target) {
      void vscode.window.showErrorMessage('Rewind found nothing to debug: open a recording (.rewind) or a RISC-V program (.elf), or add a "rewind" configuration to launch.json.');
      return undefined; // cancels the launch
    }
    return { ...(isRecording(target) ? replayConfiguration(target) : recordConfiguration(target)), ...withoutEmpty(config) };
  }
}

function isRecording(path: string): boolean {
  return /\.rewind$/i.test(path);
}

/**
 * The file shown in the active editor tab, if it is a recording or an ELF, or a source with one beside it.
 * A source debugs the program as it is now: its ELF, run live. The recording beside it is replayed only
 * when it is newer than the ELF (made by the last run of this very build), and F5 says so.
 */
function activeTarget(): string | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input as { uri?: vscode.Uri } | undefined;
  const uri = input?.uri ?? vscode.window.activeTextEditor?.document.uri;
  if (uri?.scheme !== 'file') return undefined;
  if (/\.(rewind|elf)$/i.test(uri.fsPath)) return uri.fsPath;
  // A source file: bug.c next to bug.elf and bug.rewind (the examples' layout).
  const stem = join(dirname(uri.fsPath), basename(uri.fsPath).replace(/\.[^.]*$/, ''));
  const program = `${stem}.elf`;
  const recording = `${stem}.rewind`;
  const programTime = modified(program);
  const recordingTime = modified(recording);
  if (recordingTime !== undefined && (programTime === undefined || recordingTime > programTime)) {
    if (programTime !== undefined) {
      void vscode.window.showInformationMessage(`Replaying ${basename(recording)}, recorded after ${basename(program)} was built. To run the program again, press F5 with ${basename(program)} open.`);
    }
    return recording;
  }
  return programTime !== undefined ? program : undefined;
}

function modified(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

async function pickFromWorkspace(folder: vscode.WorkspaceFolder | undefined): Promise<string | undefined> {
  const files = await debuggableFiles(folder);
  if (files.length <= 1) return files[0]?.fsPath;
  const picked = await vscode.window.showQuickPick(
    files.map((uri) => ({
      label: vscode.workspace.asRelativePath(uri),
      description: isRecording(uri.fsPath) ? 'replay the recording' : 'record and debug the program',
      uri,
    })),
    { title: 'Rewind: what to debug', placeHolder: 'a recording (.rewind) or a RISC-V program (.elf)' },
  );
  return picked?.uri.fsPath;
}

/** Recordings first: replaying one needs nothing else and starts at once. */
async function debuggableFiles(folder: vscode.WorkspaceFolder | undefined): Promise<vscode.Uri[]> {
  const base = folder ?? vscode.workspace.workspaceFolders?.[0];
  if (!base) return [];
  const [recordings, programs] = await Promise.all([
    vscode.workspace.findFiles(new vscode.RelativePattern(base, '**/*.rewind'), '**/node_modules/**', 100),
    vscode.workspace.findFiles(new vscode.RelativePattern(base, '**/*.elf'), '**/node_modules/**', 100),
  ]);
  const byPath = (a: vscode.Uri, b: vscode.Uri) => a.fsPath.localeCompare(b.fsPath);
  return [...recordings.sort(byPath), ...programs.sort(byPath)];
}

/** F5's empty configuration carries no values worth keeping, but a partial one from launch.json might. */
function withoutEmpty(config: vscode.DebugConfiguration): Partial<vscode.DebugConfiguration> {
  const kept: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) if (v !== undefined && v !== '' && !['type', 'request', 'name'].includes(k)) kept[k] = v;
  return kept;
}
