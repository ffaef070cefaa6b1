/**
 * The custom requests of one Rewind debug session, typed from adapter/custom-requests.ts (the single
 * declaration both sides use). src/ reaches the adapter only through DAP; this is that path.
 */
import * as vscode from 'vscode';
import {
  BookmarksArguments, BookmarksResponseBody, ExecutionsArguments, ExecutionsResponseBody, InfoResponseBody,
  LastChangeArguments, LastChangeResponseBody, LastWriteArguments, LastWriteResponseBody, RewindCommand, RewindRequest, RewindRequests, SeekResponseBody, StepBreakpointsArguments,
  StepBreakpointsResponseBody, TimelineResponseBody, ValueHistoryArguments, ValueHistoryResponseBody,
} from '../adapter/custom-requests';

/** The debug type contributed in package.json. */
export const DEBUG_TYPE = 'rewind';

export class ReplayRequests {
  constructor(readonly session: vscode.DebugSession) {}

  info(): Promise<InfoResponseBody> {
    return this.request(RewindRequest.info, {});
  }

  seek(step: number): Promise<SeekResponseBody> {
    return this.request(RewindRequest.seek, { step });
  }

  stepBreakpoints(args: StepBreakpointsArguments): Promise<StepBreakpointsResponseBody> {
    return this.request(RewindRequest.stepBreakpoints, args);
  }

  lastWrite(args: LastWriteArguments): Promise<LastWriteResponseBody> {
    return this.request(RewindRequest.lastWrite, args);
  }

  lastChange(args: LastChangeArguments): Promise<LastChangeResponseBody> {
    return this.request(RewindRequest.lastChange, args);
  }

  /** VS Code has no reverse step in/out buttons; these go through custom requests on the stopped thread. */
  reverseStepIn(threadId: number): Promise<void> {
    return this.request(RewindRequest.reverseStepIn, { threadId });
  }

  reverseStepOut(threadId: number): Promise<void> {
    return this.request(RewindRequest.reverseStepOut, { threadId });
  }

  /** The questions about the whole run: the adapter shows their progress (with Cancel) itself. */
  executions(args: ExecutionsArguments): Promise<ExecutionsResponseBody> {
    return this.request(RewindRequest.executions, args);
  }

  valueHistory(args: ValueHistoryArguments): Promise<ValueHistoryResponseBody> {
    return this.request(RewindRequest.valueHistory, args);
  }

  timeline(): Promise<TimelineResponseBody> {
    return this.request(RewindRequest.timeline, {});
  }

  bookmarks(args: BookmarksArguments): Promise<BookmarksResponseBody> {
    return this.request(RewindRequest.bookmarks, args);
  }

  /** One request, its arguments and answer typed by the declaration in adapter/custom-requests.ts. */
  private async request<C extends RewindCommand>(command: C, args: RewindRequests[C]['arguments']): Promise<RewindRequests[C]['body']> {
    return (await this.session.customRequest(command, args)) as RewindRequests[C]['body'];
  }
}

/** The Rewind session the user is looking at, or a sentence telling them how to get one. */
export function activeReplay(): ReplayRequests {
  const session = vscode.debug.activeDebugSession;
  if (!session || session.type !== DEBUG_TYPE) {
    throw new Error('No Rewind debug session is active: start one with F5 on a recording (.rewind) or a RISC-V program (.elf).');
  }
  return new ReplayRequests(session);
}
