/**
 * One travel operation at a time, over DAP: refuses a second while one runs, gives each a `Control`
 * whose progress becomes DAP progress events (cancellable from VS Code's notification) and whose
 * cancellation is set by `pause` or `cancel`, and reports the stop.
 */
import { ProgressEndEvent, ProgressStartEvent, ProgressUpdateEvent } from '@vscode/debugadapter';
import { DebugProtocol } from '@vscode/debugprotocol';
import { Control } from '../emulator/replay/engine';
import { EngineError } from '../emulator/replay/engine';
import { Stop } from '../debugger/stop';
import { ReportedStop, reportedStop } from './stops';
import { countText } from '../debugger/count-text';

export interface TravelHost {
  sendEvent(event: DebugProtocol.Event): void;
  /** The stop reaches VS Code (as a `stopped` event). */
  reportStop(stop: ReportedStop): void;
  /** A message in the Debug Console. */
  console(text: string): void;
  /** The current step, for a stop after an error. */
  step(): number;
}

export class TravelRunner {
  private busy = false;
  private cancelRequested = false;
  private progressId?: string;
  private progressCount = 0;

  constructor(private readonly host: TravelHost) {}

  get isBusy(): boolean {
    return this.busy;
  }

  /** Pause, or cancel from the progress notification (`progressId` undefined: whatever runs). */
  cancel(progressId?: string): void {
    if (progressId === undefined || progressId === this.progressId) this.cancelRequested = true;
  }

  /** Runs an operation and reports its stop (an error becomes a pause that says what went wrong). */
  async run(operation: (control: Control) => Promise<Stop>): Promise<void> {
    let stop: ReportedStop;
    try {
      stop = reportedStop(await this.quietly(operation));
    } catch (e) {
      this.host.console(`${e instanceof EngineError ? '' : 'Rewind: '}${(e as Error).message}\n`);
      stop = { reason: 'pause', description: `Step ${countText(this.host.step())}`, text: (e as Error).message };
    }
    this.host.reportStop(stop);
  }

  /** Travels without reporting the stop (the caller answers first, then reports it). */
  async quietly<T>(operation: (control: Control) => Promise<T>): Promise<T> {
    this.busy = true;
    this.cancelRequested = false;
    try {
      return await operation({ cancelled: () => this.cancelRequested, progress: (done, total) => this.progress(done, total) });
    } finally {
      this.busy = false;
      this.endProgress();
    }
  }

  private progress(done: number, total: number): void {
    if (this.progressId === undefined) {
      this.progressId = `rewind-${++this.progressCount}`;
      const start = new ProgressStartEvent(this.progressId, 'Travelling through the recording') as DebugProtocol.ProgressStartEvent;
      start.body.cancellable = true;
      this.host.sendEvent(start);
    }
    const event = new ProgressUpdateEvent(this.progressId, `${countText(done)} steps`) as DebugProtocol.ProgressUpdateEvent;
    // A live run has no known end (total 0): no percentage then.
    if (total > 0) event.body.percentage = Math.min(100, (100 * done) / total);
    this.host.sendEvent(event);
  }

  private endProgress(): void {
    if (this.progressId === undefined) return;
    this.host.sendEvent(new ProgressEndEvent(this.progressId));
    this.progressId = undefined;
  }
}
