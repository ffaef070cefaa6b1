/**
 * A step breakpoint's marker in the editor: while the session is stopped at the step of a step
 * breakpoint, the line it stopped on carries a gutter icon (a blue diamond, apart from VS Code's red
 * breakpoint dots) whose hover names the step. A step breakpoint has no line of its own; this shows
 * where it is once the run has been there, as the Replay Step view lists it with its place.
 */
import * as vscode from 'vscode';
import { ReplayPosition } from './replay-position';
import { formatStep } from './step-input';

export class StepBreakpointGutter implements vscode.Disposable {
  private readonly decoration: vscode.TextEditorDecorationType;
  private readonly disposables: vscode.Disposable[] = [];
  /** Where the marker is now: a file (its URI's path) and a 0-based line, with the step for the hover. */
  private marked?: { path: string; line: number; step: number };
  private generation = 0;

  constructor(extensionUri: vscode.Uri, private readonly position: ReplayPosition) {
    this.decoration = vscode.window.createTextEditorDecorationType({
      gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'step-breakpoint.svg'),
      gutterIconSize: 'contain',
      overviewRulerColor: new vscode.ThemeColor('charts.blue'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
    });
    this.disposables.push(
      this.decoration,
      position.onDidChange(() => void this.update()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.paint()),
    );
  }

  private async update(): Promise<void> {
    const generation = ++this.generation;
    const current = this.position.current;
    let marked: StepBreakpointGutter['marked'];
    if (current?.stopped && current.info.stepBreakpoints.includes(current.info.step)) {
      const place = await topPlace(current.session);
      if (place) marked = { ...place, step: current.info.step };
    }
    if (generation !== this.generation) return;
    this.marked = marked;
    this.paint();
  }

  private paint(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const here = this.marked && editor.document.uri.path === this.marked.path;
      editor.setDecorations(this.decoration, here ? [{
        range: new vscode.Range(this.marked!.line, 0, this.marked!.line, 0),
        hoverMessage: `Step breakpoint at step ${formatStep(this.marked!.step)}`,
      }] : []);
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/**
 * The innermost frame's source file (as its URI's path) and 0-based line, when it has a source. The
 * adapter answers with the client's own form of the path: a file path, or a URI in a remote window
 * (code-server sends "vscode-remote://host/tmp/…").
 */
async function topPlace(session: vscode.DebugSession): Promise<{ path: string; line: number } | undefined> {
  try {
    const { stackFrames } = (await session.customRequest('stackTrace', { threadId: 1, levels: 1 })) as { stackFrames: Array<{ line: number; source?: { path?: string } }> };
    const top = stackFrames[0];
    const path = top?.source?.path;
    if (!path || !(top.line > 0)) return undefined;
    const uri = /^[a-z][a-z0-9+.-]*:\/\//i.test(path) ? vscode.Uri.parse(path) : vscode.Uri.file(path);
    return { path: uri.path, line: top.line - 1 };
  } catch {
    return undefined;
  }
}
