/**
 * What a frame is called in a call stack: its function, else (assembly, whose labels have no size) the
 * nearest label before its code as gdb does, else the nearest symbol, else its address; a trap says which.
 */
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
  return frameFunctionName(frame) ?? symbols?.symbolAt(frame.pc)?.name ?? hexAddress(frame.pc);
}

/** The name of a frame's code: its function, or the nearest label before it when no function with a size covers it. */
export function frameFunctionName(frame: Frame): string | undefined {
  const fn = frame.function;
  return fn && !fn.unsized ? fn.name : frame.label ?? fn?.name;
}
