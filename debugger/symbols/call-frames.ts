/**
 * `.debug_frame` call frame information: CIEs and FDEs, and the DW_CFA_* program that gives, for any
 * pc of a function, the rule for the canonical frame address (CFA) and for each saved register. This is
 * what GCC writes for every C function; hand-written assembly has none unless it uses .cfi_* directives.
 */
import { DwarfError, DwarfReader } from './dwarf-reader';
import { lastStartingAtOrBefore } from './sorted-spans';

export type RegisterRule =
  | { kind: 'undefined' }
  | { kind: 'sameValue' }
  /** Saved at CFA + offset. */
  | { kind: 'offset'; offset: number }
  /** The value is CFA + offset. */
  | { kind: 'valOffset'; offset: number }
  | { kind: 'register'; register: number }
  /** Saved at the address the expression computes (the CFA pushed first). */
  | { kind: 'expression'; expression: Uint8Array }
  | { kind: 'valExpression'; expression: Uint8Array };

export type CfaRule = { kind: 'register'; register: number; offset: number } | { kind: 'expression'; expression: Uint8Array };

export interface FrameRow {
  cfa: CfaRule;
  registers: Map<number, RegisterRule>;
  returnAddressRegister: number;
}

interface Cie {
  codeAlign: number;
  dataAlign: number;
  returnAddressRegister: number;
  instructions: Uint8Array;
  addressSize: number;
}

export interface Fde {
  low: number;
  high: number;
  cie: Cie;
  instructions: Uint8Array;
}

export class CallFrames {
  /** Sorted by `low`. */
  readonly fdes: Fde[] = [];
  readonly problems: string[] = [];

  constructor(section: Uint8Array) {
    const cies = new Map<number, Cie>();
    let offset = 0;
    while (offset < section.length) {
      try {
        const r = new DwarfReader(section, '.debug_frame', offset);
        const { length, offsetSize } = r.initialLength();
        const end = r.offset + length;
        if (length === 0) { offset = end; continue; }
        const entry = r.sub(length, 'a call frame entry');
        entry.offset = 0;
        const id = entry.unsigned(offsetSize);
        const isCie = offsetSize === 4 ? id === 0xffffffff : id === 2 ** 64 - 1;
        if (isCie) cies.set(offset, readCie(entry));
        else {
          const cie = cies.get(id) ?? readCieAt(section, id);
          cies.set(id, cie);
          const low = entry.unsigned(cie.addressSize) >>> 0;
          const range = entry.unsigned(cie.addressSize);
          this.fdes.push({ low, high: low + range, cie, instructions: entry.bytes.subarray(entry.offset) });
        }
        offset = end;
      } catch (e) {
        if (!(e instanceof DwarfError)) throw e;
        this.problems.push(`the call frame information is damaged at offset 0x${offset.toString(16)} of .debug_frame ` +
          `(${e.message}); frames after it are unwound without it`);
        break;
      }
    }
    this.fdes.sort((a, b) => a.low - b.low);
  }

  fdeAt(pc: number): Fde | undefined {
    const fde = this.fdes[lastStartingAtOrBefore(this.fdes, pc)];
    return fde && pc < fde.high ? fde : undefined;
  }

  /** The unwind rules in effect at `pc` (undefined when no FDE covers it). */
  rowAt(pc: number): FrameRow | undefined {
    const fde = this.fdeAt(pc >>> 0);
    if (!fde) return undefined;
    const state: FrameRow = { cfa: { kind: 'register', register: 2, offset: 0 }, registers: new Map(),
      returnAddressRegister: fde.cie.returnAddressRegister };
    run(fde.cie.instructions, fde.cie, state, undefined, Infinity, fde.low);
    const initial = new Map(state.registers);
    run(fde.instructions, fde.cie, state, initial, pc >>> 0, fde.low);
    return state;
  }
}

function readCieAt(section: Uint8Array, offset: number): Cie {
  const r = new DwarfReader(section, '.debug_frame', offset);
  const { length, offsetSize } = r.initialLength();
  const entry = r.sub(length, 'a CIE');
  entry.offset = 0;
  entry.unsigned(offsetSize);
  return readCie(entry);
}

function readCie(r: DwarfReader): Cie {
  const version = r.u8();
  const augmentation = r.cstring();
  let addressSize = 4;
  if (version >= 4) {
    addressSize = r.u8();
    r.u8(); // segment selector size
  }
  const codeAlign = r.uleb();
  const dataAlign = r.sleb();
  const returnAddressRegister = version === 1 ? r.u8() : r.uleb();
  if (augmentation.startsWith('z')) r.bytesOf(r.uleb()); // augmentation data: nothing we need in .debug_frame
  else if (augmentation !== '') {
    throw new DwarfError(`unsupported debug info: CIE augmentation "${augmentation}" in .debug_frame`);
  }
  return { codeAlign, dataAlign, returnAddressRegister, instructions: r.bytes.subarray(r.offset), addressSize };
}

/** Runs CFA instructions until the location passes `pc`. `initial` is the CIE's rules (for DW_CFA_restore). */
function run(instructions: Uint8Array, cie: Cie, state: FrameRow, initial: Map<number, RegisterRule> | undefined,
  pc: number, start: number): void {
  const r = new DwarfReader(instructions, '.debug_frame');
  const stack: Array<{ cfa: CfaRule; registers: Map<number, RegisterRule> }> = [];
  let location = start;
  const advance = (delta: number): boolean => {
    location += delta * cie.codeAlign;
    return location > pc; // the rules from here on apply only after pc
  };
  const restore = (reg: number): void => {
    const rule = initial?.get(reg);
    if (rule) state.registers.set(reg, rule);
    else state.registers.delete(reg);
  };
  const setCfaRegister = (register: number, offset?: number): void => {
    const old = state.cfa.kind === 'register' ? state.cfa.offset : 0;
    state.cfa = { kind: 'register', register, offset: offset ?? old };
  };
  const setCfaOffset = (offset: number): void => {
    if (state.cfa.kind === 'register') state.cfa = { ...state.cfa, offset };
  };
  while (!r.atEnd) {
    const byte = r.u8();
    const high = byte & 0xc0;
    const low = byte & 0x3f;
    if (high === 0x40) { if (advance(low)) return; continue; }
    if (high === 0x80) { state.registers.set(low, { kind: 'offset', offset: r.uleb() * cie.dataAlign }); continue; }
    if (high === 0xc0) { restore(low); continue; }
    switch (byte) {
      case 0x00: break; // nop
      case 0x01: { const to = r.unsigned(cie.addressSize); if (to > pc) return; location = to; break; } // set_loc
      case 0x02: if (advance(r.u8())) return; break;
      case 0x03: if (advance(r.u16())) return; break;
      case 0x04: if (advance(r.u32())) return; break;
      case 0x05: { const reg = r.uleb(); state.registers.set(reg, { kind: 'offset', offset: r.uleb() * cie.dataAlign }); break; }
      case 0x06: restore(r.uleb()); break;
      case 0x07: state.registers.set(r.uleb(), { kind: 'undefined' }); break;
      case 0x08: state.registers.set(r.uleb(), { kind: 'sameValue' }); break;
      case 0x09: { const reg = r.uleb(); state.registers.set(reg, { kind: 'register', register: r.uleb() }); break; }
      case 0x0a: stack.push({ cfa: { ...state.cfa }, registers: new Map(state.registers) }); break; // remember_state
      case 0x0b: { // restore_state
        const saved = stack.pop();
        if (saved) { state.cfa = saved.cfa; state.registers = saved.registers; }
        break;
      }
      case 0x0c: { const reg = r.uleb(); setCfaRegister(reg, r.uleb()); break; }
      case 0x0d: setCfaRegister(r.uleb()); break;
      case 0x0e: setCfaOffset(r.uleb()); break;
      case 0x0f: state.cfa = { kind: 'expression', expression: r.bytesOf(r.uleb()) }; break;
      case 0x10: { const reg = r.uleb(); state.registers.set(reg, { kind: 'expression', expression: r.bytesOf(r.uleb()) }); break; }
      case 0x11: { const reg = r.uleb(); state.registers.set(reg, { kind: 'offset', offset: r.sleb() * cie.dataAlign }); break; }
      case 0x12: { const reg = r.uleb(); setCfaRegister(reg, r.sleb() * cie.dataAlign); break; }
      case 0x13: setCfaOffset(r.sleb() * cie.dataAlign); break;
      case 0x14: { const reg = r.uleb(); state.registers.set(reg, { kind: 'valOffset', offset: r.uleb() * cie.dataAlign }); break; }
      case 0x15: { const reg = r.uleb(); state.registers.set(reg, { kind: 'valOffset', offset: r.sleb() * cie.dataAlign }); break; }
      case 0x16: { const reg = r.uleb(); state.registers.set(reg, { kind: 'valExpression', expression: r.bytesOf(r.uleb()) }); break; }
      case 0x2e: r.uleb(); break; // GNU_args_size
      case 0x2f: { const reg = r.uleb(); state.registers.set(reg, { kind: 'offset', offset: -r.uleb() * cie.dataAlign }); break; }
      default:
        throw new DwarfError(`unsupported debug info: call frame instruction 0x${byte.toString(16)} in .debug_frame`);
    }
  }
}
