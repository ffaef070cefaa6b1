/**
 * Typed access to a DIE's attributes: its name, numbers, addresses (indexed ones through .debug_addr),
 * strings (indexed ones through .debug_str_offsets) and references (followed through DW_AT_abstract_origin
 * and DW_AT_specification where the attribute lives on the other DIE).
 */
import { At } from './dwarf-constants';
import { DwarfError, DwarfReader, stringAt } from './dwarf-reader';
import { DwarfSections } from './dwarf-sections';
import { DebugInfo, Die } from './debug-info';

export class DieAttributes {
  constructor(readonly info: DebugInfo, readonly sections: DwarfSections) {}

  /** The attribute on the DIE itself, else on its abstract origin or specification (one level deep each). */
  private find(die: Die, at: number, depth = 0): { die: Die; value: NonNullable<ReturnType<Die['attributes']['get']>> } | undefined {
    const value = die.attributes.get(at);
    if (value) return { die, value };
    if (depth > 3) return undefined;
    for (const link of [At.abstract_origin, At.specification]) {
      const other = this.reference(die, link);
      if (other && other !== die) {
        const found = this.find(other, at, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  }

  name(die: Die): string | undefined {
    return this.string(die, At.name);
  }

  string(die: Die, at: number): string | undefined {
    const v = this.find(die, at)?.value;
    if (!v) return undefined;
    if (v.kind === 'string') return v.value;
    if (v.kind === 'stringIndex') {
      const unit = die.unit;
      try {
        const r = new DwarfReader(this.sections.strOffsets, '.debug_str_offsets', unit.strOffsetsBase + v.index * unit.offsetSize);
        return stringAt(this.sections.str, '.debug_str', r.unsigned(unit.offsetSize));
      } catch (e) {
        if (e instanceof DwarfError) return undefined; // a damaged index: the name is lost, not the program
        throw e;
      }
    }
    return undefined;
  }

  /** A constant (data or flag) attribute. */
  number(die: Die, at: number): number | undefined {
    const v = this.find(die, at)?.value;
    if (!v) return undefined;
    if (v.kind === 'constant') return v.value;
    if (v.kind === 'flag') return v.value ? 1 : 0;
    return undefined;
  }

  flag(die: Die, at: number): boolean {
    const v = this.find(die, at)?.value;
    return v?.kind === 'flag' ? v.value : v?.kind === 'constant' ? v.value !== 0 : false;
  }

  /** Only on the DIE itself (low_pc, high_pc: an abstract origin's would be wrong). */
  address(die: Die, at: number): number | undefined {
    const v = die.attributes.get(at);
    if (!v) return undefined;
    if (v.kind === 'address') return v.value >>> 0;
    if (v.kind === 'addressIndex') {
      try {
        return this.indexedAddress(die, v.index);
      } catch (e) {
        if (e instanceof DwarfError) return undefined;
        throw e;
      }
    }
    return undefined;
  }

  indexedAddress(die: Die, index: number): number {
    const unit = die.unit;
    const r = new DwarfReader(this.sections.addr, '.debug_addr', unit.addrBase + index * unit.addressSize);
    return r.unsigned(unit.addressSize) >>> 0;
  }

  /** The DIE an attribute refers to (DW_AT_type, DW_AT_abstract_origin…), on the DIE itself. */
  reference(die: Die, at: number): Die | undefined {
    const v = die.attributes.get(at);
    return v?.kind === 'reference' ? this.info.dieAt(v.offset) : undefined;
  }

  /** DW_AT_type, looked for on the abstract origin as well. */
  type(die: Die): Die | undefined {
    const found = this.find(die, At.type);
    return found?.value.kind === 'reference' ? this.info.dieAt(found.value.offset) : undefined;
  }

  /** Where a DIE was declared: file index and line (the file index is resolved by the caller's line table). */
  declaration(die: Die): { file: number; line: number } | undefined {
    const file = this.number(die, At.decl_file);
    const line = this.number(die, At.decl_line);
    return file !== undefined && line !== undefined ? { file, line } : undefined;
  }
}
