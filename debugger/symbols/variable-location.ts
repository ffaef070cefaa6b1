/**
 * Where a variable's value lives in one frame: its DW_AT_location (an expression or a location list)
 * evaluated with the frame's registers, CFA and frame base (the function's DW_AT_frame_base; GCC's is
 * DW_OP_call_frame_cfa), or its DW_AT_const_value. Registers of outer frames are read where the callee
 * saved them, and are unavailable where nothing saved them.
 */
import { At } from './dwarf-constants';
import { Die } from './debug-info';
import { DieAttributes } from './die-attributes';
import { evaluateAddress, evaluateLocation, ExpressionContext } from './location-expression';
import { expressionAt } from './location-lists';
import { TypeReader } from './types';
import { FrameDetail } from './unwinder';
import { Frame, MachineView, ValueLocation } from './api';

export interface VariableQuery {
  attrs: DieAttributes;
  types: TypeReader;
  die: Die;
  /** The subprogram whose frame this is (for DW_AT_frame_base). */
  functionDie?: Die;
  /** The address to look location lists up at. */
  pc: number;
  frame?: Frame;
  detail?: FrameDetail;
  view: MachineView;
  /** The CFA of the innermost frame, for a query without a frame. */
  innermostCfa?: () => number | undefined;
}

export function locateVariable(q: VariableQuery): ValueLocation {
  const { attrs, die } = q;
  const location = die.attributes.get(At.location);
  if (!location) return constantValue(q);
  let expression: Uint8Array | undefined;
  try {
    expression = expressionAt(attrs, die, location, q.pc);
  } catch (e) {
    if (e instanceof Error && e.name === 'DwarfError') return { kind: 'unavailable' };
    throw e;
  }
  if (!expression) return { kind: 'unavailable' };
  // DW_OP_addr 0: the linker discarded the variable (GCC folded a constant into its uses).
  if (expression.length === 5 && expression[0] === 0x03 && expression.subarray(1).every((b) => b === 0)) {
    return { kind: 'unavailable' };
  }
  const ctx = frameContext(q);
  return evaluateLocation(expression, ctx);
}

function frameContext(q: VariableQuery): ExpressionContext {
  const { frame, detail, view, attrs } = q;
  const register = (n: number): number | undefined => (frame ? frame.register(n) : n === 0 ? 0 : view.register(n) >>> 0);
  let frameBase: number | undefined | null = null;
  const ctx: ExpressionContext = {
    register,
    registerLocation: (n) => (detail ? detail.registerLocation(n) : { kind: 'register', register: n }),
    readMemory: (address, length) => view.readMemory(address >>> 0, length),
    cfa: () => (frame ? frame.cfa : q.innermostCfa?.()),
    indexedAddress: (index) => attrs.indexedAddress(q.die, index),
    frameBase: () => {
      if (frameBase !== null) return frameBase;
      frameBase = undefined; // guards against a frame base defined in terms of itself
      const fn = q.functionDie;
      const value = fn?.attributes.get(At.frame_base);
      if (fn && value) {
        try {
          const expression = expressionAt(attrs, fn, value, q.pc);
          if (expression) frameBase = evaluateAddress(expression, ctx);
        } catch (e) {
          if (!(e instanceof Error && e.name === 'DwarfError')) throw e;
        }
      }
      return frameBase;
    },
  };
  return ctx;
}

/** DW_AT_const_value: a variable the compiler replaced by its value everywhere. */
function constantValue(q: VariableQuery): ValueLocation {
  const value = q.die.attributes.get(At.const_value);
  if (!value) return { kind: 'unavailable' };
  if (value.kind === 'block') return { kind: 'value', bytes: value.bytes.slice() };
  if (value.kind === 'string') return { kind: 'value', bytes: new TextEncoder().encode(`${value.value}\0`) };
  if (value.kind !== 'constant') return { kind: 'unavailable' };
  const size = Math.max(1, Math.min(8, q.types.sizeOf(q.types.typeOf(q.die)) || 4));
  const bytes = new Uint8Array(size);
  let v = value.value;
  if (v < 0) v += 2 ** (size * 8);
  for (let i = 0; i < size; i++) {
    bytes[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return { kind: 'value', bytes };
}
