/**
 * The Disassembly view's instructions: the core's objdump-style listing (debugger/disassembly.ts) as DAP
 * rows. Every row carries its source location and line (DAP allows it; VS Code groups equal lines), so
 * that a row looks the same whichever request brought it, and the view never mixes rows up.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import { listInstructions } from '../debugger/disassembly';
import { MachineView, ProgramSymbols } from '../debugger/symbols/api';
import { hexAddress } from '../emulator/hex';

export function disassembleAround(
  view: MachineView, symbols: ProgramSymbols | undefined, address: number, offset: number, count: number,
  sourcePath: (file: string) => DebugProtocol.Source | undefined,
): DebugProtocol.DisassembledInstruction[] {
  return listInstructions(view, symbols, address, offset, count).map((row) => {
    if (row.unmapped) return { address: hexAddress(row.address), instruction: row.text, presentationHint: 'invalid' };
    const out: DebugProtocol.DisassembledInstruction = {
      address: hexAddress(row.address),
      instructionBytes: row.bytes,
      instruction: row.text,
      symbol: row.symbol,
    };
    // Only sources VS Code can open: the Disassembly view would otherwise try a missing library file.
    const location = row.location && sourcePath(row.location.file);
    if (row.location && location) {
      out.location = location;
      out.line = row.location.line;
    }
    return out;
  });
}
