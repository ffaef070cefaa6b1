/**
 * The call stack from one machine state: frame 0 is the registers themselves; each caller's registers
 * come from the callee's CFI row (CFA rule, saved registers). Code without CFI (library assembly, libgcc's
 * `__riscv_save_*`/`__riscv_restore_*` millicode, trap handlers) is unwound from its instructions
 * (code-unwind.ts): forward to its return where that is straight-line code, else from its prologue.
 * Where neither says, the stack stops there rather than guessing.
 *
 * Trap handlers (the code mtvec or stvec points at) were not called: past one comes a frame that stands
 * for the trap (`trap` set: its cause, pc where the interrupted code resumes), then the interrupted code
 * at mepc or sepc. With every register it had when the handler's code says where they are (it returns
 * by mret or sret in straight-line code, or stores them on its stack in its prologue) or when the
 * handler has not run yet; else with its pc alone (a kernel that saves a task's registers in a structure
 * of its own), and the stack ends there. The interrupted code may run on another stack.
 *
 * Registers a callee does not describe: the callee-saved ones (sp, s0–s11, gp, tp) keep their value in
 * the caller; the caller-saved ones (ra, t0–t6, a0–a7) may have been overwritten, so they are unknown.
 */
import { CallFrames, FrameRow, RegisterRule } from './call-frames';
import { DwarfError } from './dwarf-reader';
import { evaluateAddress, ExpressionContext } from './location-expression';
import { Frame, FunctionInfo, MachineView, SourceLocation, ValueLocation } from './api';
import { CodeContext, CodeUnwind, RegisterPlace, TrapHandler, trapHandlerAt, unwindCode, unwindForward } from './code-unwind';

/** What the unwinder knows about a frame beyond the API's Frame: where each register of it lives. */
export interface FrameDetail {
  index: number;
  /** Where register n of this frame is: in the machine's register (frame 0 or unchanged), memory, or lost. */
  registerLocation(n: number): ValueLocation;
}

const SP = 2;
const RA = 1;
const T0 = 5;
const CALLEE_SAVED = new Set([2, 3, 4, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27]);

export interface UnwindSymbols {
  functionAt(pc: number): FunctionInfo | undefined;
  locationAt(pc: number): SourceLocation | undefined;
  labelAt?(pc: number): string | undefined;
}

export function unwindStack(frames: CallFrames, symbols: UnwindSymbols, view: MachineView, maxFrames: number,
  details: WeakMap<Frame, FrameDetail>): Frame[] {
  const out: Frame[] = [];
  // Frame 0: every register is the machine's own.
  let places: RegisterPlace[] = [];
  for (let n = 0; n < 32; n++) places.push({ kind: 'register', register: n });
  let pc = view.pc >>> 0;
  // Stores that code unwound forward makes before it returns: outer frames are read as they will be then.
  const future = new Map<number, number | undefined>();
  const read = (place: RegisterPlace): number | undefined => {
    switch (place.kind) {
      case 'register': return place.register === 0 ? 0 : view.register(place.register) >>> 0;
      case 'memory': {
        if (future.has(place.address)) return future.get(place.address);
        const b = view.readMemory(place.address, 4);
        return b.length < 4 ? undefined : (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
      }
      case 'value': return place.value >>> 0;
      default: return undefined;
    }
  };
  // True when this frame's pc is where it continues (it was interrupted by a trap, or called millicode
  // that returns to it), not a return address just after a call.
  let resumes = false;
  // The frame before the one being unwound stands for a trap: the stack may have changed there.
  let afterTrap = false;
  for (let index = 0; out.length < maxFrames; index++) {
    // An outer frame's pc is a return address: the call is the instruction before it.
    const lookup = index === 0 || resumes ? pc : (pc - 1) >>> 0;
    const fn = symbols.functionAt(lookup);
    const framePlaces = places;
    const register = (n: number): number | undefined => (n >= 0 && n < 32 ? read(framePlaces[n]) : undefined);
    let row: FrameRow | undefined;
    try {
      row = frames.rowAt(lookup);
    } catch (e) {
      if (!(e instanceof DwarfError)) throw e;
      row = undefined;
    }
    const ctx: ExpressionContext = {
      register, registerLocation: () => ({ kind: 'unavailable' }), readMemory: (a, l) => view.readMemory(a, l),
      frameBase: () => undefined, cfa: () => undefined, indexedAddress: () => 0,
    };
    let cfa: number | undefined;
    const handler = fn ? trapHandlerAt(view, fn.low, lookup) : undefined;
    const codeContext: CodeContext = { view, register, functionLow: handler?.vector ?? fn?.low ?? pc, innermost: index === 0 || resumes, handler };
    let code: CodeUnwind | undefined = fn && codeContext.innermost ? unwindForward(pc, codeContext) : undefined;
    if (code) {
      cfa = code.cfa;
    } else if (row) {
      if (row.cfa.kind === 'register') {
        const base = register(row.cfa.register);
        cfa = base === undefined ? undefined : (base + row.cfa.offset) >>> 0;
      } else {
        cfa = evaluateAddress(row.cfa.expression, ctx);
      }
    } else if (fn) {
      code = unwindCode(pc, codeContext);
      cfa = code?.cfa;
    }
    const location = symbols.locationAt(lookup);
    const previous = out[out.length - 1];
    const frame: Frame = { pc, cfa: cfa ?? register(SP) ?? previous?.cfa ?? 0, register };
    if (fn) frame.function = fn;
    const label = fn === undefined || fn.unsized ? symbols.labelAt?.(lookup) : undefined;
    if (label !== undefined) frame.label = label;
    if (location) frame.location = location;
    out.push(frame);
    details.set(frame, { index: out.length - 1, registerLocation: (n) => toLocation(framePlaces[n]) });
    if (handler && code?.kind !== 'trap') {
      // A handler whose code does not say where the interrupted registers are: unless it has not run
      // yet (every register is still the interrupted code's), only the pc is known.
      const untouched = index === 0 && pc === handler.vector;
      places = untouched ? framePlaces : framePlaces.map(() => ({ kind: 'lost' }) as RegisterPlace);
      pc = crossTrap(out, handler, frame.cfa, details);
      resumes = true;
      afterTrap = true;
      continue;
    }
    if (cfa === undefined) break;

    // The caller's registers.
    const caller: RegisterPlace[] = [];
    let returnAddress: number | undefined;
    if (code) {
      for (let n = 0; n < 32; n++) caller.push(codeCallerPlace(n, code, framePlaces));
      // "Register n" in the code's answer is this frame's register n, wherever that lives.
      const where = code.returnAddress;
      returnAddress = read(where.kind === 'register' ? framePlaces[where.register] : where);
      resumes = code.kind !== 'call';
      for (const [address, value] of code.stores) if (!future.has(address)) future.set(address, value);
    } else {
      for (let n = 0; n < 32; n++) {
        const rule: RegisterRule | undefined = row?.registers.get(n);
        caller.push(callerPlace(n, rule, cfa, framePlaces, ctx, row !== undefined));
      }
      returnAddress = read(caller[row?.returnAddressRegister ?? RA] ?? { kind: 'lost' });
      // The caller's own ra was overwritten by the call that made this frame.
      caller[RA] = { kind: 'lost' };
      resumes = false;
    }
    caller[SP] = { kind: 'value', value: cfa };
    if (returnAddress === undefined || returnAddress === 0) break;
    // No progress (same pc and CFA) or a stack growing the wrong way: a loop, stop.
    if (returnAddress === pc && cfa === frame.cfa && index > 0) break;
    if (previous && !afterTrap && cfa < previous.cfa) break;
    const callerLookup = resumes ? returnAddress : (returnAddress - 1) >>> 0;
    if (!symbols.functionAt(callerLookup) && !symbols.locationAt(callerLookup)) break;
    places = caller;
    pc = returnAddress;
    afterTrap = code?.kind === 'trap';
    if (afterTrap) {
      const trap = view.trapState?.();
      const mode = code!.mode ?? handler?.mode ?? 'machine';
      const cause = (mode === 'machine' ? trap?.mcause : trap?.scause) ?? 0;
      crossTrap(out, { vector: handler?.vector ?? 0, epc: returnAddress, cause: cause >>> 0, mode }, cfa, details);
    }
  }
  return out.slice(0, maxFrames);
}

/** Adds the frame that stands for a trap (gdb's `<signal handler called>`); returns where the interrupted code resumes. */
function crossTrap(out: Frame[], handler: TrapHandler, cfa: number, details: WeakMap<Frame, FrameDetail>): number {
  const frame: Frame = { pc: handler.epc, cfa, register: () => undefined, trap: { cause: handler.cause, mode: handler.mode } };
  out.push(frame);
  details.set(frame, { index: out.length - 1, registerLocation: () => ({ kind: 'unavailable' }) });
  return handler.epc;
}

/** A caller's register after code without CFI returns to it (see CodeUnwind's kinds). */
function codeCallerPlace(n: number, code: CodeUnwind, callee: RegisterPlace[]): RegisterPlace {
  if (n === 0) return { kind: 'value', value: 0 };
  const moved = code.places.get(n);
  switch (code.kind) {
    case 'trap': return moved ?? callee[n]; // the interrupted code gets every register back
    case 'millicode': return n === T0 ? { kind: 'lost' } : moved ?? callee[n]; // t0 was the link, ra is the caller's own
    case 'call':
      if (n === RA) return { kind: 'lost' }; // overwritten by the call that made this frame
      if (moved) return moved;
      return CALLEE_SAVED.has(n) ? callee[n] : { kind: 'lost' };
  }
}

function callerPlace(n: number, rule: RegisterRule | undefined, cfa: number, callee: RegisterPlace[], ctx: ExpressionContext,
  hasCfi: boolean): RegisterPlace {
  if (n === 0) return { kind: 'value', value: 0 };
  if (!rule) {
    // Without CFI (leaf at entry) nothing was touched; with CFI, only callee-saved registers survive a call.
    if (!hasCfi || CALLEE_SAVED.has(n)) return callee[n];
    return n === RA ? callee[n] : { kind: 'lost' };
  }
  switch (rule.kind) {
    case 'undefined': return { kind: 'lost' };
    case 'sameValue': return callee[n];
    case 'offset': return { kind: 'memory', address: (cfa + rule.offset) >>> 0 };
    case 'valOffset': return { kind: 'value', value: (cfa + rule.offset) >>> 0 };
    case 'register': return callee[rule.register] ?? { kind: 'lost' };
    case 'expression': {
      const address = evaluateAddress(rule.expression, ctx, cfa);
      return address === undefined ? { kind: 'lost' } : { kind: 'memory', address };
    }
    case 'valExpression': {
      const value = evaluateAddress(rule.expression, ctx, cfa);
      return value === undefined ? { kind: 'lost' } : { kind: 'value', value };
    }
  }
}

function toLocation(place: RegisterPlace | undefined): ValueLocation {
  if (!place) return { kind: 'unavailable' };
  switch (place.kind) {
    case 'register': return { kind: 'register', register: place.register };
    case 'memory': return { kind: 'memory', address: place.address };
    case 'value': {
      const bytes = new Uint8Array(4);
      new DataView(bytes.buffer).setUint32(0, place.value >>> 0, true);
      return { kind: 'value', bytes };
    }
    default: return { kind: 'unavailable' };
  }
}
