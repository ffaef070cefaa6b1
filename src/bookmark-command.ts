/** Rewind: Add Bookmark…: names the current step; bookmarks are kept beside the recording and shown on the timeline. */
import * as vscode from 'vscode';
import { activeReplay } from './replay-requests';
import { formatStep } from './step-input';

export async function addBookmark(onChange: () => Promise<void>): Promise<void> {
  const replay = activeReplay();
  const { step } = await replay.info();
  const name = await vscode.window.showInputBox({ title: `Bookmark step ${formatStep(step)}`, prompt: 'A name for this moment (kept beside the recording, shown on the timeline)' });
  if (name === undefined) return;
  await replay.bookmarks({ action: 'add', step, name });
  await onChange();
}
