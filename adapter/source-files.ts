/**
 * Which source files VS Code can open. Debug info names every file a program was built from, and for
 * library code (picolibc's crt0.c and semihost-riscv.s, libgcc's save-restore.S) those are paths on the
 * machine that built the library, not this one. A frame or instruction in such a file carries no source:
 * VS Code then never tries to open it (no "could not be opened" editor), dims the frame, shows it as
 * disassembly when clicked, and focuses the first frame whose source is real.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { Source } from '@vscode/debugadapter';
import { DebugProtocol } from '@vscode/debugprotocol';
import { Frame } from '../debugger/symbols/api';
import { hexAddress } from '../emulator/hex';

export class SourceFiles {
  private readonly known = new Map<string, boolean>();

  constructor(private readonly toClientPath: (path: string) => string, private readonly toClientLine: (line: number) => number) {}

  /** True when `file` is on this machine (asked once per file and session). */
  exists(file: string): boolean {
    let found = this.known.get(file);
    if (found === undefined) this.known.set(file, (found = existsSync(file)));
    return found;
  }

  /** A DAP source for `file`, or undefined when VS Code could not open it. */
  source(file: string): DebugProtocol.Source | undefined {
    return this.exists(file) ? new Source(basename(file), this.toClientPath(file)) : undefined;
  }

  /** A call stack frame: at its line when its source exists, else without source, dimmed. */
  stackFrame(frame: Frame, id: number, name: string): DebugProtocol.StackFrame {
    const location = frame.location;
    const source = location ? this.source(location.file) : undefined;
    const shown: DebugProtocol.StackFrame = {
      id, name, line: 0, column: 0, instructionPointerReference: hexAddress(frame.pc),
    };
    if (source && location) {
      shown.source = source;
      shown.line = this.toClientLine(location.line);
      shown.column = 1;
    } else {
      shown.presentationHint = frame.trap ? 'label' : 'subtle';
    }
    return shown;
  }
}
