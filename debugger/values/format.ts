/**
 * How a value is shown in Variables, Watch and hovers: integers in decimal (pointers, registers and
 * unsigned words in hex where an address is likely), chars with their character, C strings behind
 * char pointers, a one-line preview of structs and arrays whose members are children.
 */
import { TypeInfo } from '../symbols/api';
import { decodeNumber, readBytes, Value, ValueContext, valueSize } from './value';
import { resolved, typeName } from './types';
import { hexAddress as hex } from '../../emulator/hex';

const PREVIEW_ITEMS = 6;

/** A child of a structured value, with the C expression that names it. */
export interface Child {
  name: string;
  value: Value;
  /** How to write the child given the parent's expression. */
  expression: (parent: string) => string;
}

export function formatValue(ctx: ValueContext, value: Value, depth = 0): string {
  const t = resolved(value.type);
  switch (t.kind) {
    case 'struct': case 'union': {
      if (depth > 0) return '{…}';
      const parts = structuredChildren(ctx, value).slice(0, PREVIEW_ITEMS).map((c) => `${c.name}=${formatValue(ctx, c.value, depth + 1)}`);
      return `{${parts.join(', ')}${t.members.length > PREVIEW_ITEMS ? ', …' : ''}}`;
    }
    case 'array': {
      if (isCharType(t.element)) return quotedString(ctx, value, t.count ?? 64);
      if (depth > 0) return `[${t.count ?? '?'}]`;
      const children = structuredChildren(ctx, value);
      const parts = children.slice(0, PREVIEW_ITEMS).map((c) => formatValue(ctx, c.value, depth + 1));
      return `{${parts.join(', ')}${children.length > PREVIEW_ITEMS ? ', …' : ''}}`;
    }
    case 'void': return 'void';
    case 'function': return t.name ? `${t.name}()` : 'function';
    default: break;
  }
  const size = valueSize(ctx, t);
  const bytes = readBytes(ctx, value.location, size);
  if (!bytes) return value.location.kind === 'unavailable' ? '<optimized out>' : '<unreadable>';
  const n = decodeNumber(t, bytes);
  return formatScalar(ctx, t, n);
}

function formatScalar(ctx: ValueContext, t: TypeInfo, n: number): string {
  switch (t.kind) {
    case 'pointer': {
      if (n === 0) return 'NULL';
      if (t.target && isCharType(t.target)) {
        return `${hex(n)} ${quotedString(ctx, { type: { kind: 'array', element: t.target, count: 256 }, location: { kind: 'memory', address: n } }, 256)}`;
      }
      if (t.target && resolved(t.target).kind === 'function') {
        const sym = ctx.symbols?.symbolAt(n);
        return sym && sym.offset === 0 ? `${hex(n)} <${sym.name}>` : hex(n);
      }
      // As gdb prints a data pointer: its type, the address, and the object it points into.
      return `(${typeName(t)}) ${hex(n)}${symbolSuffix(ctx, n)}`;
    }
    case 'enum': {
      const e = t.enumerators.find((x) => x.value === n);
      return e ? e.name : `${n}`;
    }
    case 'base':
      switch (t.encoding) {
        case 'boolean': return n ? 'true' : 'false';
        case 'float': return String(n);
        case 'signedChar': case 'unsignedChar': return `${n} ${charLiteral(n & 0xff)}`;
        default: return String(n);
      }
    default:
      return String(n);
  }
}

/**
 * A register's word: an address (it points into mapped memory) as hex with the symbol it points into,
 * anything else as hex with its signed decimal (a negative decimal of an address means nothing).
 */
export function formatRegisterWord(ctx: ValueContext, word: number): string {
  const n = word >>> 0;
  const isAddress = n >= 0x1000 && (ctx.view.readMemory(n, 1).length === 1 || ctx.symbols?.symbolAt(n) !== undefined);
  return isAddress ? `${hex(n)}${symbolSuffix(ctx, n)}` : `${hex(n)} (${n | 0})`;
}

/** ` <bank+36>`: the symbol an address lies in, as gdb and objdump write it; empty if none. */
export function symbolSuffix(ctx: ValueContext, address: number): string {
  const sym = ctx.symbols?.symbolAt(address >>> 0);
  return sym ? ` <${sym.name}${sym.offset ? `+${sym.offset}` : ''}>` : '';
}

/** The members of a struct, the elements of an array, the target of a pointer. */
export function structuredChildren(ctx: ValueContext, value: Value): Child[] {
  const t = resolved(value.type);
  if (t.kind === 'struct' || t.kind === 'union') {
    return t.members.map((m) => ({
      name: m.name,
      value: { type: m.type, location: offsetLocation(value, m.offset) },
      expression: (p) => `${p}.${m.name}`,
    }));
  }
  if (t.kind === 'array') {
    const size = valueSize(ctx, t.element);
    const count = Math.min(t.count ?? 0, 1000);
    const out: Child[] = [];
    for (let i = 0; i < count; i++) {
      out.push({ name: `[${i}]`, value: { type: t.element, location: offsetLocation(value, i * size) }, expression: (p) => `${p}[${i}]` });
    }
    return out;
  }
  if (t.kind === 'pointer' && t.target) {
    const target = resolved(t.target);
    if (target.kind === 'void' || target.kind === 'function' || isCharType(target)) return [];
    const address = decodeNumber(t, readBytes(ctx, value.location, 4) ?? new Uint8Array(4));
    if (address === 0) return [];
    const pointee: Value = { type: t.target, location: { kind: 'memory', address } };
    // A pointer to a struct shows the struct's members directly, as C debuggers do.
    if (target.kind === 'struct' || target.kind === 'union') {
      return structuredChildren(ctx, pointee).map((c) => ({ ...c, expression: (p) => `(${p})->${c.name}` }));
    }
    return [{ name: `*`, value: pointee, expression: (p) => `*(${p})` }];
  }
  return [];
}

export function hasChildren(ctx: ValueContext, value: Value): boolean {
  const t = resolved(value.type);
  if (t.kind === 'struct' || t.kind === 'union') return t.members.length > 0;
  if (t.kind === 'array') return !isCharType(t.element) && (t.count ?? 0) > 0;
  if (t.kind === 'pointer') return structuredChildren(ctx, value).length > 0;
  return false;
}

export { typeName };

function offsetLocation(value: Value, offset: number): Value['location'] {
  const l = value.location;
  if (l.kind === 'memory') return { kind: 'memory', address: (l.address + offset) >>> 0 };
  if (l.kind === 'value') return { kind: 'value', bytes: l.bytes.subarray(offset) };
  return offset === 0 ? l : { kind: 'unavailable' };
}

function isCharType(type: TypeInfo): boolean {
  const t = resolved(type);
  return t.kind === 'base' && (t.encoding === 'signedChar' || t.encoding === 'unsignedChar') && t.size === 1;
}

function quotedString(ctx: ValueContext, value: Value, max: number): string {
  const bytes = readBytes(ctx, value.location, max) ?? (value.location.kind === 'memory' ? ctx.view.readMemory(value.location.address, max) : undefined);
  if (!bytes) return '<unreadable>';
  let end = bytes.indexOf(0);
  const truncated = end < 0;
  if (end < 0) end = bytes.length;
  let s = '';
  for (const b of bytes.subarray(0, end)) s += escapeChar(b);
  return `"${s}"${truncated ? '…' : ''}`;
}

function escapeChar(b: number): string {
  switch (b) {
    case 10: return '\\n';
    case 9: return '\\t';
    case 13: return '\\r';
    case 34: return '\\"';
    case 92: return '\\\\';
    default: return b >= 32 && b < 127 ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  }
}

function charLiteral(b: number): string {
  return `'${b === 39 ? "\\'" : b === 34 ? '"' : escapeChar(b)}'`;
}
