/**
 * gdb's memory examine for the Debug Console: `x/NFU ADDRESS` shows N units (b 1, h 2, w 4, g 8 bytes)
 * in format F (x hex, d decimal, u unsigned, o octal, t binary, c char, a address, s string,
 * i instruction), each line labelled with its address and symbol, as gdb prints it.
 */
import { listInstructions } from '../disassembly';
import { resolved } from '../values/types';
import { numberOf, ValueContext, ValueError } from '../values/value';
import { evaluateExpression } from './evaluate';

const UNITS: Record<string, number> = { b: 1, h: 2, w: 4, g: 8 };
const FORMATS = 'xduotcasi';
const MAX_UNITS = 4096;

export const isExamineCommand = (text: string): boolean => /^\s*x(\/|\s|$)/.test(text);

export function examineMemory(ctx: ValueContext, command: string): string {
  const m = /^\s*x(?:\/(\d*)([a-z]*))?\s*(.*)$/.exec(command);
  if (!m) throw new ValueError(`cannot read "${command}": write x/NFU ADDRESS, e.g. x/4x &bank`);
  const count = m[1] ? Number(m[1]) : 1;
  let format = 'x';
  let unit: string | undefined;
  for (const c of m[2]) {
    if (c in UNITS) unit = c;
    else if (FORMATS.includes(c)) format = c;
    else throw new ValueError(`"${c}" is not an examine format or unit: formats are x d u o t c a s i, units b h w g`);
  }
  if (count < 1 || count > MAX_UNITS) throw new ValueError(`x/ shows 1 to ${MAX_UNITS} units at a time`);
  if (!m[3].trim()) throw new ValueError('x needs an address, e.g. x/4x &bank or x/8i $pc');
  const address = addressOf(ctx, m[3].trim());
  if (format === 'i') return instructions(ctx, address, count);
  if (format === 's') return strings(ctx, address, count);
  const size = format === 'c' ? 1 : format === 'a' ? 4 : UNITS[unit ?? 'w'];
  const perLine = format === 'c' || size <= 2 ? 8 : size === 8 ? 2 : 4;
  const lines: string[] = [];
  for (let i = 0; i < count; i += perLine) {
    const lineAddress = (address + i * size) >>> 0;
    const items: string[] = [];
    for (let k = i; k < Math.min(count, i + perLine); k++) {
      const a = (address + k * size) >>> 0;
      const bytes = ctx.view.readMemory(a, size);
      if (bytes.length < size) {
        lines.push(`${label(ctx, lineAddress)}:\t${items.join('\t')}${items.length ? '\t' : ''}Cannot access memory at address 0x${a.toString(16)}`);
        return lines.join('\n');
      }
      items.push(unitText(ctx, bytes, format));
    }
    lines.push(`${label(ctx, lineAddress)}:\t${items.join('\t')}`);
  }
  return lines.join('\n');
}

/** The address an examine starts at: a pointer's or a number's value, else the object's own address. */
function addressOf(ctx: ValueContext, text: string): number {
  const value = evaluateExpression(ctx, text);
  const t = resolved(value.type);
  if ((t.kind === 'struct' || t.kind === 'union' || t.kind === 'array' || t.kind === 'function') && value.location.kind === 'memory') return value.location.address >>> 0;
  const n = numberOf(ctx, value);
  if (n === undefined) throw new ValueError(`${text} cannot be read at this step, so there is no address to examine`);
  return n >>> 0;
}

function label(ctx: ValueContext, address: number): string {
  const s = ctx.symbols?.symbolAt(address);
  const hex = `0x${address.toString(16)}`;
  return s ? `${hex} <${s.name}${s.offset ? `+${s.offset}` : ''}>` : hex;
}

function unitText(ctx: ValueContext, bytes: Uint8Array, format: string): string {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  const bits = bytes.length * 8;
  switch (format) {
    case 'x': return `0x${n.toString(16).padStart(bytes.length * 2, '0')}`;
    case 'd': return BigInt.asIntN(bits, n).toString();
    case 'u': return n.toString();
    case 'o': return n === 0n ? '0' : `0${n.toString(8)}`;
    case 't': return n.toString(2).padStart(bits, '0');
    case 'c': return `${Number(BigInt.asIntN(8, n))} '${charText(Number(n))}'`;
    case 'a': return label(ctx, Number(n));
    default: return `0x${n.toString(16)}`;
  }
}

function charText(b: number): string {
  const named: Record<number, string> = { 0: '\\000', 9: '\\t', 10: '\\n', 13: '\\r', 39: "\\'", 92: '\\\\' };
  return named[b] ?? (b >= 32 && b < 127 ? String.fromCharCode(b) : `\\${b.toString(8).padStart(3, '0')}`);
}

function strings(ctx: ValueContext, address: number, count: number): string {
  const lines: string[] = [];
  let a = address;
  for (let i = 0; i < count; i++) {
    const bytes = ctx.view.readMemory(a, 200);
    if (bytes.length === 0) { lines.push(`0x${a.toString(16)}:\t<error: Cannot access memory at address 0x${a.toString(16)}>`); break; }
    let end = bytes.indexOf(0);
    const truncated = end < 0;
    if (end < 0) end = bytes.length;
    const text = [...bytes.subarray(0, end)].map((b) => (b === 34 ? '\\"' : charText(b))).join('');
    lines.push(`${label(ctx, a)}:\t"${text}"${truncated ? '...' : ''}`);
    a = (a + end + 1) >>> 0;
  }
  return lines.join('\n');
}

function instructions(ctx: ValueContext, address: number, count: number): string {
  const pc = ctx.frame?.pc ?? ctx.view.pc;
  return listInstructions(ctx.view, ctx.symbols, address, 0, count).map((row) => {
    const marker = row.address === pc ? '=> ' : '   ';
    if (row.unmapped) return `${marker}0x${row.address.toString(16)}:\tCannot access memory at address 0x${row.address.toString(16)}`;
    return `${marker}${label(ctx, row.address)}:\t${row.text}`;
  }).join('\n');
}
