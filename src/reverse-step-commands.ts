/**
 * Reverse Step Into and Reverse Step Out: VS Code's toolbar has Step Back and Reverse Continue only, so
 * these two are commands that send Rewind's custom requests for the thread the user is looking at.
 */
import * as vscode from 'vscode';
import { activeReplay } from './replay-requests';

export async function reverseStepIn(): Promise<void> {
  const replay = activeReplay();
  await replay.reverseStepIn(await focusedThread(replay.session));
}

export async function reverseStepOut(): Promise<void> {
  const replay = activeReplay();
  await replay.reverseStepOut(await focusedThread(replay.session));
}

/** The thread of the focused stack frame; Rewind machines have one hart, so the first thread otherwise. */
async function focusedThread(session: vscode.DebugSession): Promise<number> {
  const focus = (vscode.debug as { activeStackItem?: { threadId?: number; session?: vscode.DebugSession } }).activeStackItem;
  if (focus?.session?.id === session.id && typeof focus.threadId === 'number') return focus.threadId;
  const { threads } = (await session.customRequest('threads')) as { threads: Array<{ id: number }> };
  if (threads.length === 0) throw new Error('The Rewind session has no thread to step yet; wait until it stops.');
  return threads[0].id;
}
