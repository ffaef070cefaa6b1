/**
 * Checks shared by the example tests and the DWARF 4/5 fixture test: every variable's type and every
 * struct/union layout, as the symbol reader reads them, against objdump's DIE dump.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseElf } from '../../emulator/elf';
import { readDebugInfo } from '../../debugger/symbols/debug-info';
import { DieAttributes } from '../../debugger/symbols/die-attributes';
import { dwarfSections } from '../../debugger/symbols/dwarf-sections';
import { TypeReader } from '../../debugger/symbols/types';
import { TypeInfo } from '../../debugger/symbols/api';
import { basename, dirname } from 'node:path';
import { readProgramLines } from '../../debugger/symbols/program-lines';
import { DumpDie, decodedLines, dieDump, dumpReference, dumpString } from './objdump-output';

/** A C-like name of a type: "struct account *", "int32_t[4]", "char *". */
export function typeName(t: TypeInfo): string {
  switch (t.kind) {
    case 'base': case 'typedef': return t.name;
    case 'pointer': return t.target ? `${typeName(t.target)} *` : 'void *';
    case 'array': return `${typeName(t.element)}[${t.count ?? ''}]`;
    case 'struct': case 'union': return `${t.kind} ${t.name ?? '{…}'}`;
    case 'enum': return `enum ${t.name ?? '{…}'}`;
    case 'function': return 'function';
    case 'void': return 'void';
  }
}

/** The same name, from objdump's dump. */
function dumpTypeName(byOffset: Map<number, DumpDie>, ref: number | undefined, depth = 0): string {
  const d = ref === undefined ? undefined : byOffset.get(ref);
  if (!d || depth > 20) return 'void';
  const name = dumpString(d.attrs.get('name'));
  const target = (): string => dumpTypeName(byOffset, dumpReference(d.attrs.get('type')), depth + 1);
  switch (d.tag) {
    case 'DW_TAG_base_type': case 'DW_TAG_typedef': return name ?? '?';
    case 'DW_TAG_pointer_type': return `${target()} *`;
    case 'DW_TAG_const_type': case 'DW_TAG_volatile_type': case 'DW_TAG_restrict_type': case 'DW_TAG_atomic_type': return target();
    case 'DW_TAG_structure_type': return `struct ${name ?? '{…}'}`;
    case 'DW_TAG_union_type': return `union ${name ?? '{…}'}`;
    case 'DW_TAG_enumeration_type': return `enum ${name ?? '{…}'}`;
    case 'DW_TAG_subroutine_type': return 'function';
    case 'DW_TAG_array_type': {
      let out = target();
      const dims = d.children.filter((c) => c.tag === 'DW_TAG_subrange_type').map((c) => {
        const count = c.attrs.get('count');
        if (count !== undefined) return `[${Number(count)}]`;
        const upper = c.attrs.get('upper_bound');
        if (upper === undefined) return '[]';
        const n = Number(upper);
        return `[${n >= 0xffffffff || n === -1 ? 0 : n + 1}]`;
      });
      for (let i = dims.length - 1; i >= 0; i--) out = `${out}${dims[i]}`;
      return dims.length === 0 ? `${out}[]` : out;
    }
    default: return 'void';
  }
}

/** Our rendering of arrays is outermost-first as well: int[2][3] is "int[3][2]" in both, consistently. */
export function compareTypesWithObjdump(path: string): { variables: number; members: number } {
  const image = parseElf(readFileSync(path));
  const sections = dwarfSections(image);
  const info = readDebugInfo(sections);
  const attrs = new DieAttributes(info, sections);
  const types = new TypeReader(attrs);
  const dump = dieDump(path);
  const byOffset = new Map(dump.map((d) => [d.offset, d]));
  let variables = 0;
  let members = 0;
  for (const d of dump) {
    const die = info.dieAt(d.offset);
    if (d.tag === 'DW_TAG_variable' || d.tag === 'DW_TAG_formal_parameter') {
      if (!d.attrs.has('type')) continue;
      assert.ok(die, `no DIE at 0x${d.offset.toString(16)}`);
      assert.equal(attrs.name(die) ?? '', dumpString(d.attrs.get('name')) ?? (attrs.name(die) ?? ''), `name at 0x${d.offset.toString(16)}`);
      assert.equal(typeName(types.typeOf(die)), dumpTypeName(byOffset, dumpReference(d.attrs.get('type'))),
        `type of ${dumpString(d.attrs.get('name'))} at 0x${d.offset.toString(16)}`);
      variables++;
    }
    if (d.tag === 'DW_TAG_structure_type' || d.tag === 'DW_TAG_union_type') {
      assert.ok(die);
      const t = types.read(die, 0);
      assert.ok(t.kind === 'struct' || t.kind === 'union');
      assert.equal(t.size, Number(d.attrs.get('byte_size') ?? 0), `size of ${dumpString(d.attrs.get('name'))}`);
      const expected = d.children.filter((c) => c.tag === 'DW_TAG_member');
      assert.equal(t.members.length, expected.length);
      expected.forEach((m, i) => {
        const ours = t.members[i];
        assert.equal(ours.name, dumpString(m.attrs.get('name')) ?? '');
        assert.equal(typeName(ours.type), dumpTypeName(byOffset, dumpReference(m.attrs.get('type'))));
        const bitSize = m.attrs.get('bit_size');
        if (bitSize !== undefined) {
          assert.equal(ours.bitSize, Number(bitSize));
          // DWARF 5: DW_AT_data_bit_offset from the struct's start. DWARF 4 (GCC): a storage unit at
          // data_member_location of byte_size bytes, and DW_AT_bit_offset from its most significant bit.
          const dataBitOffset = m.attrs.has('data_bit_offset') ? Number(m.attrs.get('data_bit_offset'))
            : Number(m.attrs.get('data_member_location') ?? 0) * 8 + Number(m.attrs.get('byte_size')) * 8
              - Number(m.attrs.get('bit_offset')) - Number(bitSize);
          assert.ok(Number.isFinite(dataBitOffset), `objdump gave no bit offset for ${ours.name}`);
          assert.equal(ours.offset * 8 + (ours.bitOffset ?? 0), dataBitOffset, `bit offset of ${ours.name}`);
        } else {
          assert.equal(ours.offset, Number(m.attrs.get('data_member_location') ?? 0), `offset of ${ours.name}`);
        }
        members++;
      });
    }
  }
  return { variables, members };
}

/** Every row of every line program (except those the linker discarded to address 0) equals objdump's. */
export function compareLinesWithObjdump(path: string): number {
  const image = parseElf(readFileSync(path));
  const sections = dwarfSections(image);
  const info = readDebugInfo(sections);
  const problems: string[] = [];
  const { programs } = readProgramLines(sections, info, new DieAttributes(info, sections), dirname(path), problems);
  assert.deepEqual(problems, []);
  // objdump leaves out the sequences of functions the linker discarded (left at address 0).
  const kept = programs.flatMap((p) => sequences(p.rows)).filter((seq) => seq[0].address !== 0).flat();
  const ours = kept.map((r) => ({
    file: basename(r.file), line: r.endSequence ? undefined : r.line, address: r.address, isStmt: r.endSequence ? false : r.isStmt,
  }));
  const theirs = decodedLines(path);
  assert.ok(theirs.length > 10, `objdump printed only ${theirs.length} rows for ${path}`);
  assert.equal(ours.length, theirs.length, 'row count');
  for (let i = 0; i < ours.length; i++) assert.deepEqual(ours[i], theirs[i], `row ${i}`);
  return ours.length;
}

function sequences<T extends { endSequence: boolean }>(rows: T[]): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  for (const row of rows) {
    current.push(row);
    if (row.endSequence) { out.push(current); current = []; }
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Subprograms with code, from objdump: name (through abstract_origin/specification), [low, high). */
export function objdumpSubprograms(dies: DumpDie[]): Array<{ name: string; low: number; high: number }> {
  const byOffset = new Map(dies.map((d) => [d.offset, d]));
  const nameOf = (d: DumpDie | undefined, depth = 0): string | undefined => {
    if (!d || depth > 3) return undefined;
    return dumpString(d.attrs.get('name')) ??
      nameOf(byOffset.get(dumpReference(d.attrs.get('abstract_origin')) ?? -1), depth + 1) ??
      nameOf(byOffset.get(dumpReference(d.attrs.get('specification')) ?? -1), depth + 1);
  };
  const out: Array<{ name: string; low: number; high: number }> = [];
  for (const d of dies) {
    if (d.tag !== 'DW_TAG_subprogram' || !d.attrs.has('low_pc')) continue;
    const low = Number(d.attrs.get('low_pc'));
    const highText = d.attrs.get('high_pc')!;
    const high = Number(highText) < low ? low + Number(highText) : Number(highText);
    if (low === 0) continue; // discarded by the linker
    out.push({ name: nameOf(d)!, low, high });
  }
  return out;
}
