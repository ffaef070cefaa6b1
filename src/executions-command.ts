/**
 * Rewind: Show Every Execution of This Line: from the editor's context menu (or the palette, for the
 * cursor's line), every step at which the line ran in the whole recording, before and after now, with
 * the values of expressions the user chooses at each; choosing one seeks there.
 */
import * as vscode from 'vscode';
import { activeReplay } from './replay-requests';
import { ReplayPosition } from './replay-position';
import { formatStep } from './step-input';
import { SEEK_COMMAND } from './command-ids';

/** The expressions last asked for, per line, offered again next time. */
const remembered = new Map<string, string>();

interface ExecutionItem extends vscode.QuickPickItem {
  step?: number;
}

export async function showExecutions(position: ReplayPosition, uri?: unknown): Promise<void> {
  const replay = activeReplay();
  const editor = vscode.window.activeTextEditor;
  if (!editor) throw new Error('Open a source file and put the cursor on a line first: "Show Every Execution" lists the executions of that line.');
  const document = uri instanceof vscode.Uri && uri.toString() !== editor.document.uri.toString() ? await vscode.workspace.openTextDocument(uri) : editor.document;
  const line = editor.selection.active.line + 1;
  const key = `${document.uri.toString()}:${line}`;
  const word = editor.document.getText(editor.document.getWordRangeAtPosition(editor.selection.active, /[A-Za-z_][\w.>-]*/));
  const text = await vscode.window.showInputBox({
    title: `Every execution of line ${line}`,
    prompt: 'Values to show at each execution: C expressions separated by commas (optional; Enter for none)',
    value: remembered.get(key) ?? (editor.selection.isEmpty ? word : editor.document.getText(editor.selection)),
  });
  if (text === undefined) return;
  remembered.set(key, text);
  const expressions = text.split(',').map((e) => e.trim()).filter(Boolean);
  const answer = await replay.executions({ source: { path: document.uri.fsPath }, line, expressions });
  const now = position.current?.info.step ?? (await replay.info()).step;
  const file = document.uri.path.split('/').pop();
  const item = (step: number, i: number): ExecutionItem => ({
    label: `Step ${formatStep(step)}`,
    description: `${step === now ? 'now' : step < now ? 'before now' : 'after now'} · execution ${i + 1}`,
    detail: answer.values?.[i].map((v, k) => `${expressions[k]} = ${v}`).join('   ·   '),
    step,
  });
  const before = answer.steps.flatMap((s, i) => (s < now ? [item(s, i)] : []));
  const after = answer.steps.flatMap((s, i) => (s >= now ? [item(s, i)] : []));
  const items: ExecutionItem[] = [
    ...(before.length ? [{ label: 'Before now', kind: vscode.QuickPickItemKind.Separator }, ...before] : []),
    ...(after.length ? [{ label: 'Now and after', kind: vscode.QuickPickItemKind.Separator }, ...after] : []),
  ];
  if (answer.steps.length === 0) {
    void vscode.window.showInformationMessage(`Line ${answer.line} of ${file} never ran in this recording.`);
    return;
  }
  const pick = vscode.window.createQuickPick<ExecutionItem>();
  pick.title = `Line ${answer.line} of ${file} ran ${answer.steps.length.toLocaleString('en-US')} time${answer.steps.length === 1 ? '' : 's'}${answer.truncated ? ' (the first 200,000 shown)' : ''}`;
  pick.placeholder = 'Choose an execution to go to its step';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.items = items;
  const next = after[0] ?? before[before.length - 1];
  if (next) pick.activeItems = [next];
  const chosen = await new Promise<ExecutionItem | undefined>((resolve) => {
    pick.onDidAccept(() => resolve(pick.selectedItems[0]));
    pick.onDidHide(() => resolve(undefined));
    pick.show();
  });
  pick.dispose();
  if (chosen?.step !== undefined) await vscode.commands.executeCommand(SEEK_COMMAND, chosen.step);
}
