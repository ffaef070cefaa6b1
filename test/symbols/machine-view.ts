/** Runs an example on the real Machine and looks at it as the symbol reader does (a MachineView). */
import { readFileSync } from 'node:fs';
import { parseElf } from '../../emulator/elf';
import { Machine, StopReason } from '../../emulator/machine';
import { ConsoleSink, ScriptedOutside } from '../../emulator/outside';
import { commandLineOf, createMachine } from '../../cli/load-program';
import { machineView } from '../../debugger/machine-view';
import { Frame, MachineView, ProgramSymbols, ValueLocation, VariableInfo } from '../../debugger/symbols/api';

export class CapturedConsole implements ConsoleSink {
  text = '';
  write(_stream: 'stdout' | 'stderr', bytes: Uint8Array): void {
    this.text += Buffer.from(bytes).toString('utf8');
  }
}

export function startMachine(elfPath: string): { machine: Machine; console: CapturedConsole } {
  const console = new CapturedConsole();
  const machine = createMachine(parseElf(readFileSync(elfPath)), new ScriptedOutside(), console, commandLineOf(elfPath));
  return { machine, console };
}

/** The machine as the debugger's core sees it (trap CSRs included). */
export function viewOf(machine: Machine): MachineView {
  return machineView(machine);
}

/** Runs to the next breakpoint; fails loudly on any other stop. */
export function runToBreakpoint(machine: Machine, maxSteps = 5_000_000): number {
  const reason: StopReason = machine.run(maxSteps);
  if (reason.kind !== 'breakpoint') throw new Error(`expected a breakpoint, the machine stopped with ${JSON.stringify(reason)}`);
  return reason.address;
}

/** The bytes of a value wherever it lives. */
export function readLocation(location: ValueLocation, size: number, view: MachineView): Uint8Array | undefined {
  switch (location.kind) {
    case 'memory': return view.readMemory(location.address, size);
    case 'register': {
      const b = new Uint8Array(4);
      new DataView(b.buffer).setUint32(0, view.register(location.register) >>> 0, true);
      return b.subarray(0, size);
    }
    case 'value': return location.bytes.subarray(0, size);
    case 'pieces': {
      const parts = location.pieces.map((p) => readLocation(p.location, p.size, view));
      if (parts.some((p) => p === undefined)) return undefined;
      return Uint8Array.from(parts.flatMap((p) => [...p!]));
    }
    case 'unavailable': return undefined;
  }
}

/** A variable of a frame (by name) as a signed 32-bit number. */
export function int32(symbols: ProgramSymbols, frame: Frame, name: string, view: MachineView): number | undefined {
  const variable: VariableInfo | undefined = symbols.localsAt(frame).find((v) => v.name === name)
    ?? symbols.globals().find((v) => v.name === name);
  if (!variable) throw new Error(`no variable ${name} at 0x${frame.pc.toString(16)}`);
  const bytes = readLocation(symbols.locate(variable, frame, view), 4, view);
  return bytes && bytes.length === 4 ? new DataView(bytes.buffer, bytes.byteOffset).getInt32(0, true) : undefined;
}
