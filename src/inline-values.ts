/**
 * Inline values in the editor while a Rewind session is stopped (VS Code's inline values provider, as
 * CodeLLDB offers): the names used from the start of the stopped function to the stopped line, each
 * evaluated by the adapter in the stopped frame. Which names is decided in inline-value-names.ts.
 */
import * as vscode from 'vscode';
import { inlineNames } from './inline-value-names';

/** How far back from the stopped line to look when the function's start is unknown. */
const LOOK_BACK = 40;

export function registerInlineValues(): vscode.Disposable {
  return vscode.languages.registerInlineValuesProvider({ language: 'c' }, {
    provideInlineValues(document, viewport, context): vscode.InlineValue[] {
      if (vscode.debug.activeDebugSession?.type !== 'rewind') return [];
      const stopped = context.stoppedLocation.end.line;
      const lines = Array.from({ length: stopped + 1 }, (_, i) => document.lineAt(i).text);
      // From the line that opens the enclosing function (a line starting with `{` or ending in `{` at column 0 depth).
      let from = Math.max(0, stopped - LOOK_BACK);
      for (let i = stopped; i >= from; i--) if (/^[A-Za-z_].*\)\s*\{?\s*$/.test(lines[i])) { from = i; break; }
      return inlineNames(lines, from, stopped)
        .filter((n) => n.line >= viewport.start.line && n.line <= viewport.end.line)
        .map((n) => new vscode.InlineValueEvaluatableExpression(new vscode.Range(n.line, n.start, n.line, n.end), n.expression));
    },
  });
}
