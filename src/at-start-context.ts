/**
 * The `rewind.atStart` context key: true while the active Rewind session stands at step 0, where nothing
 * lies behind; the reverse buttons' enablement reads it, so they grey out instead of failing.
 */
import * as vscode from 'vscode';
import { ReplayPosition } from './replay-position';

export const AT_START_CONTEXT = 'rewind.atStart';

export function trackAtStart(position: ReplayPosition): vscode.Disposable {
  let last: boolean | undefined;
  return position.onDidChange(() => {
    const current = position.current;
    const atStart = !!current && current.stopped && current.info.step === 0;
    if (atStart === last) return;
    last = atStart;
    void vscode.commands.executeCommand('setContext', AT_START_CONTEXT, atStart);
  });
}
