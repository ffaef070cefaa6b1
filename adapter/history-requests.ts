/**
 * The whole run at once, over DAP: every execution of a line, a value's history, the timeline, bookmarks,
 * and retroactive logpoints (a logpoint set in a session prints its message for every hit in the whole
 * recording at once, in step order). Each query is one pass of the core's `WholeRun` on its own engine:
 * the position does not move, and a cancelled query leaves the session as it was. Queries run one at a
 * time, with a cancellable progress notification of their own.
 */
import { basename } from 'node:path';
import { OutputEvent, ProgressEndEvent, ProgressStartEvent, ProgressUpdateEvent, Source } from '@vscode/debugadapter';
import { DebugProtocol } from '@vscode/debugprotocol';
import { Control } from '../emulator/replay/engine';
import { Frame, ProgramSymbols } from '../debugger/symbols/api';
import { AddressBreakpoint, hitConditionHolds, StopConditions } from '../debugger/stop-conditions';
import { WholeRun } from '../debugger/whole-run';
import { Bookmarks } from '../debugger/bookmarks';
import { logMessage } from '../debugger/log-message';
import { evaluateExpression } from '../debugger/expressions/evaluate';
import { formatValue } from '../debugger/values/format';
import { numberOf, Value, ValueContext, valueSize } from '../debugger/values/value';
import { CancelledError } from '../debugger/history-scan';
import { parseAddress } from '../debugger/address';
import {
  BookmarksArguments, BookmarksResponseBody, ExecutionsArguments, ExecutionsResponseBody, RewindRequest, TimelineEvent,
  TimelineResponseBody, ValueHistoryArguments, ValueHistoryResponseBody, ValueSample,
} from './custom-requests';
import { Debugger } from '../debugger/debugger';
import { hexAddress } from '../emulator/hex';
import { countText } from '../debugger/count-text';

/** What the history requests need from the session (read at request time: launch fills them in). */
export interface HistoryHost {
  core(): Debugger | undefined;
  readonly conditions: StopConditions;
  recordingPath(): string | undefined;
  frame(id: number | undefined): Frame | undefined;
  debuggerPath(clientPath: string): string;
  debuggerLine(clientLine: number): number;
  clientLine(debuggerLine: number): number;
  clientPath(debuggerPath: string): string;
  sendEvent(event: DebugProtocol.Event): void;
  sendResponse(response: DebugProtocol.Response): void;
  sendError(response: DebugProtocol.Response, message: string): void;
}

/** A query accepted: its progress id, its request's seq, and whether the client cancelled it. */
interface Query { readonly progressId: string; readonly requestSeq?: number; cancelled: boolean }

/** A register's history is sampled at this many evenly spaced steps. */
const REGISTER_SAMPLES = 2_000;

export class HistoryRequests {
  private queue: Promise<unknown> = Promise.resolve();
  /**
   * Queries accepted and not finished, the one running first. A query is listed when its request is
   * read, before its turn comes: a cancel that the client sent right after the request can arrive in the
   * same read, before the query starts, and must not be lost (it was, at load ~30: the query then ran
   * to its end).
   */
  private readonly pending: Query[] = [];
  private progressCount = 0;
  /** The logpoints already printed for the whole recording, by what they print and where. */
  private printedLogpoints = new Set<string>();

  constructor(private readonly host: HistoryHost) {}

  static readonly commands: readonly string[] = [RewindRequest.executions, RewindRequest.valueHistory, RewindRequest.timeline, RewindRequest.bookmarks];

  async handle(command: string, response: DebugProtocol.Response, args: unknown): Promise<void> {
    const travel = this.host.core();
    if (!travel) return this.host.sendError(response, 'nothing is loaded yet: launch a recording or a program first');
    const a = (args ?? {}) as Record<string, unknown>;
    try {
      switch (command) {
        case RewindRequest.executions: response.body = await this.query(`Finding every execution`, response.request_seq, (control) => this.executions(travel, a as unknown as ExecutionsArguments, control)); break;
        case RewindRequest.valueHistory: response.body = await this.query(`Finding every write`, response.request_seq, (control) => this.valueHistory(travel, a as unknown as ValueHistoryArguments, control)); break;
        case RewindRequest.timeline: response.body = await this.query('Reading the whole run', response.request_seq, (control) => this.timeline(travel, control)); break;
        case RewindRequest.bookmarks: response.body = this.bookmarks(travel, a as unknown as BookmarksArguments); break;
        default: return this.host.sendError(response, `unknown request ${command}`);
      }
    } catch (e) {
      return this.host.sendError(response, e instanceof CancelledError ? 'cancelled: the query stopped before the end of the recording; nothing changed' : (e as Error).message);
    }
    this.host.sendResponse(response);
  }

  /**
   * A cancel request: for a query under way or waiting for its turn (by its progress id or its request's
   * seq), or for every one of them when neither is given.
   */
  cancel(args: DebugProtocol.CancelArguments = {}): boolean {
    const any = args.progressId === undefined && args.requestId === undefined;
    const mine = this.pending.filter((q) => any || args.progressId === q.progressId || args.requestId === q.requestSeq);
    for (const q of mine) q.cancelled = true;
    return mine.length > 0;
  }

  // ---- the queries ----

  private async executions(travel: Debugger, args: ExecutionsArguments, control: Control): Promise<ExecutionsResponseBody> {
    const symbols = this.needSymbols(travel);
    if (typeof args.source?.path !== 'string' || !Number.isInteger(args.line)) throw new Error('rewind/executions needs "source": {"path"} and "line", a line number');
    const path = this.host.debuggerPath(args.source.path);
    const line = this.host.debuggerLine(args.line);
    const resolved = symbols.resolveLine(path, line);
    if (!resolved) throw new Error(`line ${args.line} of ${basename(path)} has no code, and no line after it has any`);
    if (resolved.line !== line) throw new Error(`line ${args.line} of ${basename(path)} has no code (the next line with code is ${this.host.clientLine(resolved.line)})`);
    const expressions = (args.expressions ?? []).filter((e) => e.trim() !== '');
    const moments = await this.wholeRun(travel).executions(resolved.addresses, (ctx) => expressions.map((e) => valueText(ctx, e)), control);
    return {
      line: this.host.clientLine(resolved.line),
      steps: moments.map((m) => m.step),
      ...(expressions.length ? { values: moments.map((m) => m.info) } : {}),
      ...(moments.length >= 200_000 ? { truncated: true } : {}),
    };
  }

  private async valueHistory(travel: Debugger, args: ValueHistoryArguments, control: Control): Promise<ValueHistoryResponseBody> {
    const whole = this.wholeRun(travel);
    let value: Value;
    let label: string;
    if ('expression' in args && typeof args.expression === 'string') {
      const ctx = travel.valueContext(this.host.frame(args.frameId));
      value = evaluateExpression(ctx, args.expression); // throws "no variable named ..." for a name that names nothing
      label = args.expression;
    } else if ('address' in args && args.address !== undefined) {
      const address = typeof args.address === 'number' ? args.address >>> 0 : parseAddress(args.address);
      const length = args.length;
      if (![1, 2, 4].includes(length)) throw new Error('rewind/valueHistory needs "length" 1, 2 or 4 bytes with "address" (a word or less, shown as a number)');
      value = { type: { kind: 'base', name: length === 4 ? 'uint32_t' : length === 2 ? 'uint16_t' : 'uint8_t', size: length, encoding: 'unsigned' }, location: { kind: 'memory', address } };
      label = `${length} bytes at ${hexAddress(address)}`;
    } else {
      throw new Error('rewind/valueHistory needs "expression", or "address" and "length"');
    }
    const sample = (ctx: ValueContext): Omit<ValueSample, 'step'> => {
      const number = numberOf(ctx, value);
      return { value: safeFormat(ctx, value), ...(number !== undefined && Number.isFinite(number) ? { number } : {}) };
    };
    const location = value.location;
    if (location.kind === 'memory') {
      const length = Math.max(1, valueSize(travel.valueContext(), value.type));
      const moments = await whole.writes(location.address, length, sample, control);
      return { label: `${label} (${length} bytes at ${hexAddress(location.address)})`, samples: moments.map((m) => ({ step: m.step, ...m.info })) };
    }
    if (location.kind === 'register' && 'expression' in args) {
      // A register changes at most steps: sample the expression itself across the run.
      const expression = args.expression;
      const sampledMoments = await whole.sampled(REGISTER_SAMPLES, (ctx) => {
        try {
          const v = evaluateExpression(ctx, expression);
          const n = numberOf(ctx, v);
          return { value: safeFormat(ctx, v), ...(n !== undefined ? { number: n } : {}) };
        } catch (e) {
          return { value: `<${(e as Error).message}>` };
        }
      }, control);
      return { label: `${label} (in a register: sampled at ${sampledMoments.length} steps)`, sampled: true, samples: sampledMoments.map((m) => ({ step: m.step, ...m.info })) };
    }
    throw new Error(`${label} has no storage to follow (it is ${location.kind === 'value' ? 'a computed value' : 'optimized out or in several places'}); choose a variable, a member, or an address`);
  }

  private async timeline(travel: Debugger, control: Control): Promise<TimelineResponseBody> {
    const all = this.host.conditions.all();
    const found = await this.wholeRun(travel).timeline({
      breakpoints: all.filter((b) => !b.logMessage).flatMap((b) => b.addresses),
      logpoints: all.filter((b) => b.logMessage).flatMap((b) => b.addresses),
    }, control);
    const events: TimelineEvent[] = [
      ...found.events,
      ...travel.stepBreakpoints.list().map((step) => ({ step, kind: 'stepBreakpoint' as const, text: `step breakpoint at step ${countText(step)}` })),
      ...this.bookmarkStore().list().map((b) => ({ step: b.step, kind: 'bookmark' as const, text: b.name })),
    ].sort((x, y) => x.step - y.step);
    return { lastStep: travel.engine.lastStep, events };
  }

  private bookmarks(travel: Debugger, args: BookmarksArguments): BookmarksResponseBody {
    const store = this.bookmarkStore();
    switch (args.action) {
      case 'list': return { bookmarks: store.list() };
      case 'add': {
        const step = args.step ?? travel.step;
        if (!Number.isInteger(step) || step < 0 || step > travel.engine.lastStep) throw new Error(`cannot bookmark step ${step}: the recording goes from step 0 to step ${countText(travel.engine.lastStep)}`);
        return { bookmarks: store.add(step, args.name ?? '') };
      }
      case 'remove': return { bookmarks: store.remove(args.step) };
      default: throw new Error('rewind/bookmarks needs "action": add, remove or list');
    }
  }

  // ---- retroactive logpoints ----

  /**
   * After the breakpoints changed: every logpoint not printed yet prints its message for each of its hits
   * in the whole recording, in step order, each line with `data: {step}` and the logpoint's place.
   */
  async printNewLogpoints(): Promise<void> {
    const travel = this.host.core();
    if (!travel?.symbols) return;
    const logpoints = this.host.conditions.all().filter((b) => b.logMessage);
    const keys = new Map(logpoints.map((b) => [logpointKey(b), b]));
    const fresh = [...keys].filter(([k]) => !this.printedLogpoints.has(k)).map(([, b]) => b);
    this.printedLogpoints = new Set(keys.keys());
    for (const bp of fresh) {
      try {
        await this.query('Finding every hit of the logpoint', undefined, (control) => this.printLogpoint(travel, bp, control));
      } catch (e) {
        this.host.sendEvent(new OutputEvent(`Rewind: the logpoint's hits were not all found: ${e instanceof CancelledError ? 'cancelled' : (e as Error).message}\n`, 'console'));
        this.printedLogpoints.delete(logpointKey(bp));
      }
    }
  }

  private async printLogpoint(travel: Debugger, bp: AddressBreakpoint, control: Control): Promise<void> {
    const symbols = travel.symbols!;
    const moments = await this.wholeRun(travel).executions(bp.addresses, (ctx) => {
      if (bp.condition) {
        try {
          if ((numberOf(ctx, evaluateExpression(ctx, bp.condition)) ?? 0) === 0) return undefined;
        } catch (e) {
          return `<the condition "${bp.condition}" cannot be evaluated: ${(e as Error).message}>`;
        }
      }
      return logMessage(ctx, bp.logMessage!);
    }, control);
    let count = 0;
    const loc = symbols.locationAt(bp.addresses[0]);
    const source = loc ? new Source(basename(loc.file), this.host.clientPath(loc.file)) : undefined;
    for (const m of moments) {
      if (m.info === undefined) continue;
      count++;
      if (bp.hitCondition && !safeHitCondition(bp.hitCondition, count)) continue;
      const event = new OutputEvent(`${m.info}\n`, 'console') as DebugProtocol.OutputEvent;
      event.body.data = { step: m.step };
      if (source && loc) {
        event.body.source = source;
        event.body.line = this.host.clientLine(loc.line);
      }
      this.host.sendEvent(event);
    }
  }

  // ---- helpers ----

  /** Runs one query at a time, with a cancellable progress notification. */
  private query<T>(title: string, requestSeq: number | undefined, run: (control: Control) => Promise<T>): Promise<T> {
    const running: Query = { progressId: `rewind-query-${++this.progressCount}`, requestSeq, cancelled: false };
    this.pending.push(running);
    const next = this.queue.then(async () => {
      const progressId = running.progressId;
      let started = false;
      const startedAt = Date.now();
      let lastUpdate = 0;
      const control: Control = {
        cancelled: () => running.cancelled,
        progress: (done, total) => {
          const now = Date.now();
          // Only queries that take a while show progress, and at most ten updates a second.
          if (now - startedAt < 300 || now - lastUpdate < 100) return;
          if (!started) {
            started = true;
            const start = new ProgressStartEvent(progressId, title) as DebugProtocol.ProgressStartEvent;
            start.body.cancellable = true;
            start.body.requestId = requestSeq;
            this.host.sendEvent(start);
          }
          lastUpdate = now;
          const update = new ProgressUpdateEvent(progressId, `step ${countText(done)} of ${countText(total)}`) as DebugProtocol.ProgressUpdateEvent;
          if (total > 0) update.body.percentage = Math.min(100, (100 * done) / total);
          this.host.sendEvent(update);
        },
      };
      try {
        if (running.cancelled) throw new CancelledError();
        return await run(control);
      } finally {
        if (started) this.host.sendEvent(new ProgressEndEvent(progressId));
        this.pending.splice(this.pending.indexOf(running), 1);
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private wholeRun(travel: Debugger): WholeRun {
    return travel.wholeRun();
  }

  private needSymbols(travel: Debugger): ProgramSymbols {
    const symbols = travel.symbols;
    if (!symbols) throw new Error('the program has no debug information, so its source lines are not known');
    return symbols;
  }

  private bookmarkStore(): Bookmarks {
    return Bookmarks.beside(this.host.recordingPath());
  }
}

function logpointKey(b: AddressBreakpoint): string {
  return `${b.addresses.join(',')}|${b.logMessage}|${b.condition ?? ''}|${b.hitCondition ?? ''}`;
}

function valueText(ctx: ValueContext, expression: string): string {
  try {
    return formatValue(ctx, evaluateExpression(ctx, expression));
  } catch (e) {
    return `<${(e as Error).message}>`;
  }
}

function safeFormat(ctx: ValueContext, value: Value): string {
  try {
    return formatValue(ctx, value);
  } catch (e) {
    return `<${(e as Error).message}>`;
  }
}

function safeHitCondition(condition: string, count: number): boolean {
  try {
    return hitConditionHolds(condition, count);
  } catch {
    return true;
  }
}
