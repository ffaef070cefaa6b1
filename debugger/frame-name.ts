/** What a frame is called in a call stack: its function, the nearest symbol, or its address; a trap says which. */
import { causeName } from '../emulator/cpu/traps';
import { hexAddress } from '../emulator/hex';
import { Frame } from './symbols/api';

export interface NearestSymbol {
  symbolAt(address: number): { name: string } | undefined;
}

export function frameName(frame: Frame, symbols: NearestSymbol | undefined): string {
  if (frame.trap) {
    const mode = frame.trap.mode === 'machine' ? 'M-mode' : 'S-mode';
    return `<trap: ${causeName(frame.trap.cause)}, handled in ${mode}> at ${hexAddress(frame.pc)}`;
  }
  return frame.function?.name ?? symbols?.symbolAt(frame.pc)?.name ?? hexAddress(frame.pc);
}
