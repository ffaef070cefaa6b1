/** `.debug_abbrev`: the table that says, for each abbreviation code, a DIE's tag, children flag and attribute forms. */
import { DwarfError, DwarfReader } from './dwarf-reader';

export interface AttributeSpec {
  name: number;
  form: number;
  /** The value of a DW_FORM_implicit_const attribute (stored here, not in the DIE). */
  implicitConst?: number;
}

export interface Abbreviation {
  tag: number;
  hasChildren: boolean;
  attributes: AttributeSpec[];
}

export type AbbreviationTable = Map<number, Abbreviation>;

/** Reads the abbreviation table at `offset`; tables are shared between units, so callers cache by offset. */
export function readAbbreviations(section: Uint8Array, offset: number): AbbreviationTable {
  if (offset >= section.length) {
    throw new DwarfError(`malformed debug info: an abbreviation table at offset 0x${offset.toString(16)} is past the end ` +
      `of .debug_abbrev (${section.length} bytes)`);
  }
  const r = new DwarfReader(section, '.debug_abbrev', offset);
  const table: AbbreviationTable = new Map();
  for (;;) {
    if (r.atEnd) return table; // a table without its terminating 0: keep what was read
    const code = r.uleb();
    if (code === 0) return table;
    const tag = r.uleb();
    const hasChildren = r.u8() !== 0;
    const attributes: AttributeSpec[] = [];
    for (;;) {
      const name = r.uleb();
      const form = r.uleb();
      if (name === 0 && form === 0) break;
      const spec: AttributeSpec = { name, form };
      if (form === 0x21 /* implicit_const */) spec.implicitConst = r.sleb();
      attributes.push(spec);
    }
    table.set(code, { tag, hasChildren, attributes });
  }
}
