/**
 * `.debug_info`: the units and their trees of DIEs (debugging information entries), read eagerly: our
 * programs are small, and the tree is what every other question (functions, scopes, types) walks.
 *
 * A malformed unit keeps the DIEs read before the damage and is reported in `problems`; the units after
 * it are still read when its length was sound.
 */
import { AbbreviationTable, readAbbreviations } from './abbreviations';
import { AttributeValue, UnitEncoding, readAttribute } from './attribute-forms';
import { At } from './dwarf-constants';
import { DwarfError, DwarfReader } from './dwarf-reader';
import { DwarfSections } from './dwarf-sections';

export interface Die {
  offset: number;
  tag: number;
  attributes: Map<number, AttributeValue>;
  children: Die[];
  parent?: Die;
  unit: CompileUnit;
}

export interface CompileUnit extends UnitEncoding {
  unitType: number;
  /** The unit's root DIE (DW_TAG_compile_unit, usually). */
  root?: Die;
  /** DWARF 5 bases for the indexed forms; 0 when absent. */
  addrBase: number;
  strOffsetsBase: number;
  rnglistsBase: number;
  loclistsBase: number;
}

export interface DebugInfo {
  units: CompileUnit[];
  /** Every DIE by its .debug_info offset, for references. */
  dieAt(offset: number): Die | undefined;
  /** What could not be read, as sentences; empty when all was well. */
  problems: string[];
}

const DW_UT_compile = 1;
const DW_UT_type = 2;
const DW_UT_skeleton = 4;
const DW_UT_split_compile = 5;
const DW_UT_split_type = 6;

export function readDebugInfo(sections: DwarfSections): DebugInfo {
  const units: CompileUnit[] = [];
  const dies = new Map<number, Die>();
  const problems: string[] = [];
  const abbrevCache = new Map<number, AbbreviationTable>();
  const info = sections.info;
  let offset = 0;
  while (offset < info.length) {
    let end: number;
    try {
      const header = new DwarfReader(info, '.debug_info', offset);
      const { length, offsetSize } = header.initialLength();
      end = header.offset + length;
      if (end > info.length) {
        problems.push(`the debug info unit at offset 0x${offset.toString(16)} claims ${length} bytes but .debug_info ends ` +
          'before that; reading what is there');
        end = info.length;
      }
      const r = new DwarfReader(info.subarray(0, end), '.debug_info', header.offset);
      const unit = readUnitHeader(r, offset, offsetSize, sections);
      if (unit) {
        units.push(unit);
        let abbrevs = abbrevCache.get(unit.abbrevOffset);
        if (!abbrevs) {
          abbrevs = readAbbreviations(sections.abbrev, unit.abbrevOffset);
          abbrevCache.set(unit.abbrevOffset, abbrevs);
        }
        try {
          readDies(r, unit, abbrevs, dies);
        } catch (e) {
          if (!(e instanceof DwarfError)) throw e;
          problems.push(e.message);
        }
        setBases(unit);
      }
    } catch (e) {
      if (!(e instanceof DwarfError)) throw e;
      problems.push(e.message);
      break; // the unit's length itself is unreadable: nothing after it can be found
    }
    offset = end;
  }
  return { units, dieAt: (o) => dies.get(o), problems };
}

function readUnitHeader(r: DwarfReader, unitOffset: number, offsetSize: 4 | 8, sections: DwarfSections):
  (CompileUnit & { abbrevOffset: number }) | undefined {
  const version = r.u16();
  if (version < 2 || version > 5) {
    throw new DwarfError(`unsupported debug info: DWARF version ${version} in the unit at offset 0x${unitOffset.toString(16)} ` +
      'of .debug_info (versions 2 to 5 are read)');
  }
  let unitType = DW_UT_compile;
  let addressSize: number;
  let abbrevOffset: number;
  if (version >= 5) {
    unitType = r.u8();
    addressSize = r.u8();
    abbrevOffset = r.unsigned(offsetSize);
    if (unitType === DW_UT_skeleton || unitType === DW_UT_split_compile) r.u64();
    if (unitType === DW_UT_type || unitType === DW_UT_split_type) {
      r.u64();
      r.unsigned(offsetSize);
    }
  } else {
    abbrevOffset = r.unsigned(offsetSize);
    addressSize = r.u8();
  }
  if (addressSize !== 4 && addressSize !== 8) {
    throw new DwarfError(`malformed debug info: address size ${addressSize} in the unit at offset 0x${unitOffset.toString(16)}`);
  }
  return {
    version, offsetSize, addressSize, unitOffset, str: sections.str, lineStr: sections.lineStr, unitType, abbrevOffset,
    addrBase: 0, strOffsetsBase: 0, rnglistsBase: 0, loclistsBase: 0,
  };
}

function readDies(r: DwarfReader, unit: CompileUnit, abbrevs: AbbreviationTable, dies: Map<number, Die>): void {
  let parent: Die | undefined;
  while (!r.atEnd) {
    const offset = r.offset;
    const code = r.uleb();
    if (code === 0) {
      // End of a sibling list; padding at the unit's end also reads as zeros.
      parent = parent?.parent;
      continue;
    }
    const abbrev = abbrevs.get(code);
    if (!abbrev) {
      throw new DwarfError(`malformed debug info: the DIE at offset 0x${offset.toString(16)} of .debug_info uses ` +
        `abbreviation ${code}, which its table does not define`);
    }
    const attributes = new Map<number, AttributeValue>();
    for (const spec of abbrev.attributes) attributes.set(spec.name, readAttribute(r, spec, unit));
    const die: Die = { offset, tag: abbrev.tag, attributes, children: [], parent, unit };
    dies.set(offset, die);
    if (parent) parent.children.push(die);
    else if (!unit.root) unit.root = die;
    if (abbrev.hasChildren) parent = die;
  }
}

function setBases(unit: CompileUnit): void {
  const root = unit.root;
  if (!root) return;
  const base = (at: number): number => {
    const v = root.attributes.get(at);
    return v && (v.kind === 'sectionOffset' || v.kind === 'constant') ? v.value : 0;
  };
  unit.addrBase = base(At.addr_base);
  unit.strOffsetsBase = base(At.str_offsets_base);
  unit.rnglistsBase = base(At.rnglists_base);
  unit.loclistsBase = base(At.loclists_base);
}
