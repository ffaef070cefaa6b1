/**
 * The Disassembly view's instructions: the core's objdump-style listing (debugger/disassembly.ts) as DAP
 * rows. Every row carries its source location and line (DAP allows it; VS Code groups equal lines), so
 * that a row looks the same whichever request brought it, and the view never mixes rows up.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import { listInstructions } from '../debugger/disassembly';
import { MachineView, ProgramSymbols } from '../debugger/symbols/api';
import { hexAddress } from '../emulator/hex';
import { countText } from '../debugger/count-text';

/** The most instructions one request gets (VS Code's Disassembly view asks for a few hundred at a time). */
export const MOST_INSTRUCTIONS = 4096;
/** The farthest a request may start from its address, in instructions (the rows before are decoded too). */
export const FARTHEST_OFFSET = 65_536;

/** The rows a request gets: at most MOST_INSTRUCTIONS (with a note when it asked for more); a start too far away is refused. */
export function disassemblyWindow(offset: number, count: number): { offset: number; count: number; note?: string } {
  if (Math.abs(offset) > FARTHEST_OFFSET) {
    throw new Error(`disassemble starts at most ${countText(FARTHEST_OFFSET)} instructions from its address, not ${countText(offset)}: ask from an address nearer`);
  }
  if (count <= MOST_INSTRUCTIONS) return { offset, count };
  return { offset, count: MOST_INSTRUCTIONS, note: `disassemble asked for ${countText(count)} instructions and got the first ${countText(MOST_INSTRUCTIONS)}, the most one request gets.` };
}

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
