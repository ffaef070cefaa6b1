/**
 * The Disassembly view's instructions: exactly `count` of them starting `offset` instructions from an
 * address. RISC-V with compressed instructions has no fixed width, so instructions before an address are
 * found by decoding forward from a known boundary (the start of the symbol or of a line-table row at or
 * before it), never by guessing backwards.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import { instructionLength } from '../emulator/isa/decode';
import { disassemble } from '../emulator/isa/disassemble';
import { MachineView, ProgramSymbols } from '../debugger/symbols/api';

export const hexAddress = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

interface Decoded { address: number; length: number; raw: number }

export function disassembleAround(
  view: MachineView, symbols: ProgramSymbols | undefined, address: number, offset: number, count: number,
  sourcePath: (file: string) => DebugProtocol.Source,
): DebugProtocol.DisassembledInstruction[] {
  address >>>= 0;
  const before: Decoded[] = [];
  if (offset < 0) {
    // Decode forward from an anchor far enough back to hold -offset instructions (at most 4 bytes each).
    let anchor = anchorAtOrBefore(symbols, (address + offset * 4) >>> 0);
    let a = anchor;
    while (a < address) {
      const d = decodeAt(view, a);
      if (!d) { a += 2; anchor = a; before.length = 0; continue; }
      before.push(d);
      a += d.length;
    }
  }
  const list: Array<Decoded | { address: number; invalid: true }> = [];
  if (offset < 0) {
    const wanted = -offset;
    const taken = before.slice(Math.max(0, before.length - wanted));
    // Not enough decodable code before: pad with invalid entries at lower addresses.
    const first = taken.length ? taken[0].address : address;
    for (let j = wanted - taken.length; j >= 1; j--) list.push({ address: (first - 2 * j) >>> 0, invalid: true });
    list.push(...taken);
  }
  let a = address;
  for (let skip = Math.max(0, offset); skip > 0; skip--) a += decodeAt(view, a)?.length ?? 2;
  while (list.length < count) {
    const d = decodeAt(view, a);
    if (d) { list.push(d); a += d.length; } else { list.push({ address: a, invalid: true }); a += 2; }
  }
  let lastLine: string | undefined;
  return list.slice(0, count).map((d) => {
    if ('invalid' in d) return { address: hexAddress(d.address), instruction: '(not in memory)', presentationHint: 'invalid' };
    const symbol = symbols?.symbolAt(d.address);
    const loc = symbols?.locationAt(d.address);
    const key = loc ? `${loc.file}:${loc.line}` : undefined;
    const out: DebugProtocol.DisassembledInstruction = {
      address: hexAddress(d.address),
      instructionBytes: bytesText(d.raw, d.length),
      instruction: disassemble(d.raw, d.address),
      symbol: symbol ? (symbol.offset ? `${symbol.name}+${symbol.offset}` : symbol.name) : undefined,
    };
    if (loc && key !== lastLine) {
      out.location = sourcePath(loc.file);
      out.line = loc.line;
    }
    lastLine = key;
    return out;
  });
}

function anchorAtOrBefore(symbols: ProgramSymbols | undefined, target: number): number {
  if (!symbols) return target & ~1;
  const s = symbols.symbolAt(target);
  if (s && s.offset < 0x10000) return (target - s.offset) >>> 0;
  for (let a = target & ~1, n = 0; n < 0x8000; a -= 2, n++) if (symbols.isStatementStart(a)) return a >>> 0;
  return target & ~1;
}

function decodeAt(view: MachineView, address: number): Decoded | undefined {
  const bytes = view.readMemory(address, 4);
  if (bytes.length < 2) return undefined;
  const half = bytes[0] | (bytes[1] << 8);
  const length = instructionLength(half);
  if (length === 4 && bytes.length < 4) return undefined;
  const raw = length === 2 ? half : (half | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0;
  return { address: address >>> 0, length, raw };
}

function bytesText(raw: number, length: number): string {
  const parts: string[] = [];
  for (let i = 0; i < length; i++) parts.push(((raw >>> (8 * i)) & 0xff).toString(16).padStart(2, '0'));
  return parts.join(' ');
}
