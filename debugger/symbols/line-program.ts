/**
 * `.debug_line`: one line-number program (DWARF 2–5), run into its rows. Version 5 headers describe
 * their directory and file tables with (content type, form) pairs, strings usually in .debug_line_str;
 * versions 2–4 list NUL-terminated names. File paths come out absolute: a relative name is joined to
 * its directory, a relative directory to the compilation directory, and a relative compilation
 * directory (GCC's "." with -ffile-prefix-map) to `root` (the ELF's directory or the user's sourceRoot).
 */
import { isAbsolute, join, resolve } from 'node:path';
import { AttributeValue, UnitEncoding, readAttribute } from './attribute-forms';
import { DwarfError, DwarfReader } from './dwarf-reader';
import { DwarfSections } from './dwarf-sections';

export interface LineRow {
  address: number;
  /** Absolute path; '' when the program names a file it does not define. */
  file: string;
  line: number;
  column: number;
  isStmt: boolean;
  endSequence: boolean;
}

export interface LineProgram {
  offset: number;
  version: number;
  /** The file table, absolute paths, indexed as the program's DW_AT_decl_file values are. */
  files: string[];
  rows: LineRow[];
}

const LNCT_path = 1;
const LNCT_directory_index = 2;

const DW_LNS = { copy: 1, advance_pc: 2, advance_line: 3, set_file: 4, set_column: 5, negate_stmt: 6, set_basic_block: 7,
  const_add_pc: 8, fixed_advance_pc: 9, set_prologue_end: 10, set_epilogue_begin: 11, set_isa: 12 } as const;
const DW_LNE = { end_sequence: 1, set_address: 2, define_file: 3, set_discriminator: 4 } as const;

/**
 * Reads the line program at `offset`. `compDir` is the unit's DW_AT_comp_dir (used by versions 2–4,
 * whose directory 0 is implicit). Rows read before damage are kept: a malformed opcode ends the program.
 */
export function readLineProgram(sections: DwarfSections, offset: number, compDir: string | undefined, root: string,
  problems: string[]): LineProgram {
  const outer = new DwarfReader(sections.line, '.debug_line', offset);
  const { length, offsetSize } = outer.initialLength();
  const end = Math.min(outer.offset + length, sections.line.length);
  if (outer.offset + length > sections.line.length) {
    problems.push(`the line program at offset 0x${offset.toString(16)} claims ${length} bytes but .debug_line ends before that`);
  }
  const r = new DwarfReader(sections.line.subarray(0, end), '.debug_line', outer.offset);
  const version = r.u16();
  if (version < 2 || version > 5) {
    throw new DwarfError(`unsupported debug info: line program version ${version} at offset 0x${offset.toString(16)} of .debug_line`);
  }
  let addressSize = 4;
  if (version >= 5) {
    addressSize = r.u8();
    r.u8(); // segment selector size
  }
  const headerLength = r.unsigned(offsetSize);
  const programStart = r.offset + headerLength;
  const minInstLength = r.u8();
  if (version >= 4) r.u8(); // maximum operations per instruction: 1 on RISC-V
  const defaultIsStmt = r.u8() !== 0;
  const lineBase = r.i8();
  const lineRange = r.u8();
  const opcodeBase = r.u8();
  if (lineRange === 0) throw new DwarfError(`malformed debug info: the line program at offset 0x${offset.toString(16)} has a line range of 0`);
  const opcodeLengths = [0];
  for (let i = 1; i < opcodeBase; i++) opcodeLengths.push(r.u8());

  const base = resolve(root, compDir ?? '.');
  const absolute = (dir: string, name: string): string => resolve(isAbsolute(dir) ? dir : join(base, dir), name);
  let files: string[];
  if (version >= 5) {
    const unit: UnitEncoding = { version, offsetSize, addressSize, unitOffset: 0, str: sections.str, lineStr: sections.lineStr };
    const dirs = readEntryTable(r, unit).map((e) => e.path ?? '');
    // Directory 0 is the compilation directory itself in version 5.
    const dirOf = (i: number): string => (i === 0 ? base : absolute(base, dirs[i] ?? ''));
    if (dirs.length > 0) dirs[0] = base;
    files = readEntryTable(r, unit).map((e) => absolute(dirOf(e.directory), e.path ?? ''));
  } else {
    const dirs = [base];
    for (;;) {
      const dir = r.cstring();
      if (dir === '') break;
      dirs.push(absolute(base, dir));
    }
    files = ['']; // files are numbered from 1
    for (;;) {
      const name = r.cstring();
      if (name === '') break;
      const dir = r.uleb();
      r.uleb();
      r.uleb();
      files.push(absolute(dirs[dir] ?? base, name));
    }
  }

  const rows: LineRow[] = [];
  r.offset = programStart;
  let address = 0;
  let file = 1;
  let line = 1;
  let column = 0;
  let isStmt = defaultIsStmt;
  const emit = (endSequence: boolean): void => {
    rows.push({ address: address >>> 0, file: files[file] ?? '', line, column, isStmt, endSequence });
  };
  const reset = (): void => {
    address = 0; file = 1; line = 1; column = 0; isStmt = defaultIsStmt;
  };
  try {
    while (!r.atEnd) {
      const opcode = r.u8();
      if (opcode >= opcodeBase) {
        const adjusted = opcode - opcodeBase;
        address += Math.floor(adjusted / lineRange) * minInstLength;
        line += lineBase + (adjusted % lineRange);
        emit(false);
        continue;
      }
      switch (opcode) {
        case 0: {
          const len = r.uleb();
          const ext = r.sub(len, 'an extended line opcode');
          if (len === 0) break;
          const sub = ext.u8();
          if (sub === DW_LNE.end_sequence) {
            emit(true);
            reset();
          } else if (sub === DW_LNE.set_address) {
            address = ext.unsigned(len - 1);
          } else if (sub === DW_LNE.define_file) {
            const name = ext.cstring();
            const dir = ext.uleb();
            files.push(absolute(version >= 5 ? base : (dir === 0 ? base : files[dir] ?? base), name));
          }
          // set_discriminator and vendor opcodes: their length was skipped with `sub`.
          break;
        }
        case DW_LNS.copy: emit(false); break;
        case DW_LNS.advance_pc: address += r.uleb() * minInstLength; break;
        case DW_LNS.advance_line: line += r.sleb(); break;
        case DW_LNS.set_file: file = r.uleb(); break;
        case DW_LNS.set_column: column = r.uleb(); break;
        case DW_LNS.negate_stmt: isStmt = !isStmt; break;
        case DW_LNS.const_add_pc: address += Math.floor((255 - opcodeBase) / lineRange) * minInstLength; break;
        case DW_LNS.fixed_advance_pc: address += r.u16(); break;
        case DW_LNS.set_basic_block: case DW_LNS.set_prologue_end: case DW_LNS.set_epilogue_begin: break;
        default:
          // set_isa and opcodes newer than us: skip their LEB128 operands, as the header says.
          for (let i = 0; i < (opcodeLengths[opcode] ?? 0); i++) r.uleb();
      }
    }
  } catch (e) {
    if (!(e instanceof DwarfError)) throw e;
    problems.push(`the line program at offset 0x${offset.toString(16)} is damaged (${e.message}); its rows up to there are kept`);
  }
  return { offset, version, files, rows };
}

/** A version 5 directory or file table: a list of (content type, form) pairs, then the entries. */
function readEntryTable(r: DwarfReader, unit: UnitEncoding): Array<{ path?: string; directory: number }> {
  const formatCount = r.u8();
  const format: Array<{ type: number; form: number }> = [];
  for (let i = 0; i < formatCount; i++) format.push({ type: r.uleb(), form: r.uleb() });
  const count = r.uleb();
  if ((formatCount === 0 && count > 0) || count > r.remaining + 64) {
    throw new DwarfError(`malformed debug info: a line table lists ${count} entries without saying what they contain`);
  }
  const entries: Array<{ path?: string; directory: number }> = [];
  for (let i = 0; i < count; i++) {
    const entry: { path?: string; directory: number } = { directory: 0 };
    for (const { type, form } of format) {
      const value: AttributeValue = readAttribute(r, { name: type, form }, unit);
      if (type === LNCT_path && value.kind === 'string') entry.path = value.value;
      if (type === LNCT_directory_index && value.kind === 'constant') entry.directory = value.value;
    }
    entries.push(entry);
  }
  return entries;
}
