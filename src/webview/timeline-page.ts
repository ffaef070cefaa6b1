/**
 * The Replay Timeline page: the whole recording as a strip, its events as marks in rows by kind, the
 * current step as a cursor. The wheel zooms (from the whole run down to single instructions) around the
 * mouse, shift+wheel pans; a click seeks (to the mark under the mouse, else to the step there); dragging
 * the cursor seeks where it is let go; hovering shows the step and the events there. Below the strip,
 * the program's output lines: those printed after now are dimmed, and choosing one seeks to its step.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { TimelineEvent } from '../../adapter/custom-requests';
import { PageToExtension, TIMELINE_KINDS, TimelineColumns, TimelineToPage } from './messages';

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
/** The events as columns, in step order (see messages.ts); objects are made only for the few shown in words. */
let events: TimelineColumns = { steps: new Float64Array(0), kinds: new Uint8Array(0), textOf: new Uint32Array(0), texts: [] };
const eventAt = (i: number): TimelineEvent => ({ step: events.steps[i], kind: TIMELINE_KINDS[events.kinds[i]], text: events.texts[events.textOf[i]] });
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

const numbers = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const fmt = (n: number): string => numbers.format(Math.round(n));
const color = (variable: string): string => getComputedStyle(document.body).getPropertyValue(variable).trim() || '#888';

/** The strip's width in CSS pixels, read once per paint or event: reading it per mark forces a layout each time. */
let stripWidth = 1;

function stepAt(x: number): number {
  return Math.max(0, Math.min(lastStep, Math.round(view.from + (x / stripWidth) * (view.to - view.from))));
}
function xOf(step: number): number {
  return ((step - view.from) / Math.max(1, view.to - view.from)) * stripWidth;
}

/** The index of the first event at or after `step` (events are in step order). */
function firstAtOrAfter(step: number): number {
  const steps = events.steps;
  let lo = 0, hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (steps[mid] < step) lo = mid + 1; else hi = mid;
  }
  return lo;
}

function setView(from: number, to: number): void {
  let span = Math.max(Math.min(MIN_SPAN, lastStep || MIN_SPAN), to - from);
  span = Math.min(span, Math.max(1, lastStep));
  let start = Math.max(0, Math.min(from, lastStep - span));
  if (!Number.isFinite(start)) start = 0;
  view = { from: start, to: start + span };
  draw();
}

const ROW_OF = new Map(ROWS.flatMap((row, r) => row.kinds.map((kind) => [kind, r] as const)));
const BRIGHT = 1, DIM = 2;

/** Paints at the next frame: several changes in one frame (new events, then the cursor) paint once. */
let frameRequested = false;
function draw(): void {
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(() => {
    frameRequested = false;
    paint();
  });
}

function paint(): void {
  const dpr = window.devicePixelRatio || 1;
  // The width comes from the resize observer: reading it here would force a layout of the whole page.
  const width = stripWidth;
  const height = AXIS_HEIGHT + ROWS.length * ROW_HEIGHT;
  if (canvas.style.height !== `${height}px`) canvas.style.height = `${height}px`;
  if (canvas.width !== Math.max(1, Math.floor(width * dpr))) canvas.width = Math.max(1, Math.floor(width * dpr));
  if (canvas.height !== Math.floor(height * dpr)) canvas.height = Math.floor(height * dpr);
  const g = canvas.getContext('2d')!;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
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
  g.fillStyle = color('--vscode-editorWidget-background');
  ROWS.forEach((_, r) => g.fillRect(0, AXIS_HEIGHT + r * ROW_HEIGHT + 1, width, ROW_HEIGHT - 2));
  // Many marks fall on one pixel: first note, per kind, which pixels hold a mark (bright or dimmed),
  // then paint each run of marked pixels as one rectangle. Only the visible events are visited.
  const pixels = Math.max(1, Math.ceil(width) + 1);
  const marked = TIMELINE_KINDS.map(() => new Uint8Array(0));
  const scale = stripWidth / Math.max(1, view.to - view.from);
  const { steps, kinds } = events;
  const output = TIMELINE_KINDS.indexOf('output');
  for (let i = firstAtOrAfter(view.from); i < steps.length && steps[i] <= view.to; i++) {
    const kind = kinds[i];
    if (marked[kind].length === 0) marked[kind] = new Uint8Array(pixels);
    const x = Math.min(pixels - 1, Math.max(0, Math.round((steps[i] - view.from) * scale)));
    marked[kind][x] |= kind === output && steps[i] >= now ? DIM : BRIGHT; // output not printed yet is dimmed
  }
  TIMELINE_KINDS.forEach((kind, k) => {
    const row = marked[k];
    if (row.length === 0) return;
    const y = AXIS_HEIGHT + (ROW_OF.get(kind) ?? 0) * ROW_HEIGHT + 3;
    const w = kind === 'bookmark' || kind === 'exit' ? 4 : 2;
    g.fillStyle = color(KIND_COLOR[kind]);
    for (const flag of [BRIGHT, DIM]) {
      g.globalAlpha = flag === DIM ? 0.35 : 1;
      for (let x = 0; x < pixels; x++) {
        if (!(row[x] & flag)) continue;
        let end = x;
        while (end + 1 < pixels && row[end + 1] & flag) end++;
        g.fillRect(x - 1, y, end - x + w, ROW_HEIGHT - 6);
        x = end;
      }
    }
  });
  g.globalAlpha = 1;
  // The cursor: now, or where a drag would take it.
  const cursorStep = drag?.moved ? drag.step : now;
  const x = xOf(cursorStep);
  g.fillStyle = color('--vscode-focusBorder');
  g.fillRect(Math.round(x) - 1, 0, 2, height);
  range.textContent = `steps ${fmt(view.from)}–${fmt(view.to)}`;
}

/** The visible events within a few pixels of `x`, in step order. */
function eventsNear(x: number): TimelineEvent[] {
  const from = Math.max(view.from, stepAt(x - HIT_PIXELS) - 1);
  const to = Math.min(view.to, stepAt(x + HIT_PIXELS) + 1);
  const near: TimelineEvent[] = [];
  for (let i = firstAtOrAfter(from); i < events.steps.length && events.steps[i] <= to; i++) {
    if (Math.abs(xOf(events.steps[i]) - x) <= HIT_PIXELS) near.push(eventAt(i));
  }
  return near;
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

/** How many output lines (a prefix: they are in step order) are printed by now; the rest are dimmed. */
let linesBeforeNow = 0;

/** The output lines below the strip (the first 5,000: a longer list helps no one and costs the paint). */
function showOutput(): void {
  const lines: HTMLLIElement[] = [];
  const output = TIMELINE_KINDS.indexOf('output'), input = TIMELINE_KINDS.indexOf('input');
  for (let i = 0; i < events.steps.length && lines.length < 5000; i++) {
    if (events.kinds[i] !== output && events.kinds[i] !== input) continue;
    const e = eventAt(i);
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
    lines.push(li);
  }
  outputList.replaceChildren(...lines);
  linesBeforeNow = lines.filter((li) => !li.classList.contains('after')).length;
}
// One listener for every line: choosing a line seeks to the step that printed it.
outputList.addEventListener('click', (ev) => {
  const li = (ev.target as HTMLElement).closest('li');
  if (li?.dataset.step !== undefined) seek(Number(li.dataset.step));
});

function markNow(): void {
  document.body.dataset.now = String(now);
  position.textContent = stopped ? `Step ${fmt(now)} of ${fmt(lastStep)}` : `Running… (of ${fmt(lastStep)})`;
  const lines = outputList.children;
  let lo = 0, hi = lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (Number((lines[mid] as HTMLElement).dataset.step) < now) lo = mid + 1; else hi = mid;
  }
  // Only the lines between the old and the new boundary change (a stop moves it by a few lines).
  for (let i = Math.min(lo, linesBeforeNow); i < Math.max(lo, linesBeforeNow) && i < lines.length; i++) lines[i].classList.toggle('after', i >= lo);
  linesBeforeNow = lo;
  draw();
}

window.addEventListener('message', (ev: MessageEvent<TimelineToPage>) => {
  const m = ev.data;
  switch (m.type) {
    case 'timeline': {
      const whole = view.from === 0 && view.to >= lastStep;
      lastStep = m.lastStep;
      // Drawing and hovering look events up by step: the adapter sends them in step order.
      events = m.events;
      status.hidden = true;
      // For a reader of the page (and the end-to-end tests): how many marks the strip holds.
      document.body.dataset.events = String(events.steps.length);
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
new ResizeObserver((entries) => {
  stripWidth = Math.max(1, entries[entries.length - 1].contentRect.width);
  draw();
}).observe(canvas);
vscode.postMessage({ type: 'ready' });
