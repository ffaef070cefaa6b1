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
import { PageToExtension, timelineColumns, TimelineToPage } from './webview/messages';
import { TIMELINE_BODY, TIMELINE_STYLE } from './timeline-page-html';

/** The view id in package.json. */
export const TIMELINE_VIEW = 'rewind.timeline';

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
    view.webview.html = webviewHtml(view.webview, this.extensionUri, 'timeline', 'Replay Timeline', TIMELINE_STYLE, TIMELINE_BODY);
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
      this.post({ type: 'timeline', lastStep: timeline.lastStep, events: timelineColumns(timeline.events) });
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
