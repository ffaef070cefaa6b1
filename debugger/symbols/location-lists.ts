/**
 * Location lists: a variable whose place changes as the function runs (a register here, the stack
 * there, optimized out elsewhere). DWARF 5 `.debug_loclists` and DWARF 2–4 `.debug_loc`. The result is
 * the expression that applies at `pc`, or undefined when none does (the value is unavailable there).
 */
import { AttributeValue } from './attribute-forms';
import { DwarfError, DwarfReader, listOffsetFromIndex } from './dwarf-reader';
import { Die } from './debug-info';
import { DieAttributes } from './die-attributes';
import { unitBase } from './address-ranges';

const LLE = { end_of_list: 0, base_addressx: 1, startx_endx: 2, startx_length: 3, offset_pair: 4, default_location: 5,
  base_address: 6, start_end: 7, start_length: 8 } as const;

/** The location expression of a DW_AT_location (or DW_AT_frame_base) value at `pc`. */
export function expressionAt(attrs: DieAttributes, die: Die, value: AttributeValue, pc: number): Uint8Array | undefined {
  if (value.kind === 'block') return value.bytes;
  const unit = die.unit;
  if (unit.version >= 5) {
    let offset: number;
    if (value.kind === 'locationListIndex') {
      offset = listOffsetFromIndex(attrs.sections.loclists, '.debug_loclists', unit.loclistsBase, value.index, unit.offsetSize);
    } else if (value.kind === 'sectionOffset' || value.kind === 'constant') {
      offset = value.value;
    } else {
      return undefined;
    }
    return fromLocationList(attrs, die, offset, pc >>> 0);
  }
  if (value.kind !== 'sectionOffset' && value.kind !== 'constant') return undefined;
  return fromLegacyList(attrs, die, value.value, pc >>> 0);
}

function fromLocationList(attrs: DieAttributes, die: Die, offset: number, pc: number): Uint8Array | undefined {
  const unit = die.unit;
  const r = new DwarfReader(attrs.sections.loclists, '.debug_loclists', offset);
  let base = unitBase(attrs, die);
  let fallback: Uint8Array | undefined;
  const expression = (): Uint8Array => r.bytesOf(r.uleb());
  for (;;) {
    const kind = r.u8();
    let low: number;
    let high: number;
    switch (kind) {
      case LLE.end_of_list: return fallback;
      case LLE.base_addressx: base = attrs.indexedAddress(die, r.uleb()); continue;
      case LLE.base_address: base = r.unsigned(unit.addressSize); continue;
      case LLE.default_location: fallback = expression(); continue;
      case LLE.startx_endx: low = attrs.indexedAddress(die, r.uleb()); high = attrs.indexedAddress(die, r.uleb()); break;
      case LLE.startx_length: low = attrs.indexedAddress(die, r.uleb()); high = low + r.uleb(); break;
      case LLE.offset_pair: low = base + r.uleb(); high = base + r.uleb(); break;
      case LLE.start_end: low = r.unsigned(unit.addressSize); high = r.unsigned(unit.addressSize); break;
      case LLE.start_length: low = r.unsigned(unit.addressSize); high = low + r.uleb(); break;
      default:
        throw new DwarfError(`malformed debug info: unknown location list entry ${kind} at offset ` +
          `0x${(r.offset - 1).toString(16)} of .debug_loclists`);
    }
    const bytes = expression();
    if (pc >= low && pc < high) return bytes;
  }
}

function fromLegacyList(attrs: DieAttributes, die: Die, offset: number, pc: number): Uint8Array | undefined {
  const size = die.unit.addressSize;
  const r = new DwarfReader(attrs.sections.loc, '.debug_loc', offset);
  const maxAddress = size === 4 ? 0xffffffff : 2 ** 64 - 1;
  let base = unitBase(attrs, die);
  for (;;) {
    const start = r.unsigned(size);
    const end = r.unsigned(size);
    if (start === 0 && end === 0) return undefined;
    if (start === maxAddress) { base = end; continue; }
    const bytes = r.bytesOf(r.u16());
    if (pc >= base + start && pc < base + end) return bytes;
  }
}
