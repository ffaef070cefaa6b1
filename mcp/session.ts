/**
 * What the MCP server has open: one recording, replayed by the core, with the program's symbols, and a
 * current step (the engine's), as a debugger session has. The file is opened by whoever starts the server
 * (`rewind mcp FILE`, or the `info` tool's `open`); when it cannot be, every tool answers with the reason.
 */
import { basename, dirname, join, resolve } from 'node:path';
import { ReplayEngine } from '../emulator/replay/engine';
import { Recording } from '../emulator/replay/recording-format';
import { Debugger } from '../debugger/debugger';
import { MachineView, ProgramSymbols } from '../debugger/symbols/api';
import { WholeRun } from '../debugger/whole-run';
import { ToolError } from './tool-result';

/** A file made ready to replay: a recording read from disk, or a program recorded from start to end. */
export interface Opened {
  recording: Recording;
  /** The file the user named. */
  path: string;
  /** Where the ELF "lives", for the sources its debug info names relative to it. */
  programPath: string;
}

/** Opens a file for the server, or says in one sentence why it cannot. */
export type Opener = (path: string) => Opened;

/** One open recording: the core's debugger on its replay. */
export class Replay {
  readonly engine: ReplayEngine;
  readonly core: Debugger;
  /** Why the program has no symbols (no debug info), when it has none. */
  readonly symbolProblem?: string;
  /** The whole-run queries (each a pass on an engine of its own: the session's step never moves for them). */
  readonly wholeRun: WholeRun;

  constructor(readonly opened: Opened) {
    this.engine = new ReplayEngine(opened.recording);
    const { debugger: core, symbolsProblem } = Debugger.open(this.engine, opened.recording.program, opened.programPath);
    this.core = core;
    if (symbolsProblem) this.symbolProblem = `the program has no usable debug information (${symbolsProblem}); instructions, registers and memory still work`;
    this.wholeRun = core.wholeRun();
  }

  get symbols(): ProgramSymbols | undefined {
    return this.core.symbols;
  }

  get view(): MachineView {
    return this.core.position.view;
  }

  /** The symbols, or an error saying that source-level questions cannot be answered. */
  needSymbols(): ProgramSymbols {
    if (!this.symbols) throw new ToolError(this.symbolProblem ?? 'the program has no debug information');
    return this.symbols;
  }
}

export class McpSession {
  private replay?: Replay;
  private problem = 'no recording is open: start the server as `rewind mcp run.rewind` (or program.elf), or call info with {"open": "run.rewind"}';

  constructor(private readonly opener: Opener) {}

  /** Opens `path` in place of what was open; on failure the session keeps what it had and the error is thrown. */
  open(path: string): Replay {
    let opened: Opened;
    try {
      opened = this.opener(path);
    } catch (e) {
      throw new ToolError((e as Error).message);
    }
    this.replay = new Replay(opened);
    return this.replay;
  }

  /** Opens `path` at start-up; a failure is remembered and becomes every tool's answer. */
  openAtStart(path: string): void {
    try {
      this.open(path);
    } catch (e) {
      this.problem = (e as Error).message;
    }
  }

  /** The open recording, or the error every tool reports when none is. */
  get current(): Replay {
    if (!this.replay) throw new ToolError(this.problem);
    return this.replay;
  }
}

/** Where the sources of a recording's program are looked up: beside the recording, under the program's name. */
export function programBeside(recordingPath: string, programName: string): string {
  return join(dirname(resolve(recordingPath)), basename(programName));
}
