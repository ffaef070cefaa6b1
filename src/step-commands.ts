/**
 * The commands that work with step numbers: Go to Step…, Add Step Breakpoint…, Remove Step Breakpoint…,
 * and the Replay Step view's click-to-seek. Each asks the active Rewind session over DAP.
 */
import * as vscode from 'vscode';
import { activeReplay, ReplayRequests } from './replay-requests';
import { ReplayPosition } from './replay-position';
import { formatStep, parseStep } from './step-input';
import { stepOfEntry } from './replay-step-view';

/** Go to Step…: with a number argument it seeks at once, otherwise it asks for one. */
export async function goToStep(position: ReplayPosition, stepArgument?: unknown): Promise<void> {
  const replay = activeReplay();
  const step = typeof stepArgument === 'number' ? stepArgument : await askForStep(replay, 'Go to step', 'the step to show: 12000, +500, -100, 50%, start or end');
  if (step === undefined) return;
  await replay.seek(step);
  await position.refresh();
}

export async function addStepBreakpoint(position: ReplayPosition, stepArgument?: unknown): Promise<void> {
  const replay = activeReplay();
  const step = typeof stepArgument === 'number' ? stepArgument
    : await askForStep(replay, 'Add step breakpoint', 'stop when replay reaches exactly this step, forwards or backwards');
  if (step === undefined) return;
  await replay.stepBreakpoints({ action: 'add', step });
  await position.refresh();
}

/** From the view's inline button (an entry argument), a number argument, or a pick of the existing ones. */
export async function removeStepBreakpoint(position: ReplayPosition, argument?: unknown): Promise<void> {
  const replay = activeReplay();
  let step = typeof argument === 'number' ? argument : stepOfEntry(argument);
  if (step === undefined) {
    const { stepBreakpoints } = await replay.stepBreakpoints({ action: 'list' });
    if (stepBreakpoints.length === 0) {
      void vscode.window.showInformationMessage('There are no step breakpoints to remove; add one with "Rewind: Add Step Breakpoint…".');
      return;
    }
    const picked = await vscode.window.showQuickPick(
      stepBreakpoints.map((s) => ({ label: `Step ${formatStep(s)}`, step: s })),
      { title: 'Remove step breakpoint', placeHolder: 'the step breakpoint to remove' },
    );
    step = picked?.step;
  }
  if (step === undefined) return;
  await replay.stepBreakpoints({ action: 'remove', step });
  await position.refresh();
}

/** An input box that accepts only a step inside the recording, saying why anything else is refused. */
async function askForStep(replay: ReplayRequests, title: string, prompt: string): Promise<number | undefined> {
  const { step, lastStep } = await replay.info();
  const text = await vscode.window.showInputBox({
    title,
    prompt: `${prompt} (0 to ${formatStep(lastStep)}; now at ${formatStep(step)})`,
    value: String(step),
    validateInput: (value) => {
      const parsed = parseStep(value, lastStep, step);
      return 'error' in parsed ? parsed.error : undefined;
    },
  });
  if (text === undefined) return undefined;
  const parsed = parseStep(text, lastStep, step);
  return 'step' in parsed ? parsed.step : undefined;
}
