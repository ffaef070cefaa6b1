/**
 * DWARF location expressions: a small stack machine whose result says where a value lives (memory,
 * a register, the value itself, or pieces of those). Arithmetic is on unsigned 32-bit values (our
 * address size). What cannot be known in a recording (DW_OP_entry_value: a register's value at the
 * function's entry) or that we do not evaluate makes the value `unavailable`, never an error.
 */
import { DwarfReader } from './dwarf-reader';
import { ValueLocation } from './api';

export interface ExpressionContext {
  /** A register of the frame; undefined when it was not saved (its value is lost). */
  register(n: number): number | undefined;
  /** Where a register of the frame was saved, for a value that lives in a register of an outer frame. */
  registerLocation(n: number): ValueLocation;
  readMemory(address: number, length: number): Uint8Array;
  /** DW_AT_frame_base of the function, evaluated (undefined when unknown). */
  frameBase(): number | undefined;
  /** The frame's canonical frame address (undefined when unknown). */
  cfa(): number | undefined;
  /** DW_OP_addrx / DW_OP_constx: an entry of .debug_addr. */
  indexedAddress(index: number): number;
}

/** Thrown inside the evaluator: the value cannot be known here. */
class Unavailable extends Error {}

const MAX_OPS = 10_000;

export function evaluateLocation(expression: Uint8Array, ctx: ExpressionContext, initial?: number): ValueLocation {
  try {
    return evaluate(expression, ctx, initial);
  } catch (e) {
    if (e instanceof Unavailable) return { kind: 'unavailable' };
    // Malformed bytes (a DwarfError) make one variable unreadable, not the whole frame.
    if (e instanceof Error && e.name === 'DwarfError') return { kind: 'unavailable' };
    throw e;
  }
}

/** Evaluates an expression that computes an address (DW_AT_frame_base, DW_CFA_def_cfa_expression). */
export function evaluateAddress(expression: Uint8Array, ctx: ExpressionContext, initial?: number): number | undefined {
  const result = evaluateLocation(expression, ctx, initial);
  if (result.kind === 'memory') return result.address;
  if (result.kind === 'register') return ctx.register(result.register);
  if (result.kind === 'value' && result.bytes.length >= 4) return new DataView(result.bytes.buffer, result.bytes.byteOffset).getUint32(0, true);
  return undefined;
}

function evaluate(expression: Uint8Array, ctx: ExpressionContext, initial?: number): ValueLocation {
  const r = new DwarfReader(expression, 'a location expression');
  const stack: number[] = initial === undefined ? [] : [initial >>> 0];
  const pieces: Array<{ size: number; location: ValueLocation }> = [];
  /** The location the ops since the last piece describe, when it is not "address on the stack". */
  let pending: ValueLocation | undefined;
  const pop = (): number => {
    const v = stack.pop();
    if (v === undefined) throw new Unavailable('stack underflow');
    return v;
  };
  const push = (v: number): void => { stack.push(v >>> 0); };
  const signed = (v: number): number => v | 0;
  const reg = (n: number): number => {
    const v = ctx.register(n);
    if (v === undefined) throw new Unavailable(`register ${n} is not known`);
    return v;
  };
  const deref = (address: number, size: number): number => {
    const bytes = ctx.readMemory(address, size);
    if (bytes.length < size) throw new Unavailable(`memory at ${address} is not readable`);
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + bytes[i];
    return v;
  };
  const current = (): ValueLocation => {
    if (pending) return pending;
    if (stack.length === 0) return { kind: 'unavailable' }; // an empty piece: optimized out
    return { kind: 'memory', address: stack[stack.length - 1] };
  };

  let ops = 0;
  while (!r.atEnd) {
    if (++ops > MAX_OPS) throw new Unavailable('expression too long (a loop?)');
    const op = r.u8();
    if (op >= 0x30 && op <= 0x4f) { push(op - 0x30); continue; } // lit0..lit31
    if (op >= 0x50 && op <= 0x6f) { pending = ctx.registerLocation(op - 0x50); continue; } // reg0..reg31
    if (op >= 0x70 && op <= 0x8f) { push(reg(op - 0x70) + r.sleb()); continue; } // breg0..breg31
    switch (op) {
      case 0x03: push(r.u32()); break; // addr (32-bit targets)
      case 0x06: push(deref(pop(), 4)); break; // deref
      case 0x08: push(r.u8()); break;
      case 0x09: push(r.i8()); break;
      case 0x0a: push(r.u16()); break;
      case 0x0b: push(r.i16()); break;
      case 0x0c: push(r.u32()); break;
      case 0x0d: push(r.i32()); break;
      case 0x0e: push(r.u64() % 2 ** 32); break;
      case 0x0f: push(r.i64() % 2 ** 32); break;
      case 0x10: push(r.uleb() % 2 ** 32); break; // constu
      case 0x11: push(r.sleb() % 2 ** 32); break; // consts
      case 0x12: { const v = pop(); push(v); push(v); break; } // dup
      case 0x13: pop(); break; // drop
      case 0x14: { if (stack.length < 2) throw new Unavailable('over'); push(stack[stack.length - 2]); break; }
      case 0x15: { const i = r.u8(); if (i >= stack.length) throw new Unavailable('pick'); push(stack[stack.length - 1 - i]); break; }
      case 0x16: { const a = pop(); const b = pop(); push(a); push(b); break; } // swap
      case 0x17: { const a = pop(); const b = pop(); const c = pop(); push(a); push(c); push(b); break; } // rot
      case 0x19: push(Math.abs(signed(pop()))); break;
      case 0x1a: { const b = pop(); push(pop() & b); break; }
      case 0x1b: { const b = signed(pop()); const a = signed(pop()); if (b === 0) throw new Unavailable('division by zero'); push(Math.trunc(a / b)); break; }
      case 0x1c: { const b = pop(); push(pop() - b); break; }
      case 0x1d: { const b = pop(); const a = pop(); if (b === 0) throw new Unavailable('modulo by zero'); push(a % b); break; }
      case 0x1e: { const b = pop(); push(Math.imul(pop(), b)); break; }
      case 0x1f: push(-signed(pop())); break;
      case 0x20: push(~pop()); break;
      case 0x21: { const b = pop(); push(pop() | b); break; }
      case 0x22: { const b = pop(); push(pop() + b); break; }
      case 0x23: push(pop() + r.uleb()); break; // plus_uconst
      case 0x24: { const b = pop(); const a = pop(); push(b >= 32 ? 0 : a << b); break; }
      case 0x25: { const b = pop(); const a = pop(); push(b >= 32 ? 0 : a >>> b); break; }
      case 0x26: { const b = pop(); const a = pop(); push(signed(a) >> Math.min(b, 31)); break; }
      case 0x27: { const b = pop(); push(pop() ^ b); break; }
      case 0x28: { const off = r.i16(); if (pop() !== 0) r.offset += off; break; } // bra
      case 0x29: case 0x2a: case 0x2b: case 0x2c: case 0x2d: case 0x2e: {
        const b = signed(pop());
        const a = signed(pop());
        const results = [a === b, a >= b, a > b, a <= b, a < b, a !== b];
        push(results[op - 0x29] ? 1 : 0);
        break;
      }
      case 0x2f: { const off = r.i16(); r.offset += off; break; } // skip
      case 0x90: pending = ctx.registerLocation(r.uleb()); break; // regx
      case 0x91: { // fbreg
        const base = ctx.frameBase();
        if (base === undefined) throw new Unavailable('frame base unknown');
        push(base + r.sleb());
        break;
      }
      case 0x92: { const n = r.uleb(); push(reg(n) + r.sleb()); break; } // bregx
      case 0x93: { // piece
        const size = r.uleb();
        pieces.push({ size, location: current() });
        stack.length = 0;
        pending = undefined;
        break;
      }
      case 0x94: { const size = r.u8(); push(deref(pop(), size)); break; } // deref_size
      case 0x96: break; // nop
      case 0x9c: { // call_frame_cfa
        const cfa = ctx.cfa();
        if (cfa === undefined) throw new Unavailable('CFA unknown');
        push(cfa);
        break;
      }
      case 0x9d: { // bit_piece: only whole-byte pieces are described by the API
        const bits = r.uleb();
        r.uleb();
        pieces.push({ size: Math.ceil(bits / 8), location: current() });
        stack.length = 0;
        pending = undefined;
        break;
      }
      case 0x9e: { const len = r.uleb(); pending = { kind: 'value', bytes: r.bytesOf(len).slice() }; break; } // implicit_value
      case 0x9f: pending = { kind: 'value', bytes: littleEndian(pop()) }; break; // stack_value
      case 0xa1: case 0xa2: case 0xfb: case 0xfc: push(ctx.indexedAddress(r.uleb())); break; // addrx, constx
      case 0xa3: case 0xf3: { r.bytesOf(r.uleb()); throw new Unavailable('entry value'); } // entry_value
      case 0xa0: case 0xf2: throw new Unavailable('implicit pointer'); // the pointer itself was optimized out
      case 0xa4: case 0xf4: { r.uleb(); const n = r.u8(); push(littleValue(r.bytesOf(n))); break; } // const_type
      case 0xa5: case 0xf5: { const n = r.uleb(); r.uleb(); push(reg(n)); break; } // regval_type
      case 0xa6: case 0xf6: { const size = r.u8(); r.uleb(); push(deref(pop(), size)); break; } // deref_type
      case 0xa8: case 0xf7: case 0xa9: case 0xf9: r.uleb(); break; // convert, reinterpret: values stay 32-bit
      case 0xf0: break; // GNU_uninit: a hint only
      default:
        throw new Unavailable(`unsupported operation 0x${op.toString(16)}`);
    }
  }
  if (pieces.length > 0) return { kind: 'pieces', pieces };
  return current();
}

function littleEndian(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  return b;
}

function littleValue(bytes: Uint8Array): number {
  let v = 0;
  for (let i = Math.min(bytes.length, 4) - 1; i >= 0; i--) v = v * 256 + bytes[i];
  return v;
}
