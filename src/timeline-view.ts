/**
 * The Replay Timeline view in Run and Debug: a webview (src/webview/timeline-page.ts) that draws the
 * whole recording with its events and the current step. It asks the adapter for `rewind/timeline` when a
 * session first stops and again when what the timeline shows changes (breakpoints, step breakpoints,
 * bookmarks); every stop only moves the cursor. A click in the page seeks.
 */
import * as vscode from 'vscode';
import { ReplayPosition } from './replay-position';
import { ReplayRequests } from './replay-requests';
import { webviewHtml, webviewRoot } from './webview-html';
import type { PageToExtension, TimelineToPage } from './webview/messages';

/** The view id in package.json. */
export const TIMELINE_VIEW = 'rewind.timeline';

const STYLE = `
body { padding: 4px 8px; font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); }
.bar { display: flex; gap: 4px; align-items: center; flex-wrap: wrap; margin-bottom: 4px; }
.bar .grow { flex: 1; }
#position { font-weight: 600; }
#range { color: var(--vscode-descriptionForeground); font-size: 0.9em; }
#strip { width: 100%; display: block; cursor: crosshair; }
#tooltip { position: absolute; white-space: pre; background: var(--vscode-editorHoverWidget-background); color: var(--vscode-editorHoverWidget-foreground);
  border: 1px solid var(--vscode-editorHoverWidget-border); padding: 2px 6px; pointer-events: none; z-index: 2; max-width: 320px; overflow: hidden; }
#status { color: var(--vscode-descriptionForeground); margin: 6px 0; }
#output { list-style: none; margin: 6px 0 0; padding: 0; font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
#output .line { display: flex; gap: 8px; cursor: pointer; padding: 0 2px; white-space: pre; }
#output .line:hover { background: var(--vscode-list-hoverBackground); }
#output .line.after { opacity: 0.45; }
#output .line.input .text { color: var(--vscode-debugConsole-sourceForeground); }
#output .step { color: var(--vscode-descriptionForeground); min-width: 9ch; text-align: right; }
.legend { display: flex; gap: 10px; flex-wrap: wrap; color: var(--vscode-descriptionForeground); font-size: 0.85em; }
`;

const BODY = `
<div class="bar">
  <span id="position"></span><span class="grow"></span>
  <vscode-button id="zoom-in" secondary title="Zoom in (or the mouse wheel over the strip)">+</vscode-button>
  <vscode-button id="zoom-out" secondary title="Zoom out">−</vscode-button>
  <vscode-button id="zoom-now" secondary title="Center on the current step">Now</vscode-button>
  <vscode-button id="zoom-all" secondary title="The whole run">Whole run</vscode-button>
</div>
<div id="status">Reading the recording…</div>
<canvas id="strip" aria-label="Timeline of the recording: click to go to a step"></canvas>
<div class="bar"><span id="range"></span></div>
<div class="legend">rows: output and input · traps, interrupts and the exit · breakpoint and logpoint hits, step breakpoints, bookmarks</div>
<div id="tooltip" hidden></div>
<ol id="output" aria-label="Program output: click a line to go to the step that printed it"></ol>
`;

export class TimelineView implements vscode.WebviewViewProvider, vscode.Disposable {
  private view?: vscode.WebviewView;
  private readonly disposables: vscode.Disposable[] = [];
  /** What the shown timeline was read for: a new key means asking again. */
  private shownKey = '';
  private breakpointGeneration = 0;
  private loading?: Promise<void>;

  constructor(private readonly extensionUri: vscode.Uri, private readonly position: ReplayPosition) {
    this.disposables.push(
      position.onDidChange(() => void this.update()),
      vscode.debug.onDidChangeBreakpoints(() => { this.breakpointGeneration++; void this.update(); }),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.shownKey = '';
    view.webview.options = { enableScripts: true, localResourceRoots: [webviewRoot(this.extensionUri)] };
    view.webview.html = webviewHtml(view.webview, this.extensionUri, 'timeline', 'Replay Timeline', STYLE, BODY);
    view.webview.onDidReceiveMessage((m: PageToExtension) => this.onMessage(m), undefined, this.disposables);
    view.onDidChangeVisibility(() => void this.update(), undefined, this.disposables);
  }

  /** Asks for the timeline again (after adding a bookmark, say). */
  reload(): Promise<void> {
    this.shownKey = '';
    return this.update();
  }

  private async onMessage(m: PageToExtension): Promise<void> {
    if (m.type === 'ready') {
      this.shownKey = '';
      return this.update();
    }
    if (m.type === 'seek') {
      try {
        await vscode.commands.executeCommand('rewind.seek', m.step);
      } catch (e) {
        void vscode.window.showErrorMessage((e as Error).message);
      }
    }
  }

  private async update(): Promise<void> {
    const view = this.view;
    if (!view?.visible) return;
    const current = this.position.current;
    if (!current) {
      this.shownKey = '';
      return this.post({ type: 'status', text: 'The whole run appears here once a Rewind session stops.' });
    }
    this.post({ type: 'now', step: current.info.step, stopped: current.stopped });
    const key = `${current.session.id}|${current.info.lastStep}|${current.info.stepBreakpoints.join(',')}|${this.breakpointGeneration}`;
    if (key === this.shownKey || !current.stopped) return;
    this.shownKey = key;
    // One question at a time; a newer key asks again when this one is answered.
    while (this.loading) await this.loading;
    if (this.shownKey !== key) return;
    this.loading = this.load(new ReplayRequests(current.session), key);
    try {
      await this.loading;
    } finally {
      this.loading = undefined;
    }
  }

  private async load(replay: ReplayRequests, key: string): Promise<void> {
    try {
      const timeline = await replay.timeline();
      if (this.shownKey !== key) return;
      this.post({ type: 'timeline', lastStep: timeline.lastStep, events: timeline.events });
      const current = this.position.current;
      if (current) this.post({ type: 'now', step: current.info.step, stopped: current.stopped });
    } catch (e) {
      if (this.shownKey === key) this.shownKey = '';
      this.post({ type: 'status', text: `The timeline could not be read: ${(e as Error).message}` });
    }
  }

  private post(message: TimelineToPage): void {
    void this.view?.webview.postMessage(message);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
