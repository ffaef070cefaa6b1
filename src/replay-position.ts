/**
 * Where the user is in time: the current step of the active Rewind session, its step breakpoints, the
 * recorded events and the places it stopped. Refreshed with `rewind/info` on every `stopped` event the
 * adapter sends (seen through a DebugAdapterTracker), so the Replay Step view and the status bar always
 * show the moment the editor shows.
 */
import * as vscode from 'vscode';
import { InfoResponseBody } from '../adapter/custom-requests';
import { DEBUG_TYPE, ReplayRequests } from './replay-requests';

/** One place the session stopped, newest first in `ReplayPosition.stops`. */
export interface Stop {
  step: number;
  /** The DAP stop reason ("breakpoint", "step", "data breakpoint", ...). */
  reason: string;
  /** Where it stopped, "remember · bug.c:66", when the adapter could say. */
  place?: string;
}

/** How many past stops the view lists; older ones scroll away. */
const STOPS_KEPT = 20;

export interface PositionSnapshot {
  readonly session: vscode.DebugSession;
  readonly info: InfoResponseBody;
  /** False while the program runs (between `continued` and `stopped`). */
  readonly stopped: boolean;
  readonly stops: readonly Stop[];
}

export class ReplayPosition implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires whenever `current` changes. */
  readonly onDidChange = this.changed.event;
  private state: PositionSnapshot | undefined;
  private readonly stopsBySession = new Map<string, Stop[]>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** Counts refreshes so that a slow answer never overwrites a newer one. */
  private generation = 0;

  constructor() {
    this.disposables.push(
      vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (message: { type?: string; event?: string; body?: { reason?: string } }) => {
            if (message.type !== 'event') return;
            if (message.event === 'stopped') this.onStopped(session, message.body?.reason ?? 'stop');
            else if (message.event === 'continued') this.onContinued(session);
          },
        }),
      }),
      vscode.debug.onDidChangeActiveDebugSession(() => void this.refresh()),
      vscode.debug.onDidTerminateDebugSession((session) => {
        this.stopsBySession.delete(session.id);
        if (this.state?.session.id === session.id) this.set(undefined);
      }),
    );
  }

  /** The active Rewind session's position, or undefined when none is active or it has not stopped yet. */
  get current(): PositionSnapshot | undefined {
    return this.state;
  }

  /** Asks the active Rewind session where it is (after a command that changed step breakpoints, say). */
  async refresh(): Promise<void> {
    const session = vscode.debug.activeDebugSession;
    if (!session || session.type !== DEBUG_TYPE) {
      this.set(undefined);
      return;
    }
    const generation = ++this.generation;
    try {
      const info = await new ReplayRequests(session).info();
      if (generation !== this.generation) return;
      this.set({ session, info, stopped: true, stops: this.stopsBySession.get(session.id) ?? [] });
    } catch {
      // The session has not finished launching, or has just ended: keep what is shown until the next stop.
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private async onStopped(session: vscode.DebugSession, reason: string): Promise<void> {
    const generation = ++this.generation;
    let info: InfoResponseBody;
    try {
      info = await new ReplayRequests(session).info();
    } catch {
      return; // the session ended while we asked
    }
    const place = await placeOf(session);
    // One entry per step: a later stop at the same step replaces the earlier one (and moves to the top).
    const stops = (this.stopsBySession.get(session.id) ?? []).filter((s) => s.step !== info.step);
    stops.unshift({ step: info.step, reason, place });
    stops.length = Math.min(stops.length, STOPS_KEPT);
    this.stopsBySession.set(session.id, stops);
    if (generation !== this.generation) return;
    const active = vscode.debug.activeDebugSession;
    if (active && active.id !== session.id) return; // shown when the user switches to that session
    this.set({ session, info, stopped: true, stops });
  }

  private onContinued(session: vscode.DebugSession): void {
    if (this.state?.session.id !== session.id) return;
    this.set({ ...this.state, stopped: false });
  }

  private set(state: PositionSnapshot | undefined): void {
    this.state = state;
    this.changed.fire();
  }
}

/** The innermost frame's function and line, "remember · bug.c:66"; undefined if the adapter cannot say. */
async function placeOf(session: vscode.DebugSession): Promise<string | undefined> {
  try {
    const { stackFrames } = (await session.customRequest('stackTrace', { threadId: 1, levels: 1 })) as { stackFrames: Array<{ name: string; line: number; source?: { name?: string } }> };
    const top = stackFrames[0];
    if (!top) return undefined;
    return top.source?.name && top.line > 0 ? `${top.name} · ${top.source.name}:${top.line}` : top.name;
  } catch {
    return undefined;
  }
}
