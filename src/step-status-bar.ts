/**
 * The status bar item "Step N / M" while a Rewind session is active; clicking it runs Go to Step.
 */
import * as vscode from 'vscode';
import { ReplayPosition } from './replay-position';
import { formatStep } from './step-input';
import { GO_TO_STEP_COMMAND } from './command-ids';

export class StepStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('rewind.step', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly position: ReplayPosition) {
    this.item.name = 'Rewind step';
    this.item.command = GO_TO_STEP_COMMAND;
    this.subscription = position.onDidChange(() => this.update());
  }

  private update(): void {
    const current = this.position.current;
    if (!current) {
      this.item.hide();
      return;
    }
    const { step, lastStep } = current.info;
    this.item.text = current.stopped
      ? `$(history) Step ${formatStep(step)} / ${formatStep(lastStep)}`
      : `$(loading~spin) Step … / ${formatStep(lastStep)}`;
    this.item.tooltip = 'Rewind: the instruction step shown in the editor, of the last step of the recording. Click to go to another step.';
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
