/**
 * Rewind: Show Value History: from the Variables or Watch view's context menu (the variable under the
 * mouse) or the palette (an expression or an address typed in), a panel with the value plotted over the
 * whole run (src/webview/value-plot-page.ts). A click on the plot seeks to that write.
 */
import * as vscode from 'vscode';
import { ValueHistoryArguments, ValueHistoryResponseBody } from '../adapter/custom-requests';
import { activeReplay } from './replay-requests';
import { ReplayPosition } from './replay-position';
import { parseLastWriteTarget } from './last-write-target';
import { webviewHtml, webviewRoot } from './webview-html';
import type { PageToExtension, ValuePlotToPage } from './webview/messages';
import { SEEK_COMMAND } from './command-ids';

/** What VS Code passes to a debug/variables/context or debug/watch/context command. */
interface ViewContext {
  variable?: { name?: string; evaluateName?: string };
  /** The Watch view passes the expression itself. */
  expression?: string;
}

const STYLE = `
body { padding: 8px 12px; font-family: var(--vscode-font-family); color: var(--vscode-foreground); }
#title { font-weight: 600; margin-bottom: 4px; }
#readout { color: var(--vscode-descriptionForeground); min-height: 1.4em; margin-bottom: 4px; }
.u-legend { color: var(--vscode-foreground); }
.u-select { background: var(--vscode-editor-selectionBackground); }
`;
const BODY = '<div id="title">Reading the recording…</div><div id="readout"></div><div id="chart"></div>';

export async function showValueHistory(extensionUri: vscode.Uri, position: ReplayPosition, context?: unknown): Promise<void> {
  const replay = activeReplay();
  const target = fromView(context) ?? (await askForTarget());
  if (!target) return;
  const args = withFrame(target, replay.session);
  const history = await replay.valueHistory(args);
  const panel = vscode.window.createWebviewPanel('rewind.valueHistory', `History of ${'expression' in args ? args.expression : history.label}`, vscode.ViewColumn.Beside, {
    enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [webviewRoot(extensionUri)],
  });
  panel.webview.html = webviewHtml(panel.webview, extensionUri, 'value-plot', 'Value history', STYLE, BODY, true);
  const post = (m: ValuePlotToPage): void => void panel.webview.postMessage(m);
  const nowMessage = (): ValuePlotToPage | undefined => (position.current ? { type: 'now', step: position.current.info.step } : undefined);
  const subscription = position.onDidChange(() => {
    const m = nowMessage();
    if (m) post(m);
  });
  panel.onDidDispose(() => subscription.dispose());
  panel.webview.onDidReceiveMessage(async (m: PageToExtension) => {
    if (m.type === 'ready') {
      const now = nowMessage();
      if (now) post(now);
      post(historyMessage(history, position.current?.info.lastStep ?? 0));
    } else if (m.type === 'seek') {
      try {
        await vscode.commands.executeCommand(SEEK_COMMAND, m.step);
      } catch (e) {
        void vscode.window.showErrorMessage((e as Error).message);
      }
    }
  });
}

function historyMessage(history: ValueHistoryResponseBody, lastStep: number): ValuePlotToPage {
  return { type: 'history', label: history.label, samples: history.samples, lastStep, sampled: history.sampled ?? false };
}

function fromView(context: unknown): ValueHistoryArguments | undefined {
  if (typeof context !== 'object' || context === null) return undefined;
  const c = context as ViewContext;
  const expression = c.variable?.evaluateName ?? c.expression ?? c.variable?.name;
  return expression ? { expression } : undefined;
}

async function askForTarget(): Promise<ValueHistoryArguments | undefined> {
  const text = await vscode.window.showInputBox({
    title: 'Show value history',
    prompt: 'A variable or expression with a place in memory (e.g. bank.posted, a->balance), or an address and length (e.g. 0x80200010 4)',
  });
  if (!text?.trim()) return undefined;
  const range = /^\s*(0x[0-9a-f]+|\d+)(\s*[:\s]\s*\d+)?\s*$/i.test(text) ? parseLastWriteTarget(text) : undefined;
  if (range && 'address' in range) return { address: range.address, length: range.length };
  return { expression: text.trim() };
}

/** An expression is evaluated in the frame the user has selected in the Call Stack. */
function withFrame(target: ValueHistoryArguments, session: vscode.DebugSession): ValueHistoryArguments {
  if (!('expression' in target)) return target;
  const focus = (vscode.debug as { activeStackItem?: { frameId?: number; session?: vscode.DebugSession } }).activeStackItem;
  return focus?.session?.id === session.id && typeof focus.frameId === 'number' ? { ...target, frameId: focus.frameId } : target;
}
