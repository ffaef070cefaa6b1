/**
 * The value-history page: one value over the whole run, plotted with uPlot (step on x, the value after
 * each write on y, held until the next write). Hovering shows the step and value of the nearest write;
 * a click seeks to it; drag to zoom, double-click for the whole run. The current step is a vertical line.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ValueSample } from '../../adapter/custom-requests';
import type { PageToExtension, ValuePlotToPage } from './messages';

declare function acquireVsCodeApi(): { postMessage(message: PageToExtension): void };
const vscode = acquireVsCodeApi();

const chartElement = document.getElementById('chart') as HTMLDivElement;
const title = document.getElementById('title') as HTMLDivElement;
const readout = document.getElementById('readout') as HTMLDivElement;

let plot: uPlot | undefined;
let samples: ValueSample[] = [];
let now = 0;

const fmt = (n: number): string => n.toLocaleString('en-US');
const css = (variable: string, fallback: string): string => getComputedStyle(document.body).getPropertyValue(variable).trim() || fallback;

/** The sample whose step is nearest to `step` (uPlot's cursor index, kept for clicks). */
let hovered: number | null = null;

function show(label: string, lastStep: number, list: ValueSample[], sampled: boolean): void {
  samples = list;
  const numeric = list.filter((s) => s.number !== undefined);
  title.textContent = `${label}: ${fmt(list.length)} ${sampled ? 'samples' : list.length === 1 ? 'write' : 'writes'} over ${fmt(lastStep)} steps`;
  plot?.destroy();
  plot = undefined;
  if (numeric.length === 0) {
    readout.textContent = list.length ? 'The value is not a number, so there is nothing to plot; the writes are listed in the hover.' : 'Nothing wrote it during the recording.';
    return;
  }
  const xs = list.map((s) => s.step);
  const ys = list.map((s) => s.number ?? null);
  const foreground = css('--vscode-foreground', '#ccc');
  const grid = css('--vscode-editorWidget-border', '#444');
  plot = new uPlot({
    width: chartElement.clientWidth || 600,
    height: Math.max(200, window.innerHeight - 110),
    scales: { x: { time: false } },
    axes: [
      { stroke: foreground, grid: { stroke: grid, width: 1 }, values: (_u, splits) => splits.map((v) => fmt(Math.round(v))) },
      { stroke: foreground, grid: { stroke: grid, width: 1 }, size: 70 },
    ],
    series: [
      { label: 'step', value: (_u, v) => (v == null ? '' : fmt(v)) },
      {
        label,
        stroke: css('--vscode-charts-blue', '#3794ff'),
        width: 2,
        paths: sampled ? undefined : uPlot.paths.stepped!({ align: 1 }),
        points: { show: list.length < 400, size: 6 },
        value: (_u, v, _s, i) => (i == null ? '' : samples[i]?.value ?? (v == null ? '' : String(v))),
      },
    ],
    cursor: { drag: { x: true, y: false }, points: { size: 8 } },
    hooks: {
      setCursor: [(u) => {
        hovered = u.cursor.idx ?? null;
        const s = hovered === null ? undefined : samples[hovered];
        readout.textContent = s ? `Step ${fmt(s.step)}: ${s.value}  (click to go there)` : '';
      }],
      draw: [(u) => {
        // The current step as a vertical line.
        const x = u.valToPos(now, 'x', true);
        if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
        u.ctx.save();
        u.ctx.fillStyle = css('--vscode-focusBorder', '#0078d4');
        u.ctx.fillRect(Math.round(x) - 1, u.bbox.top, 2, u.bbox.height);
        u.ctx.restore();
      }],
    },
  }, [xs, ys], chartElement);
  plot.setScale('x', { min: 0, max: Math.max(lastStep, xs[xs.length - 1] ?? 1) });
  // A click (not a drag-to-zoom) seeks to the hovered write.
  let down = { x: 0, y: 0 };
  plot.over.addEventListener('mousedown', (ev) => { down = { x: ev.clientX, y: ev.clientY }; });
  plot.over.addEventListener('mouseup', (ev) => {
    if (Math.abs(ev.clientX - down.x) > 3 || hovered === null || !samples[hovered]) return;
    vscode.postMessage({ type: 'seek', step: samples[hovered].step });
  });
  readout.textContent = 'Hover for a write\'s step and value; click to go there; drag to zoom, double-click for the whole run.';
}

window.addEventListener('message', (ev: MessageEvent<ValuePlotToPage>) => {
  const m = ev.data;
  if (m.type === 'history') show(m.label, m.lastStep, m.samples, m.sampled);
  else if (m.type === 'now') {
    now = m.step;
    plot?.redraw(false);
  }
});
window.addEventListener('resize', () => plot?.setSize({ width: chartElement.clientWidth, height: Math.max(200, window.innerHeight - 110) }));
vscode.postMessage({ type: 'ready' });
