/**
 * Questions about the whole recording at once: every execution of some addresses (a line), every write
 * to a memory range with the value after it, a value sampled across the run, and the run's events
 * (output lines, input, traps, interrupts, hits, the exit). Each answer is one forward pass over the
 * recording on a second engine of its own (kept from query to query: once a pass has reached the end,
 * its snapshots tell which pages each stretch of the run wrote, and a query for writes replays only the
 * stretches that wrote a watched page), so the user's position, stop conditions and snapshots are
 * never touched (history is read-only, and a query cancelled halfway leaves nothing to repair). The
 * machine runs at full speed between hits; only hits cost JavaScript. Progress and cancellation go
 * through the engine's `Control`.
 */
import { Watchpoint } from '../emulator/machine';
import { Control, EngineStop, ReplayEngine, Until } from '../emulator/replay/engine';
import { Recording } from '../emulator/replay/recording-format';
import { ProgramSymbols } from './symbols/api';
import { machineView } from './machine-view';
import { ValueContext } from './values/value';
import { CancelledError } from './history-scan';
import { hexAddress } from '../emulator/hex';
import { PAGE_SHIFT } from '../emulator/memory/ram';

/** A moment found by a query: the step (the position before the instruction that matters) and what was noted there. */
export interface Moment<T> {
  step: number;
  info: T;
}

export type TimelineKind = 'output' | 'input' | 'trap' | 'interrupt' | 'exit' | 'breakpoint' | 'logpoint' | 'stepBreakpoint' | 'bookmark';

export interface TimelineEvent {
  step: number;
  kind: TimelineKind;
  text: string;
}

/** One line the guest printed, and the step of the instruction that printed its first character. */
export interface OutputLine {
  step: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

/** What a timeline pass looks for besides output and traps: the user's breakpoint addresses, by kind. */
export interface TimelineStops {
  breakpoints: number[];
  logpoints: number[];
}

/** More hits than this in one query are not collected (the answer says how many were left out). */
export const MAX_MOMENTS = 200_000;
/** Every exception and the standard interrupts (mcause with the top bit set). */
const ALL_TRAP_CAUSES = [...Array(16).keys(), ...[1, 3, 5, 7, 9, 11].map((n) => (0x80000000 | n) >>> 0)];
/**
 * The query engine's snapshots: about this many over the whole recording (never closer than
 * `MIN_STRETCH` steps), within a memory budget. Besides starting points, they say which pages each
 * stretch of the run wrote, which lets a later query skip the stretches that cannot matter to it.
 */
const QUERY_SNAPSHOT_BYTES = 64 * 1024 * 1024;
const QUERY_STRETCHES = 128;
const MIN_STRETCH = 10_000;

export class WholeRun {
  /** The engine of the queries that need no console output; kept, with its snapshots, from one query to the next. */
  private kept?: { engine: ReplayEngine; ctx: ValueContext };
  /** A pass of the kept engine reached the end of the recording: its snapshots cover the whole run. */
  private covered = false;
  /** Steps the last query replayed (a query that skips stretches replays fewer than the recording has). */
  lastReplayedSteps = 0;

  constructor(private readonly recording: Recording, private readonly symbols: ProgramSymbols | undefined) {}

  /** Every step at which the pc is one of `addresses`, ascending, with `inspect` run there. */
  async executions<T>(addresses: number[], inspect: (ctx: ValueContext) => T, control: Control = {}): Promise<Array<Moment<T>>> {
    const wanted = new Set(addresses.map((a) => a >>> 0));
    const { engine, ctx } = await this.fromStart();
    const found: Array<Moment<T>> = [];
    if (wanted.has(engine.machine.pc >>> 0)) found.push({ step: 0, info: inspect(ctx) });
    const full = await pass(engine, { breakpoints: [...wanted] }, control, (stop) => {
      if (stop.reason === 'breakpoint') found.push({ step: engine.step, info: inspect(ctx) });
      return found.length >= MAX_MOMENTS;
    });
    this.passed(full);
    return found;
  }

  /**
   * Every write to `[address, address + length)`, ascending: the step of the writing instruction and
   * `read` run just after it (so it sees the value written).
   */
  async writes<T>(address: number, length: number, read: (ctx: ValueContext) => T, control: Control = {}): Promise<Array<Moment<T>>> {
    const { engine, ctx } = await this.fromStart();
    const watch: Watchpoint = { address: address >>> 0, length, access: 'write' };
    const found: Array<Moment<T>> = [];
    const onStop = (stop: EngineStop): boolean => {
      if (stop.reason === 'watchpoint') found.push({ step: engine.step - 1, info: read(ctx) });
      return found.length >= MAX_MOMENTS;
    };
    const pages = this.covered ? ramPages(engine, watch) : undefined;
    if (!pages) {
      this.passed(await pass(engine, { watchpoints: [watch] }, control, onStop));
      return found;
    }
    // An earlier pass left snapshots over the whole run: replay only the stretches that wrote one of the
    // watched pages (a value written at the start and the end skips everything in between).
    const total = engine.lastStep;
    for (const stretch of engine.snapshots.stretches()) {
      if (!pages.some((p) => stretch.pages.has(p))) continue;
      if (engine.step !== stretch.from) await engine.seek(stretch.from);
      control.progress?.(stretch.from, total);
      this.lastReplayedSteps += stretch.to - stretch.from;
      if (!await pass(engine, { watchpoints: [watch] }, control, onStop, stretch.to)) return found;
    }
    control.progress?.(total, total);
    return found;
  }

  /** `read` at `count` evenly spaced steps from 0 to the end (for values with no memory to watch, like registers). */
  async sampled<T>(count: number, read: (ctx: ValueContext) => T, control: Control = {}): Promise<Array<Moment<T>>> {
    const { engine, ctx } = await this.fromStart();
    const last = this.recording.lastStep;
    const steps = [...new Set(Array.from({ length: Math.max(2, count) }, (_, i) => Math.round((i * last) / Math.max(1, count - 1))))];
    const found: Array<Moment<T>> = [{ step: 0, info: read(ctx) }];
    this.passed(await pass(engine, { stepBreakpoints: steps.filter((s) => s > 0) }, control, (stop) => {
      if (stop.reason === 'stepBreakpoint') found.push({ step: engine.step, info: read(ctx) });
    }));
    return found;
  }

  /**
   * The run's events in step order: every output line, recorded input, trap and interrupt, hits of the
   * given breakpoint and logpoint addresses, and the exit.
   */
  async timeline(stops: TimelineStops, control: Control = {}): Promise<{ events: TimelineEvent[]; output: OutputLine[] }> {
    const output: OutputLine[] = [];
    const lines = new LineCollector((line) => { if (output.length < MAX_MOMENTS) output.push(line); });
    const { engine, ctx } = this.engine(lines);
    const logpoints = new Set(stops.logpoints.map((a) => a >>> 0));
    const until: Until = { breakpoints: [...new Set([...stops.breakpoints, ...stops.logpoints].map((a) => a >>> 0))], trapCauses: ALL_TRAP_CAUSES };
    const events: TimelineEvent[] = [];
    const where = (pc: number): string => {
      const loc = this.symbols?.locationAt(pc);
      return loc ? `${loc.file.split(/[\\/]/).pop()}:${loc.line}` : hexAddress(pc);
    };
    const hit = (pc: number, step: number): void => {
      const kind = logpoints.has(pc) ? 'logpoint' : 'breakpoint';
      events.push({ step, kind, text: `${kind === 'logpoint' ? 'logpoint' : 'breakpoint'} at ${where(pc)}` });
    };
    const first = ctx.view.pc;
    if (logpoints.has(first) || stops.breakpoints.includes(first)) hit(first, 0);
    await pass(engine, until, control, (stop) => {
      if (events.length >= MAX_MOMENTS) return;
      if (stop.reason === 'breakpoint') hit(stop.address >>> 0, engine.step);
      else if (stop.reason === 'trap') {
        const interrupt = (stop.mcause & 0x80000000) !== 0;
        events.push({ step: engine.step - 1, kind: interrupt ? 'interrupt' : 'trap', text: `${interrupt ? 'interrupt' : 'trap'} ${causeText(stop.mcause)} at ${where(stop.pc)}` });
      }
    });
    lines.flush();
    for (const e of this.recording.events) {
      if (e.kind === 'console') events.push({ step: e.step, kind: 'input', text: e.bytes.length ? `input ${JSON.stringify(new TextDecoder().decode(e.bytes))}` : 'end of input' });
      else if (e.kind === 'uart') events.push({ step: e.step, kind: 'input', text: `UART input 0x${e.byte.toString(16).padStart(2, '0')}${e.arrived ? ' (arrived: receive interrupt)' : ''}` });
    }
    for (const line of output) events.push({ step: line.step, kind: 'output', text: line.text });
    const halted = engine.machine.halted;
    if (halted?.kind === 'exit') events.push({ step: engine.step, kind: 'exit', text: `exited with status ${halted.code}` });
    else if (halted?.kind === 'stuck') events.push({ step: engine.step, kind: 'exit', text: halted.message });
    events.sort((a, b) => a.step - b.step);
    return { events, output };
  }

  /** The kept engine at step 0 (made on first use). */
  private async fromStart(): Promise<{ engine: ReplayEngine; ctx: ValueContext }> {
    this.kept ??= this.engine();
    if (this.kept.engine.step !== 0) await this.kept.engine.seek(0);
    this.lastReplayedSteps = 0;
    return this.kept;
  }

  /** After a pass of the kept engine from step 0: whether it went to the end (its snapshots then cover the run). */
  private passed(toTheEnd: boolean): void {
    const engine = this.kept!.engine;
    this.lastReplayedSteps = engine.step;
    if (!toTheEnd || this.covered) return;
    // The last stretch ends at a snapshot too, so that it has its written pages like the others.
    if (!engine.snapshots.has(engine.step)) engine.snapshots.take();
    this.covered = true;
  }

  /**
   * A fresh engine on the recording (its output cut into lines when `lines` is given: output is passed
   * on once per step of an engine's history, so a pass that collects it needs an engine of its own).
   */
  private engine(lines?: LineCollector): { engine: ReplayEngine; ctx: ValueContext } {
    // The console sink is called while the machine runs: it reads the step of the printing instruction then.
    const engine: ReplayEngine = new ReplayEngine(this.recording, {
      snapshotMemoryBytes: QUERY_SNAPSHOT_BYTES,
      snapshotInterval: Math.max(MIN_STRETCH, Math.ceil(this.recording.lastStep / QUERY_STRETCHES)),
      console: { write: (stream, bytes) => lines?.write(stream, bytes, engine.machine.exactStep()) },
    });
    const view = machineView(engine.machine);
    const symbols = this.symbols;
    const ctx: ValueContext = {
      machine: engine.machine, view, symbols,
      // The innermost frame, unwound on demand at each hit.
      get frame() { return symbols?.unwind(view, 1)[0]; },
    };
    return { engine, ctx };
  }
}

/**
 * Runs `engine` from its position to `end` (default: the end of the recording) with the stop set
 * `until`, calling `onStop` at each stop. `onStop` answers true when it has collected all it may keep:
 * the pass ends there (the answer is cut short). Returns whether the pass reached `end`.
 */
async function pass(engine: ReplayEngine, until: Until, control: Control, onStop: (stop: EngineStop) => boolean | void, end = engine.lastStep): Promise<boolean> {
  const total = engine.lastStep;
  const inner: Control = {
    cancelled: () => control.cancelled?.() ?? false,
    progress: () => control.progress?.(engine.step, total),
  };
  // A pass that ends before the recording does ends at a step breakpoint of its own (not one of `until`'s).
  const ownEnd = end < total && !(until.stepBreakpoints ?? []).includes(end);
  const bounded: Until = ownEnd ? { ...until, stepBreakpoints: [...(until.stepBreakpoints ?? []), end] } : until;
  let lastTurn = Date.now();
  while (engine.step < end) {
    if (control.cancelled?.()) throw new CancelledError();
    const stop = await engine.run('forward', bounded, inner);
    if (stop.reason === 'cancelled') throw new CancelledError();
    if (stop.reason === 'end' || stop.reason === 'input' || stop.reason === 'start') break;
    if (ownEnd && stop.reason === 'stepBreakpoint' && stop.step === end) break;
    if (onStop(stop) === true) return false;
    // Frequent hits never finish an engine slice: report progress and give the event loop a turn (a
    // cancel request must get in) every 50 ms here instead.
    if (Date.now() - lastTurn >= 50) {
      control.progress?.(engine.step, total);
      await new Promise((resolve) => setImmediate(resolve));
      lastTurn = Date.now();
    }
  }
  if (end === total) control.progress?.(total, total);
  return true;
}

/** The RAM pages a watchpoint covers, or undefined when it reaches outside RAM (devices: nothing to skip by). */
function ramPages(engine: ReplayEngine, watch: Watchpoint): number[] | undefined {
  const ram = engine.machine.ram;
  const first = ram.offsetOf(watch.address);
  const last = ram.offsetOf(watch.address + watch.length - 1);
  if (first < 0 || last < 0) return undefined;
  const pages: number[] = [];
  for (let p = first >>> PAGE_SHIFT; p <= last >>> PAGE_SHIFT; p++) pages.push(p);
  return pages;
}

/** Cuts the guest's output into lines, each with the step that printed its first character. */
class LineCollector {
  private readonly decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  private readonly open = { stdout: { text: '', step: 0 }, stderr: { text: '', step: 0 } };

  constructor(private readonly onLine: (line: OutputLine) => void) {}

  write(stream: 'stdout' | 'stderr', bytes: Uint8Array, step: number): void {
    const pending = this.open[stream];
    for (const ch of this.decoders[stream].decode(bytes, { stream: true })) {
      if (pending.text === '') pending.step = step;
      pending.text += ch;
      if (ch === '\n') this.emit(stream);
    }
  }

  /** The unfinished last line of each stream (a prompt, or output cut short by the end). */
  flush(): void {
    this.emit('stdout');
    this.emit('stderr');
  }

  private emit(stream: 'stdout' | 'stderr'): void {
    const pending = this.open[stream];
    if (pending.text === '') return;
    this.onLine({ step: pending.step, stream, text: pending.text.replace(/\n$/, '') });
    pending.text = '';
  }
}

const CAUSES: Record<number, string> = {
  0: 'instruction address misaligned', 1: 'instruction access fault', 2: 'illegal instruction', 3: 'breakpoint',
  4: 'load address misaligned', 5: 'load access fault', 6: 'store address misaligned', 7: 'store access fault',
  8: 'ecall from U-mode', 9: 'ecall from S-mode', 11: 'ecall from M-mode', 12: 'instruction page fault',
  13: 'load page fault', 15: 'store page fault',
};
const INTERRUPTS: Record<number, string> = { 1: 'supervisor software', 3: 'machine software', 5: 'supervisor timer', 7: 'machine timer', 9: 'supervisor external', 11: 'machine external' };

function causeText(mcause: number): string {
  const code = mcause & 0x7fffffff;
  return (mcause & 0x80000000) !== 0 ? `(${INTERRUPTS[code] ?? `interrupt ${code}`})` : `(${CAUSES[code] ?? `cause ${code}`})`;
}
