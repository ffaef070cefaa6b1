/**
 * Go to Last Write: jump back to the step that last wrote a variable (from the Variables view's context
 * menu) or a memory range typed in the palette. The adapter answers the question; this only asks it.
 */
import * as vscode from 'vscode';
import { LastWriteArguments } from '../adapter/custom-requests';
import { activeReplay } from './replay-requests';
import { ReplayPosition } from './replay-position';
import { formatStep } from './step-input';
import { parseLastWriteTarget } from './last-write-target';

/** What VS Code passes to a debug/variables/context command. */
interface VariablesContext {
  variable?: { name?: string; evaluateName?: string; memoryReference?: string };
}

export async function goToLastWrite(position: ReplayPosition, context?: unknown): Promise<void> {
  const replay = activeReplay();
  const target = fromVariablesView(context) ?? parseLastWriteTarget(await vscode.window.showInputBox({
    title: 'Go to last write',
    prompt: 'A variable (e.g. bank.accounts[1].balance) or an address and length (e.g. 0x80200010 4)',
    validateInput: (text) => {
      const parsed = parseLastWriteTarget(text);
      return parsed ? undefined : 'Type a variable name, or an address such as 0x80200010 followed by a length in bytes.';
    },
  }) ?? '');
  if (!target) return;
  const { step } = await replay.lastWrite(withFrame(target, replay.session));
  await position.refresh();
  vscode.window.setStatusBarMessage(`Rewind: last written at step ${formatStep(step)}`, 5000);
}

function fromVariablesView(context: unknown): LastWriteArguments | undefined {
  const variable = (context as VariablesContext | undefined)?.variable;
  if (!variable) return undefined;
  const expression = variable.evaluateName ?? variable.name;
  if (!expression) return undefined;
  return { variable: expression };
}

/** A variable is evaluated in the frame the user has selected in the Call Stack. */
function withFrame(target: LastWriteArguments, session: vscode.DebugSession): LastWriteArguments {
  if (!('variable' in target)) return target;
  const focus = (vscode.debug as { activeStackItem?: { frameId?: number; session?: vscode.DebugSession } }).activeStackItem;
  return focus?.session?.id === session.id && typeof focus.frameId === 'number' ? { ...target, frameId: focus.frameId } : target;
}
