/**
 * The Replay Timeline page: the whole recording as a strip, its events as marks in rows by kind, the
 * current step as a cursor. The wheel zooms (from the whole run down to single instructions) around the
 * mouse, shift+wheel pans; a click seeks (to the mark under the mouse, else to the step there); dragging
 * the cursor seeks where it is let go; hovering shows the step and the events there. Below the strip,
 * the program's output lines: those printed after now are dimmed, and choosing one seeks to its step.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { TimelineEvent } from '../../adapter/custom-requests';
import type { PageToExtension, TimelineToPage } from './messages';

declare function acquireVsCodeApi(): { postMessage(message: PageToExtension): void };
const vscode = acquireVsCodeApi();

/** Rows of the strip, top to bottom, and the kinds drawn in each. */
const ROWS: Array<{ label: string; kinds: Array<TimelineEvent['kind']> }> = [
  { label: 'output', kinds: ['output', 'input'] },
  { label: 'traps', kinds: ['trap', 'interrupt', 'exit'] },
  { label: 'hits', kinds: ['breakpoint', 'logpoint', 'stepBreakpoint', 'bookmark'] },
];
const KIND_COLOR: Record<TimelineEvent['kind'], string> = {
  output: '--vscode-debugConsole-infoForeground',
  input: '--vscode-debugConsole-sourceForeground',
  trap: '--vscode-debugConsole-errorForeground',
  interrupt: '--vscode-charts-orange',
  exit: '--vscode-charts-purple',
  breakpoint: '--vscode-debugIcon-breakpointForeground',
  logpoint: '--vscode-charts-yellow',
  stepBreakpoint: '--vscode-charts-blue',
  bookmark: '--vscode-charts-green',
};
const ROW_HEIGHT = 16;
const AXIS_HEIGHT = 14;
/** The narrowest view: this many steps across the strip (single instructions are then wide apart). */
const MIN_SPAN = 16;
const HIT_PIXELS = 4;

let lastStep = 0;
let events: TimelineEvent[] = [];
let now = 0;
let stopped = true;
let view = { from: 0, to: 1 };
let drag: { startX: number; step: number; moved: boolean } | undefined;

const canvas = document.getElementById('strip') as HTMLCanvasElement;
const tooltip = document.getElementById('tooltip') as HTMLDivElement;
const status = document.getElementById('status') as HTMLDivElement;
const position = document.getElementById('position') as HTMLSpanElement;
const range = document.getElementById('range') as HTMLSpanElement;
const outputList = document.getElementById('output') as HTMLOListElement;

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const color = (variable: string): string => getComputedStyle(document.body).getPropertyValue(variable).trim() || '#888';

function stepAt(x: number): number {
  const width = canvas.clientWidth || 1;
  return Math.max(0, Math.min(lastStep, Math.round(view.from + (x / width) * (view.to - view.from))));
}
function xOf(step: number): number {
  return ((step - view.from) / Math.max(1, view.to - view.from)) * canvas.clientWidth;
}

function setView(from: number, to: number): void {
  let span = Math.max(Math.min(MIN_SPAN, lastStep || MIN_SPAN), to - from);
  span = Math.min(span, Math.max(1, lastStep));
  let start = Math.max(0, Math.min(from, lastStep - span));
  if (!Number.isFinite(start)) start = 0;
  view = { from: start, to: start + span };
  draw();
}

function draw(): void {
  const dpr = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = AXIS_HEIGHT + ROWS.length * ROW_HEIGHT;
  canvas.style.height = `${height}px`;
  canvas.width = Math.max(1, Math.floor(width * dpr));
  canvas.height = Math.floor(height * dpr);
  const g = canvas.getContext('2d')!;
  g.scale(dpr, dpr);
  g.clearRect(0, 0, width, height);
  g.font = '10px var(--vscode-font-family, sans-serif)';
  g.fillStyle = color('--vscode-descriptionForeground');
  // Axis: a few step labels.
  const ticks = Math.max(2, Math.floor(width / 120));
  for (let i = 0; i <= ticks; i++) {
    const step = view.from + ((view.to - view.from) * i) / ticks;
    const x = (i / ticks) * width;
    g.fillRect(x, AXIS_HEIGHT - 3, 1, 3);
    const text = fmt(step);
    g.fillText(text, Math.min(Math.max(0, x - g.measureText(text).width / 2), width - g.measureText(text).width), 9);
  }
  // Theme colours are read once per paint (reading styles per mark would dominate with many marks).
  const colours = new Map(Object.entries(KIND_COLOR).map(([kind, variable]) => [kind, color(variable)]));
  const rowOf = new Map(ROWS.flatMap((row, r) => row.kinds.map((kind) => [kind, r] as const)));
  g.fillStyle = color('--vscode-editorWidget-background');
  ROWS.forEach((_, r) => g.fillRect(0, AXIS_HEIGHT + r * ROW_HEIGHT + 1, width, ROW_HEIGHT - 2));
  // Many marks fall on one pixel: each (row, pixel, kind, dimmed) is painted once.
  const painted = new Set<string>();
  for (const e of events) {
    if (e.step < view.from || e.step > view.to) continue;
    const r = rowOf.get(e.kind) ?? 0;
    const x = Math.round(xOf(e.step));
    const dim = e.kind === 'output' && e.step >= now; // output not printed yet
    const key = `${r}:${x}:${e.kind}:${dim}`;
    if (painted.has(key)) continue;
    painted.add(key);
    g.globalAlpha = dim ? 0.35 : 1;
    g.fillStyle = colours.get(e.kind)!;
    g.fillRect(x - 1, AXIS_HEIGHT + r * ROW_HEIGHT + 3, e.kind === 'bookmark' || e.kind === 'exit' ? 4 : 2, ROW_HEIGHT - 6);
  }
  g.globalAlpha = 1;
  // The cursor: now, or where a drag would take it.
  const cursorStep = drag?.moved ? drag.step : now;
  const x = xOf(cursorStep);
  g.fillStyle = color('--vscode-focusBorder');
  g.fillRect(Math.round(x) - 1, 0, 2, height);
  range.textContent = `steps ${fmt(view.from)}–${fmt(view.to)}`;
}

function eventsNear(x: number): TimelineEvent[] {
  return events.filter((e) => Math.abs(xOf(e.step) - x) <= HIT_PIXELS && e.step >= view.from && e.step <= view.to);
}

function seek(step: number): void {
  vscode.postMessage({ type: 'seek', step });
}

canvas.addEventListener('wheel', (ev) => {
  ev.preventDefault();
  const span = view.to - view.from;
  if (ev.shiftKey || Math.abs(ev.deltaX) > Math.abs(ev.deltaY)) {
    const delta = ((ev.shiftKey ? ev.deltaY : ev.deltaX) / canvas.clientWidth) * span;
    setView(view.from + delta, view.to + delta);
    return;
  }
  const at = view.from + (ev.offsetX / canvas.clientWidth) * span;
  const factor = ev.deltaY > 0 ? 1.5 : 1 / 1.5;
  setView(at - (at - view.from) * factor, at + (view.to - at) * factor);
}, { passive: false });

canvas.addEventListener('mousedown', (ev) => {
  drag = { startX: ev.offsetX, step: stepAt(ev.offsetX), moved: false };
});
canvas.addEventListener('mousemove', (ev) => {
  if (drag) {
    if (Math.abs(ev.offsetX - drag.startX) > 3) drag.moved = true;
    drag.step = stepAt(ev.offsetX);
    if (drag.moved) draw();
  }
  const near = eventsNear(ev.offsetX);
  const step = near.length ? near[0].step : stepAt(ev.offsetX);
  tooltip.textContent = [`Step ${fmt(step)}`, ...near.slice(0, 6).map((e) => `${e.kind}: ${e.text}`), ...(near.length > 6 ? [`… ${near.length - 6} more`] : [])].join('\n');
  tooltip.style.left = `${Math.min(ev.offsetX + 12, canvas.clientWidth - 220)}px`;
  tooltip.style.top = `${canvas.offsetTop + canvas.clientHeight + 4}px`;
  tooltip.hidden = false;
  canvas.title = tooltip.textContent;
});
canvas.addEventListener('mouseleave', () => { tooltip.hidden = true; });
window.addEventListener('mouseup', (ev) => {
  if (!drag) return;
  const d = drag;
  drag = undefined;
  if (d.moved) return seek(d.step);
  if (ev.target !== canvas) return draw();
  const near = eventsNear(d.startX);
  seek(near.length ? near[0].step : d.step);
});

function button(id: string, run: () => void): void {
  document.getElementById(id)?.addEventListener('click', run);
}
button('zoom-in', () => {
  const mid = (view.from + view.to) / 2, half = (view.to - view.from) / 4;
  setView(mid - half, mid + half);
});
button('zoom-out', () => {
  const mid = (view.from + view.to) / 2, half = view.to - view.from;
  setView(mid - half, mid + half);
});
button('zoom-all', () => setView(0, lastStep));
button('zoom-now', () => {
  const half = Math.max(MIN_SPAN, view.to - view.from) / 2;
  setView(now - half, now + half);
});

function showOutput(): void {
  const lines = events.filter((e) => e.kind === 'output' || e.kind === 'input');
  outputList.replaceChildren(...lines.slice(0, 5000).map((e) => {
    const li = document.createElement('li');
    li.className = `line ${e.kind}${e.step >= now ? ' after' : ''}`;
    li.dataset.step = String(e.step);
    li.title = `Step ${fmt(e.step)}: click to go there`;
    const step = document.createElement('span');
    step.className = 'step';
    step.textContent = fmt(e.step);
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = e.text;
    li.append(step, text);
    li.addEventListener('click', () => seek(e.step));
    return li;
  }));
}

function markNow(): void {
  document.body.dataset.now = String(now);
  position.textContent = stopped ? `Step ${fmt(now)} of ${fmt(lastStep)}` : `Running… (of ${fmt(lastStep)})`;
  for (const li of outputList.children) (li as HTMLElement).classList.toggle('after', Number((li as HTMLElement).dataset.step) >= now);
  draw();
}

window.addEventListener('message', (ev: MessageEvent<TimelineToPage>) => {
  const m = ev.data;
  switch (m.type) {
    case 'timeline': {
      const whole = view.from === 0 && view.to >= lastStep;
      lastStep = m.lastStep;
      events = m.events;
      status.hidden = true;
      // For a reader of the page (and the end-to-end tests): how many marks the strip holds.
      document.body.dataset.events = String(events.length);
      if (whole || view.to > lastStep) setView(0, lastStep); else draw();
      showOutput();
      markNow();
      break;
    }
    case 'now':
      now = m.step;
      stopped = m.stopped;
      markNow();
      break;
    case 'status':
      status.textContent = m.text;
      status.hidden = false;
      break;
  }
});
new ResizeObserver(() => draw()).observe(canvas);
vscode.postMessage({ type: 'ready' });
