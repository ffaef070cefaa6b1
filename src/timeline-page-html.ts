/**
 * The Replay Timeline page's stylesheet and body (its script is src/webview/timeline-page.ts). Apart
 * from the view so that the benchmark paints the very page VS Code shows. Output lines off screen are
 * neither laid out nor painted (`content-visibility`): a long run prints thousands of them.
 */
export const TIMELINE_STYLE = `
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
#output .line { display: flex; gap: 8px; cursor: pointer; padding: 0 2px; white-space: pre; content-visibility: auto; contain-intrinsic-size: auto 1.4em; }
#output .line:hover { background: var(--vscode-list-hoverBackground); }
#output .line.after { opacity: 0.45; }
#output .line.input .text { color: var(--vscode-debugConsole-sourceForeground); }
#output .step { color: var(--vscode-descriptionForeground); min-width: 9ch; text-align: right; }
.legend { display: flex; gap: 10px; flex-wrap: wrap; color: var(--vscode-descriptionForeground); font-size: 0.85em; }
`;

export const TIMELINE_BODY = `
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
