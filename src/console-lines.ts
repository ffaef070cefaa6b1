/**
 * Console line → moment: the adapter sends the program's output in batches of lines (and each logpoint
 * line) with `data: {step, lineSteps}`. This keeps the lines of each Rewind session, seen through a DebugAdapterTracker,
 * and "Rewind: Go to Step of Console Output…" lists them (newest last, marked before or after now);
 * choosing one seeks to the step that printed it.
 */
import * as vscode from 'vscode';
import { OutputData, outputLines } from '../adapter/custom-requests';
import { activeReplay, DEBUG_TYPE } from './replay-requests';
import { ReplayPosition } from './replay-position';
import { formatStep } from './step-input';
import { SEEK_COMMAND } from './command-ids';

export interface ConsoleLine {
  text: string;
  step: number;
  category: string;
  /** Where a logpoint line came from, e.g. "bug.c:68". */
  place?: string;
}

/** Lines kept per session: the oldest go first. */
const KEPT = 10_000;

export class ConsoleLines implements vscode.Disposable {
  private readonly bySession = new Map<string, ConsoleLine[]>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.disposables.push(
      vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (message: { type?: string; event?: string; body?: { output?: string; category?: string; data?: OutputData; source?: { name?: string }; line?: number } }) => {
            if (message.type !== 'event' || message.event !== 'output' || typeof message.body?.data?.step !== 'number') return;
            const b = message.body;
            const lines = this.bySession.get(session.id) ?? [];
            const place = b.source?.name && b.line ? `${b.source.name}:${b.line}` : undefined;
            for (const line of outputLines(b.output ?? '', b.data!)) lines.push({ ...line, category: b.category ?? 'console', place });
            if (lines.length > KEPT) lines.splice(0, lines.length - KEPT);
            this.bySession.set(session.id, lines);
          },
        }),
      }),
      vscode.debug.onDidTerminateDebugSession((session) => this.bySession.delete(session.id)),
    );
  }

  linesOf(session: vscode.DebugSession): readonly ConsoleLine[] {
    return this.bySession.get(session.id) ?? [];
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** The palette command: pick a console line, go to its step (a line's text may be given to choose directly). */
export async function goToOutputStep(lines: ConsoleLines, position: ReplayPosition, argument?: unknown): Promise<void> {
  const replay = activeReplay();
  const all = lines.linesOf(replay.session);
  if (all.length === 0) throw new Error('The program has printed nothing in this session yet (and no logpoint has), so there is no console line to go to.');
  if (typeof argument === 'string') {
    const line = all.find((l) => l.text.includes(argument));
    if (!line) throw new Error(`No console line contains "${argument}".`);
    await vscode.commands.executeCommand(SEEK_COMMAND, line.step);
    return;
  }
  const now = position.current?.info.step ?? (await replay.info()).step;
  const picked = await vscode.window.showQuickPick(all.map((l) => ({
    label: l.text || '(empty line)',
    description: `step ${formatStep(l.step)} · ${l.step < now ? 'before now' : l.step === now ? 'now' : 'after now'}${l.place ? ` · logpoint ${l.place}` : ''}`,
    step: l.step,
  })), { title: 'Go to the step that printed a console line', placeHolder: 'Type to filter the lines', matchOnDescription: true });
  if (picked) await vscode.commands.executeCommand(SEEK_COMMAND, picked.step);
}
