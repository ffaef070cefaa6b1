/**
 * The address ranges a DIE covers: DW_AT_low_pc/DW_AT_high_pc, or DW_AT_ranges into `.debug_rnglists`
 * (DWARF 5) or `.debug_ranges` (DWARF 2–4). Ranges are [low, high).
 */
import { At } from './dwarf-constants';
import { DwarfError, DwarfReader, listOffsetFromIndex } from './dwarf-reader';
import { Die } from './debug-info';
import { DieAttributes } from './die-attributes';

export interface AddressRange { low: number; high: number }

const RLE = { end_of_list: 0, base_addressx: 1, startx_endx: 2, startx_length: 3, offset_pair: 4, base_address: 5,
  start_end: 6, start_length: 7 } as const;

/** The unit's base address for range and location lists: its DW_AT_low_pc (0 when absent). */
export function unitBase(attrs: DieAttributes, die: Die): number {
  const root = die.unit.root;
  return root ? attrs.address(root, At.low_pc) ?? 0 : 0;
}

export function rangesOf(attrs: DieAttributes, die: Die): AddressRange[] {
  const low = attrs.address(die, At.low_pc);
  const highValue = die.attributes.get(At.high_pc);
  if (low !== undefined && highValue) {
    // DWARF 4+: a constant high_pc is the length; an address is the end itself.
    const high = highValue.kind === 'constant' ? low + highValue.value : attrs.address(die, At.high_pc) ?? low;
    return high > low ? [{ low, high: Math.min(high, 2 ** 32) }] : [];
  }
  const ranges = die.attributes.get(At.ranges);
  if (!ranges) return low !== undefined ? [{ low, high: low + 1 }] : [];
  const unit = die.unit;
  if (unit.version >= 5) {
    let offset: number;
    if (ranges.kind === 'rangeListIndex') {
      offset = listOffsetFromIndex(attrs.sections.rnglists, '.debug_rnglists', unit.rnglistsBase, ranges.index, unit.offsetSize);
    } else if (ranges.kind === 'sectionOffset' || ranges.kind === 'constant') {
      offset = ranges.value;
    } else {
      return [];
    }
    return readRangeList(attrs, die, offset);
  }
  if (ranges.kind !== 'sectionOffset' && ranges.kind !== 'constant') return [];
  return readLegacyRanges(attrs, die, ranges.value);
}

function readRangeList(attrs: DieAttributes, die: Die, offset: number): AddressRange[] {
  const unit = die.unit;
  const r = new DwarfReader(attrs.sections.rnglists, '.debug_rnglists', offset);
  const out: AddressRange[] = [];
  let base = unitBase(attrs, die);
  const push = (low: number, high: number): void => {
    if (high > low) out.push({ low: low >>> 0, high: Math.min(high, 2 ** 32) });
  };
  for (;;) {
    const kind = r.u8();
    switch (kind) {
      case RLE.end_of_list: return out;
      case RLE.base_addressx: base = attrs.indexedAddress(die, r.uleb()); break;
      case RLE.startx_endx: push(attrs.indexedAddress(die, r.uleb()), attrs.indexedAddress(die, r.uleb())); break;
      case RLE.startx_length: { const s = attrs.indexedAddress(die, r.uleb()); push(s, s + r.uleb()); break; }
      case RLE.offset_pair: { const s = r.uleb(); const e = r.uleb(); push(base + s, base + e); break; }
      case RLE.base_address: base = r.unsigned(unit.addressSize); break;
      case RLE.start_end: push(r.unsigned(unit.addressSize), r.unsigned(unit.addressSize)); break;
      case RLE.start_length: { const s = r.unsigned(unit.addressSize); push(s, s + r.uleb()); break; }
      default:
        throw new DwarfError(`malformed debug info: unknown range list entry ${kind} at offset 0x${(r.offset - 1).toString(16)} ` +
          'of .debug_rnglists');
    }
  }
}

function readLegacyRanges(attrs: DieAttributes, die: Die, offset: number): AddressRange[] {
  const size = die.unit.addressSize;
  const r = new DwarfReader(attrs.sections.ranges, '.debug_ranges', offset);
  const out: AddressRange[] = [];
  const maxAddress = size === 4 ? 0xffffffff : 2 ** 64 - 1;
  let base = unitBase(attrs, die);
  for (;;) {
    const start = r.unsigned(size);
    const end = r.unsigned(size);
    if (start === 0 && end === 0) return out;
    if (start === maxAddress) base = end; // a base address selection entry
    else if (end > start) out.push({ low: (base + start) >>> 0, high: Math.min(base + end, 2 ** 32) });
  }
}
