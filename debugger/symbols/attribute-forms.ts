/**
 * Reading one attribute value by its DW_FORM: the forms of DWARF 2–5 (and the GNU extensions GCC may
 * use), classified into what a consumer needs: a constant, an address, a reference to another DIE,
 * a string, a block (location expression), a flag, or an offset into another section.
 */
import { AttributeSpec } from './abbreviations';
import { Form } from './dwarf-constants';
import { DwarfError, DwarfReader, stringAt } from './dwarf-reader';

export type AttributeValue =
  /** data1..data8, udata, implicit_const: unsigned unless `signed` (sdata, implicit_const). */
  | { kind: 'constant'; value: number; signed: boolean; size: number }
  | { kind: 'address'; value: number }
  /** Resolved later against the unit's DW_AT_addr_base. */
  | { kind: 'addressIndex'; index: number }
  /** An absolute offset into .debug_info. */
  | { kind: 'reference'; offset: number }
  | { kind: 'string'; value: string }
  /** Resolved later against the unit's DW_AT_str_offsets_base. */
  | { kind: 'stringIndex'; index: number }
  | { kind: 'block'; bytes: Uint8Array; exprloc: boolean }
  | { kind: 'flag'; value: boolean }
  /** sec_offset: into .debug_line, .debug_loclists, .debug_rnglists… depending on the attribute. */
  | { kind: 'sectionOffset'; value: number }
  | { kind: 'locationListIndex'; index: number }
  | { kind: 'rangeListIndex'; index: number }
  /** A form we can skip but not use (type signatures, supplementary files). */
  | { kind: 'unsupported'; form: number };

/** What a form's reading depends on in its unit. */
export interface UnitEncoding {
  version: number;
  offsetSize: 4 | 8;
  addressSize: number;
  /** Offset of the unit header in .debug_info (unit-relative references are added to it). */
  unitOffset: number;
  str: Uint8Array;
  lineStr: Uint8Array;
}

export function readAttribute(r: DwarfReader, spec: AttributeSpec, unit: UnitEncoding): AttributeValue {
  return readForm(r, spec.form, spec, unit, 0);
}

function readForm(r: DwarfReader, form: number, spec: AttributeSpec, unit: UnitEncoding, depth: number): AttributeValue {
  const constant = (value: number, size: number, signed = false): AttributeValue => ({ kind: 'constant', value, signed, size });
  const ref = (relative: number): AttributeValue => ({ kind: 'reference', offset: unit.unitOffset + relative });
  const block = (length: number, exprloc = false): AttributeValue => ({ kind: 'block', bytes: r.bytesOf(length), exprloc });
  switch (form) {
    case Form.addr: return { kind: 'address', value: r.unsigned(unit.addressSize) };
    case Form.data1: return constant(r.u8(), 1);
    case Form.data2: return constant(r.u16(), 2);
    case Form.data4: return constant(r.u32(), 4);
    case Form.data8: return constant(r.u64(), 8);
    case Form.data16: r.bytesOf(16); return { kind: 'unsupported', form };
    case Form.sdata: return constant(r.sleb(), 0, true);
    case Form.udata: return constant(r.uleb(), 0);
    case Form.implicit_const: return constant(spec.implicitConst ?? 0, 0, true);
    case Form.string: return { kind: 'string', value: r.cstring() };
    case Form.strp: return { kind: 'string', value: stringAt(unit.str, '.debug_str', r.unsigned(unit.offsetSize)) };
    case Form.line_strp: return { kind: 'string', value: stringAt(unit.lineStr, '.debug_line_str', r.unsigned(unit.offsetSize)) };
    case Form.strx: case Form.GNU_str_index: return { kind: 'stringIndex', index: r.uleb() };
    case Form.strx1: return { kind: 'stringIndex', index: r.u8() };
    case Form.strx2: return { kind: 'stringIndex', index: r.u16() };
    case Form.strx3: return { kind: 'stringIndex', index: r.u24() };
    case Form.strx4: return { kind: 'stringIndex', index: r.u32() };
    case Form.addrx: case Form.GNU_addr_index: return { kind: 'addressIndex', index: r.uleb() };
    case Form.addrx1: return { kind: 'addressIndex', index: r.u8() };
    case Form.addrx2: return { kind: 'addressIndex', index: r.u16() };
    case Form.addrx3: return { kind: 'addressIndex', index: r.u24() };
    case Form.addrx4: return { kind: 'addressIndex', index: r.u32() };
    case Form.ref1: return ref(r.u8());
    case Form.ref2: return ref(r.u16());
    case Form.ref4: return ref(r.u32());
    case Form.ref8: return ref(r.u64());
    case Form.ref_udata: return ref(r.uleb());
    // DWARF 2 wrote ref_addr with the address size, later versions with the offset size.
    case Form.ref_addr: return { kind: 'reference', offset: r.unsigned(unit.version <= 2 ? unit.addressSize : unit.offsetSize) };
    case Form.ref_sig8: r.u64(); return { kind: 'unsupported', form };
    case Form.ref_sup4: r.u32(); return { kind: 'unsupported', form };
    case Form.ref_sup8: r.u64(); return { kind: 'unsupported', form };
    case Form.GNU_ref_alt: case Form.GNU_strp_alt: case Form.strp_sup:
      r.unsigned(unit.offsetSize);
      return { kind: 'unsupported', form };
    case Form.block1: return block(r.u8());
    case Form.block2: return block(r.u16());
    case Form.block4: return block(r.u32());
    case Form.block: return block(r.uleb());
    case Form.exprloc: return block(r.uleb(), true);
    case Form.flag: return { kind: 'flag', value: r.u8() !== 0 };
    case Form.flag_present: return { kind: 'flag', value: true };
    case Form.sec_offset: return { kind: 'sectionOffset', value: r.unsigned(unit.offsetSize) };
    case Form.loclistx: return { kind: 'locationListIndex', index: r.uleb() };
    case Form.rnglistx: return { kind: 'rangeListIndex', index: r.uleb() };
    case Form.indirect: {
      if (depth > 4) throw new DwarfError('malformed debug info: DW_FORM_indirect nested too deeply in .debug_info');
      const actual = r.uleb();
      return readForm(r, actual, actual === Form.implicit_const ? { ...spec, implicitConst: r.sleb() } : spec, unit, depth + 1);
    }
    default:
      // Without its size we cannot skip it, so the rest of the unit is unreadable.
      throw new DwarfError(`unsupported debug info: attribute form 0x${form.toString(16)} in .debug_info at offset ` +
        `0x${r.offset.toString(16)}`);
  }
}
