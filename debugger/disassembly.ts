/**
 * A listing of instructions as objdump prints it: pseudo-instructions, `<symbol+0x14>` after jump and
 * branch targets, and `# 80200018 <busiest>` notes where an `auipc`/`lui` (or the global pointer) and
 * the instruction after it form an address. RISC-V with compressed instructions has no fixed width,
 * so instructions before an address are found by decoding forward from a known boundary (the start
 * of the symbol or of a line-table row at or before it), never by guessing backwards; the listing is
 * a pure function of the addresses asked for, so overlapping requests agree row by row.
 */
import { decode, Decoded, instructionLength } from '../emulator/isa/decode';
import { disassembleDecoded } from '../emulator/isa/disassemble';
import { MachineView, ProgramSymbols, SourceLocation } from './symbols/api';

export interface ListedInstruction {
  address: number;
  /** 0 for a row where nothing is mapped. */
  length: number;
  /** The instruction's bytes in memory order, e.g. "93 07 45 02"; empty when unmapped. */
  bytes: string;
  text: string;
  /** The symbol the address lies in, as `remember` or `remember+20`. */
  symbol?: string;
  location?: SourceLocation;
  /** Nothing is mapped at this address. */
  unmapped?: true;
}

interface Raw { address: number; length: number; raw: number; decoded?: Decoded; unmapped?: true }

const MAX_BACK = 0x10000;
const GP = 3;

/** `count` instructions starting `offset` instructions from `address` (negative: before it). */
export function listInstructions(view: MachineView, symbols: ProgramSymbols | undefined, address: number, offset: number, count: number): ListedInstruction[] {
  address >>>= 0;
  const rows: Raw[] = [];
  const back = Math.max(0, -offset);
  // Decode from an anchor so that the rows before `address` end exactly at it, and so that the
  // auipc/lui notes see the instructions before the window.
  const anchor = anchorAtOrBefore(symbols, (address - back * 4 - 8) >>> 0);
  const before = decodeRange(view, anchor, address);
  const start = Math.max(0, before.length - back);
  // Not enough decodable code before (the start of memory): rows where nothing is mapped, 2 bytes apart.
  const first = before.length ? before[0].address : address;
  for (let j = back - (before.length - start); j >= 1; j--) rows.push({ address: (first - 2 * j) >>> 0, length: 0, raw: 0, unmapped: true });
  rows.push(...before.slice(start));
  let a = address;
  for (let skip = Math.max(0, offset); skip > 0; skip--) a = (a + (decodeAt(view, a)?.length ?? 2)) >>> 0;
  while (rows.length < count) {
    const d = decodeAt(view, a) ?? { address: a, length: 2, raw: 0, unmapped: true as const };
    rows.push(d);
    a = (a + d.length) >>> 0;
  }
  const notes = addressNotes(symbols, [...before.slice(0, start), ...rows]);
  return rows.slice(0, count).map((row) => present(symbols, row, notes.get(row.address)));
}

function present(symbols: ProgramSymbols | undefined, row: Raw, note: number | undefined): ListedInstruction {
  if (row.unmapped) return { address: row.address, length: 0, bytes: '', text: '(not in memory)', unmapped: true };
  const symbol = symbols?.symbolAt(row.address);
  const label = (target: number): string => labelOf(symbols, target, row.address);
  let text: string;
  if ((row.raw & 0xffff) === 0 || row.raw === 0xc0001073) {
    text = 'unimp'; // the encodings the assembler reserves to trap
  } else if (row.decoded) {
    const { mnemonic, operands } = disassembleDecoded(row.decoded, row.address, label);
    text = operands.length ? `${mnemonic} ${operands.join(',')}` : mnemonic;
  } else {
    text = row.length === 2 ? `.2byte 0x${row.raw.toString(16)}` : `.4byte 0x${(row.raw >>> 0).toString(16)}`;
  }
  if (note !== undefined) text += ` # ${note.toString(16)}${label(note)}`;
  return {
    address: row.address,
    length: row.length,
    bytes: bytesText(row.raw, row.length),
    text,
    symbol: symbol ? (symbol.offset ? `${symbol.name}+${symbol.offset}` : symbol.name) : undefined,
    location: symbols?.locationAt(row.address),
  };
}

/** ` <remember+0x14>` as objdump writes a target, or empty where no symbol precedes it. */
export function labelOf(symbols: ProgramSymbols | undefined, address: number, from?: number): string {
  const s = symbols?.nearestSymbol?.(address >>> 0, from) ?? symbols?.symbolAt(address >>> 0);
  if (!s) return '';
  return ` <${s.name}${s.offset > 0 ? `+0x${s.offset.toString(16)}` : s.offset < 0 ? `-0x${(-s.offset).toString(16)}` : ''}>`;
}

const TP = 4;

/**
 * Addresses formed by auipc/lui and what uses them, by the address of the using instruction, as objdump
 * finds them: an upper immediate is remembered per register and consumed by the first 32-bit addi,
 * load, store or jalr based on that register; the global pointer, tp and x0 bases need no pair.
 */
function addressNotes(symbols: ProgramSymbols | undefined, rows: Raw[]): Map<number, number> {
  const upper = new Map<number, number>();
  const gp = symbols?.addressOf('__global_pointer$');
  const notes = new Map<number, number>();
  for (const row of rows) {
    const d = row.decoded;
    if (!d) continue;
    const name = d.spec.name;
    const setsUpper = (name === 'auipc' && d.length === 4) || name === 'lui';
    // objdump notes 32-bit forms and c.addi; `mv` (addi 0), `li` (addi from x0) and `ret` print no operand to note.
    const uses = d.length === 4
      ? (name === 'jalr' ? !(d.rd === 0 && d.rs1 === 1 && d.imm === 0) : d.spec.operands.includes('mem')) || (name === 'addi' && d.rs1 !== 0 && d.imm !== 0)
      : d.written.name === 'c.addi' && d.imm !== 0;
    if (uses) {
      const pending = upper.get(d.rs1);
      if (pending !== undefined) {
        notes.set(row.address, (pending + d.imm) >>> 0);
        upper.delete(d.rs1);
      } else if (d.rs1 === GP && gp !== undefined) notes.set(row.address, (gp + d.imm) >>> 0);
      else if (d.rs1 === TP || d.rs1 === 0) notes.set(row.address, d.imm >>> 0);
    }
    // objdump keeps an upper immediate until it is used, whatever writes the register meanwhile.
    if (setsUpper) upper.set(d.rd, name === 'auipc' ? (row.address + d.imm) >>> 0 : d.imm >>> 0);
  }
  return notes;
}

function decodeRange(view: MachineView, from: number, to: number): Raw[] {
  const out: Raw[] = [];
  let a = from;
  while (a < to) {
    let d = decodeAt(view, a);
    // An instruction that would run past `to`: the bytes before `to` are data (or another path's
    // middle); show them as half-words so that the rows still end exactly at `to`.
    if (d && a + d.length > to) d = { address: a, length: 2, raw: d.raw & 0xffff };
    if (!d) { out.length = 0; a += 2; continue; }
    out.push(d);
    a += d.length;
  }
  return out;
}

function anchorAtOrBefore(symbols: ProgramSymbols | undefined, target: number): number {
  // (>>> 0: `& ~1` makes an address of 2 GiB and above negative, and decoding from there to it never ended.)
  if (!symbols) return (target & ~1) >>> 0;
  const s = symbols.symbolAt(target);
  if (s && s.offset < MAX_BACK) return (target - s.offset) >>> 0;
  for (let a = (target & ~1) >>> 0, n = 0; n < MAX_BACK / 2 && a >= 0; a -= 2, n++) if (symbols.isStatementStart(a)) return a;
  return (target & ~1) >>> 0;
}

function decodeAt(view: MachineView, address: number): Raw | undefined {
  const bytes = view.readMemory(address, 4);
  if (bytes.length < 2) return undefined;
  const half = bytes[0] | (bytes[1] << 8);
  const length = instructionLength(half);
  if (length === 4 && bytes.length < 4) return { address: address >>> 0, length: 2, raw: half };
  const raw = length === 2 ? half : (half | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0;
  return { address: address >>> 0, length, raw, decoded: decode(raw) };
}

function bytesText(raw: number, length: number): string {
  const parts: string[] = [];
  for (let i = 0; i < length; i++) parts.push(((raw >>> (8 * i)) & 0xff).toString(16).padStart(2, '0'));
  return parts.join(' ');
}
