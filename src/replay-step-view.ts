/**
 * The Replay Step view in Run and Debug: "Step N of M", the step breakpoints (each with an inline remove
 * button), the recorded input events and the places the session stopped. Clicking an entry seeks there.
 */
import * as vscode from 'vscode';
import { ReplayPosition } from './replay-position';
import { formatStep } from './step-input';
import { GO_TO_STEP_COMMAND, SEEK_COMMAND } from './command-ids';

/** The view id in package.json. */
export const REPLAY_STEP_VIEW = 'rewind.replayStep';

type Group = 'stepBreakpoints' | 'events' | 'stops';

type Entry =
  | { kind: 'position' }
  | { kind: 'group'; group: Group }
  | { kind: 'step'; group: Group; step: number; detail: string; index: number };

export class ReplayStepView implements vscode.TreeDataProvider<Entry>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Entry | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly position: ReplayPosition) {
    this.subscription = position.onDidChange(() => this.changed.fire(undefined));
  }

  getChildren(parent?: Entry): Entry[] {
    const current = this.position.current;
    if (!current) return []; // the view's welcome text says how to start
    const { info, stops } = current;
    if (!parent) {
      return [{ kind: 'position' }, ...(['stepBreakpoints', 'events', 'stops'] as const).map((group) => ({ kind: 'group' as const, group }))];
    }
    if (parent.kind !== 'group') return [];
    switch (parent.group) {
      case 'stepBreakpoints':
        // Where a step breakpoint is, once the session has stopped there (a step's place needs replaying to it).
        return info.stepBreakpoints.map((step, index) => ({ kind: 'step', group: 'stepBreakpoints', step, detail: stops.find((s) => s.step === step)?.place ?? '', index }));
      case 'events':
        return info.events.map((e, index) => ({ kind: 'step', group: 'events', step: e.step, detail: e.description, index }));
      case 'stops':
        return stops.map((s, index) => ({ kind: 'step', group: 'stops', step: s.step, detail: s.place ? `${s.place} (${s.reason})` : s.reason, index }));
    }
  }

  getTreeItem(entry: Entry): vscode.TreeItem {
    const current = this.position.current;
    if (entry.kind === 'position') {
      const text = current
        ? current.stopped ? `Step ${formatStep(current.info.step)} of ${formatStep(current.info.lastStep)}` : `Running… (of ${formatStep(current.info.lastStep)})`
        : '';
      const item = new vscode.TreeItem(text, vscode.TreeItemCollapsibleState.None);
      item.id = 'position';
      item.iconPath = new vscode.ThemeIcon('history');
      item.description = current?.info.program;
      item.tooltip = 'The instruction step shown in the editor. Click to go to another step.';
      item.command = { command: GO_TO_STEP_COMMAND, title: 'Go to Step…' };
      item.contextValue = 'position';
      return item;
    }
    if (entry.kind === 'group') {
      const count = this.getChildren(entry).length;
      const label = { stepBreakpoints: 'Step Breakpoints', events: 'Recorded Input', stops: 'Stops' }[entry.group];
      const item = new vscode.TreeItem(label, count > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
      // VS Code keeps an item's collapsed state by its id and ignores a new collapsibleState: a group first
      // drawn empty (None) stayed collapsed once it had entries, hiding the step breakpoint just added (CI
      // at a0484e2). An empty group is another item, so the first entry shows the group expanded.
      item.id = count > 0 ? entry.group : `${entry.group}:empty`;
      item.description = String(count);
      item.contextValue = entry.group;
      return item;
    }
    const item = new vscode.TreeItem(`Step ${formatStep(entry.step)}`, vscode.TreeItemCollapsibleState.None);
    // Step breakpoints are unique by step; events and stops may repeat a step, so the index keeps ids apart.
    item.id = `${entry.group}:${entry.step}:${entry.index}`;
    item.description = entry.detail;
    item.iconPath = new vscode.ThemeIcon(entry.group === 'stepBreakpoints' ? 'debug-breakpoint' : entry.group === 'events' ? 'arrow-down' : 'debug-stackframe-dot');
    item.contextValue = entry.group === 'stepBreakpoints' ? 'stepBreakpoint' : 'seekable';
    item.tooltip = `Click to go to step ${formatStep(entry.step)}.`;
    item.command = { command: SEEK_COMMAND, title: 'Go to Step', arguments: [entry.step] };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** The step of a view entry, for the inline remove button (VS Code passes the entry to the command). */
export function stepOfEntry(entry: unknown): number | undefined {
  return typeof entry === 'object' && entry !== null && (entry as Entry).kind === 'step' ? (entry as { step: number }).step : undefined;
}
