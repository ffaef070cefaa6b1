/**
 * Runs inside desktop VS Code's extension host (loaded by @vscode/test-electron): replays the bug
 * example's recording through the real extension and adapter and checks stops, Go to Step and a step
 * breakpoint through the extension's commands and the custom requests. `vscode` is required inside
 * run(), because `node --test out/test/` also loads this file, where no `vscode` module exists.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type * as vscodeApi from 'vscode';
import type { InfoResponseBody } from '../../../adapter/custom-requests';
import { markerLine } from '../markers';

export async function run(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const vscode = require('vscode') as typeof vscodeApi;
  const folder = vscode.workspace.workspaceFolders![0];
  const source = vscode.Uri.file(join(folder.uri.fsPath, 'bug', 'bug.c'));
  const line = markerLine('CORRUPT');
  vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(source, new vscode.Position(line - 1, 0)))]);

  const stops: number[] = [];
  let resolveStop: (() => void) | undefined;
  vscode.debug.registerDebugAdapterTrackerFactory('rewind', {
    createDebugAdapterTracker: () => ({
      onDidSendMessage: (m: { type?: string; event?: string }) => {
        if (m.type === 'event' && m.event === 'stopped') {
          stops.push(Date.now());
          resolveStop?.();
        }
      },
    }),
  });
  const nextStop = () => new Promise<void>((resolve, reject) => {
    resolveStop = resolve;
    setTimeout(() => reject(new Error('no stopped event within 30 s')), 30_000);
  });

  let stopped = nextStop();
  assert.ok(await vscode.debug.startDebugging(folder, 'replay: bug.rewind (the ledger bug)'), 'the launch configuration starts');
  await stopped;
  const session = vscode.debug.activeDebugSession!;
  const info = (await session.customRequest('rewind/info', {})) as InfoResponseBody;
  assert.equal(info.lastStep, 34_102);
  const firstHit = info.step;

  const frames = (await session.customRequest('stackTrace', { threadId: 1 })) as { stackFrames: Array<{ name: string; line: number }> };
  assert.equal(frames.stackFrames[0].line, line);

  stopped = nextStop();
  await vscode.commands.executeCommand('rewind.addStepBreakpoint', 20_000);
  await vscode.commands.executeCommand('workbench.action.debug.continue');
  await stopped;
  // The step breakpoint or a later breakpoint hit: Continue stops at the first of them.
  const afterContinue = (await session.customRequest('rewind/info', {})) as InfoResponseBody;
  assert.ok(afterContinue.step > firstHit && afterContinue.step <= 20_000);

  stopped = nextStop();
  await vscode.commands.executeCommand('rewind.goToStep', firstHit);
  await stopped;
  assert.equal(((await session.customRequest('rewind/info', {})) as InfoResponseBody).step, firstHit);
  await vscode.debug.stopDebugging(session);
}
