/**
 * Where the session is: the machine at the current step as symbols see it, its frames, its source
 * place, and the context in which expressions are evaluated. Read-only; travel moves it.
 */
import { basename } from 'node:path';
import { ReplayEngine } from '../emulator/replay/engine';
import { hexAddress } from '../emulator/hex';
import { Frame, MachineView, ProgramSymbols } from './symbols/api';
import { machineView } from './machine-view';
import { Statements } from './statements';
import { ValueContext } from './values/value';

/** One statement-level place: the function instance (by CFA) and the line. */
export interface Place {
  fn?: number;
  cfa?: number;
  line?: number;
}

export function samePlace(a: Place, b: Place): boolean {
  return a.fn === b.fn && a.cfa === b.cfa && a.line === b.line;
}

export class Position {
  readonly view: MachineView;

  constructor(readonly engine: ReplayEngine, readonly symbols: ProgramSymbols | undefined, readonly statements: Statements | undefined) {
    this.view = machineView(engine.machine);
  }

  get step(): number {
    return this.engine.step;
  }

  get pc(): number {
    return this.engine.machine.pc >>> 0;
  }

  /** The call stack here, innermost first (empty without debug information). */
  frames(max = 64): Frame[] {
    if (!this.symbols) return [];
    return this.symbols.unwind(this.view, max);
  }

  place(): Place {
    const frame = this.frames(1)[0];
    if (!frame) return {};
    return { fn: frame.function?.low, cfa: frame.cfa, line: frame.location?.line };
  }

  /** A place for messages: "bug.c:68" when the line is known, else the address. */
  where(pc: number): string {
    const loc = this.symbols?.locationAt(pc);
    return loc ? `${basename(loc.file)}:${loc.line}` : hexAddress(pc);
  }

  /** Values and expressions are evaluated in a frame (the innermost by default). */
  valueContext(frame?: Frame): ValueContext {
    return { machine: this.engine.machine, view: this.view, symbols: this.symbols, frame: frame ?? this.frames(1)[0] };
  }

  /** How the program ended, when the session stands at the end of a recording whose program exited. */
  exitStatus(): string | undefined {
    const halted = this.engine.machine.halted;
    if (!halted || this.step < this.engine.lastStep) return undefined;
    if (halted.kind === 'exit' && halted.via === 'test-finisher') {
      // As the test finisher reads the store: 0x5555 passes, (code << 16) | 0x3333 fails with code.
      return halted.code === 0 ? 'the program exited (0x5555, pass)' : `the program exited (0x${(((halted.code << 16) | 0x3333) >>> 0).toString(16)}, fail, status ${halted.code})`;
    }
    if (halted.kind === 'exit') return `the program exited with status ${halted.code}`;
    if (halted.kind === 'stuck') return halted.message;
    return undefined;
  }
}
