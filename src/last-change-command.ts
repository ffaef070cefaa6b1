/**
 * Go to Last Change: jump back to the step at which a register, a CSR or a CSR field last changed (from
 * the Variables view's context menu on the Registers and CSR scopes, or an expression typed in the
 * palette, e.g. `$sp` or `($mstatus >> 3) & 1`). The adapter answers the question; this only asks it.
 */
import * as vscode from 'vscode';
import { activeReplay } from './replay-requests';
import { ReplayPosition } from './replay-position';
import { formatStep } from './step-input';

/** What VS Code passes to a debug/variables/context command. */
interface VariablesContext {
  variable?: { name?: string; evaluateName?: string };
}

export async function goToLastChange(position: ReplayPosition, context?: unknown): Promise<void> {
  const replay = activeReplay();
  const variable = (context as VariablesContext | undefined)?.variable;
  const expression = variable?.evaluateName ?? await vscode.window.showInputBox({
    title: 'Go to last change',
    prompt: 'A register, a CSR or an expression over them (e.g. $sp, $mstatus, ($mstatus >> 3) & 1)',
    validateInput: (text) => (/\$[A-Za-z]/.test(text) ? undefined : 'Name registers and CSRs with $, e.g. $a0 or $mcause.'),
  });
  if (!expression) return;
  const { step, before, after } = await replay.lastChange({ expression });
  await position.refresh();
  vscode.window.setStatusBarMessage(`Rewind: ${variable?.name ?? expression} changed at step ${formatStep(step)} (${before} → ${after})`, 8000);
}
