/**
 * A value at the current step: its type and where its bytes are (memory, a register of a frame, or the
 * bytes themselves for computed values). Reading goes through the frame, so that an outer frame's
 * registers are the ones unwinding recovered, not the machine's.
 */
import { Frame, MachineView, ProgramSymbols, TypeInfo, ValueLocation } from '../symbols/api';
import { Machine } from '../../emulator/machine';
import { resolved, sizeOf } from './types';

export interface Value {
  type: TypeInfo;
  location: ValueLocation;
}

/** What an expression or a variable is read against: one frame of one machine state. */
export interface ValueContext {
  machine: Machine;
  view: MachineView;
  symbols?: ProgramSymbols;
  frame?: Frame;
}

export class ValueError extends Error {}

export function valueSize(ctx: ValueContext, type: TypeInfo): number {
  const t = resolved(type);
  if (t.kind === 'array' && ctx.symbols) return ctx.symbols.sizeOf(type);
  return sizeOf(type);
}

/** The value's bytes, or undefined where they cannot be known (optimized out, register lost). */
export function readBytes(ctx: ValueContext, location: ValueLocation, size: number): Uint8Array | undefined {
  switch (location.kind) {
    case 'memory': {
      const bytes = ctx.view.readMemory(location.address >>> 0, size);
      return bytes.length === size ? bytes : undefined;
    }
    case 'register': {
      const n = location.register;
      const word = ctx.frame ? ctx.frame.register(n) : n === 0 ? 0 : ctx.view.register(n);
      if (word === undefined) return undefined;
      const out = new Uint8Array(size);
      for (let i = 0; i < size && i < 4; i++) out[i] = (word >>> (8 * i)) & 0xff;
      return out;
    }
    case 'value':
      return location.bytes.length >= size ? location.bytes.subarray(0, size) : padded(location.bytes, size);
    case 'pieces': {
      const out = new Uint8Array(size);
      let offset = 0;
      for (const piece of location.pieces) {
        const part = readBytes(ctx, piece.location, piece.size);
        if (!part) return undefined;
        out.set(part.subarray(0, Math.max(0, Math.min(piece.size, size - offset))), offset);
        offset += piece.size;
      }
      return out;
    }
    case 'unavailable':
      return undefined;
  }
}

function padded(bytes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  out.set(bytes.subarray(0, size));
  return out;
}

/** A scalar value as a number (integers, pointers, enums, floats); undefined if unreadable. */
export function numberOf(ctx: ValueContext, value: Value): number | undefined {
  const t = resolved(value.type);
  const size = valueSize(ctx, t);
  const bytes = readBytes(ctx, value.location, size);
  if (!bytes) return undefined;
  return decodeNumber(t, bytes);
}

export function decodeNumber(t: TypeInfo, bytes: Uint8Array): number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (t.kind === 'base' && t.encoding === 'float') return bytes.length === 8 ? dv.getFloat64(0, true) : dv.getFloat32(0, true);
  const signed = t.kind === 'base' ? t.encoding === 'signed' || t.encoding === 'signedChar' : t.kind === 'enum';
  switch (bytes.length) {
    case 1: return signed ? dv.getInt8(0) : dv.getUint8(0);
    case 2: return signed ? dv.getInt16(0, true) : dv.getUint16(0, true);
    case 8: return Number(signed ? dv.getBigInt64(0, true) : dv.getBigUint64(0, true));
    default: return bytes.length >= 4 ? (signed ? dv.getInt32(0, true) : dv.getUint32(0, true)) : 0;
  }
}

/** A computed value (the result of arithmetic) held as its own bytes. */
export function immediate(type: TypeInfo, n: number): Value {
  const size = Math.max(1, sizeOf(type));
  const bytes = new Uint8Array(size);
  const dv = new DataView(bytes.buffer);
  const t = resolved(type);
  if (t.kind === 'base' && t.encoding === 'float') {
    if (size === 8) dv.setFloat64(0, n, true); else dv.setFloat32(0, n, true);
  } else if (size === 8) {
    dv.setBigInt64(0, BigInt(Math.trunc(n)), true);
  } else {
    for (let i = 0; i < size; i++) bytes[i] = (Math.trunc(n) >>> (8 * i)) & 0xff;
  }
  return { type, location: { kind: 'value', bytes } };
}
