/**
 * What binutils says about an ELF's debug info, parsed: the reference the symbol reader is checked
 * against. `riscv64-unknown-elf-objdump --dwarf=decodedline | info | frames-interp`.
 */
import { execFileSync } from 'node:child_process';
import { requireTool } from '../support/toolchain';

function objdump(args: string[], elf: string): string {
  requireTool('riscv64-unknown-elf-objdump');
  return execFileSync('riscv64-unknown-elf-objdump', [...args, elf], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

export interface ObjdumpLineRow {
  /** Base name, as objdump prints it. */
  file: string;
  /** undefined for an end_sequence row. */
  line?: number;
  address: number;
  isStmt: boolean;
}

export function decodedLines(elf: string): ObjdumpLineRow[] {
  const rows: ObjdumpLineRow[] = [];
  const row = /^(\S+)\s+(\d+|-)\s+(0x[0-9a-f]+)(?:\s+(\d+))?(?:\s+(x))?\s*$/;
  for (const text of objdump(['-w', '--dwarf=decodedline'], elf).split('\n')) {
    const m = row.exec(text);
    if (!m) continue;
    rows.push({ file: m[1], line: m[2] === '-' ? undefined : Number(m[2]), address: Number(m[3]), isStmt: m[5] === 'x' });
  }
  return rows;
}

export interface DumpDie {
  offset: number;
  depth: number;
  tag: string;
  /** Attribute name (without DW_AT_) → objdump's text of its value. */
  attrs: Map<string, string>;
  parent?: DumpDie;
  children: DumpDie[];
}

/** The DIE tree of every unit, as `--dwarf=info` prints it. */
export function dieDump(elf: string): DumpDie[] {
  const all: DumpDie[] = [];
  const stack: DumpDie[] = [];
  let current: DumpDie | undefined;
  for (const text of objdump(['--dwarf=info'], elf).split('\n')) {
    const head = /^\s*<(\d+)><([0-9a-f]+)>: Abbrev Number: (\d+)(?: \((DW_TAG_\w+)\))?/.exec(text);
    if (head) {
      const depth = Number(head[1]);
      if (Number(head[3]) === 0) { current = undefined; continue; }
      stack.length = depth;
      const die: DumpDie = { offset: parseInt(head[2], 16), depth, tag: head[4], attrs: new Map(), children: [] };
      if (depth > 0 && stack[depth - 1]) {
        die.parent = stack[depth - 1];
        die.parent.children.push(die);
      }
      stack[depth] = die;
      all.push(die);
      current = die;
      continue;
    }
    const attr = /^\s*<[0-9a-f]+>\s+DW_AT_(\w+)\s*:\s?(.*)$/.exec(text);
    if (attr && current) current.attrs.set(attr[1], attr[2].trim());
  }
  return all;
}

/** The name of a DIE dump value: the text after the last "): " of an indirect string, or the text itself. */
export function dumpString(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = /\(indirect (?:line )?string, offset: (?:0x)?[0-9a-f]+\): (.*)$/.exec(value);
  return m ? m[1] : value;
}

/** A DW_AT_type-like reference "<0x4d1>" as an offset. */
export function dumpReference(value: string | undefined): number | undefined {
  const m = value === undefined ? null : /<0x([0-9a-f]+)>/.exec(value);
  return m ? parseInt(m[1], 16) : undefined;
}

export interface ObjdumpFde {
  low: number;
  high: number;
  rows: Array<{ location: number; cfa: string; registers: Map<string, string> }>;
}

/** The FDEs of `--dwarf=frames-interp`, with their rows ("sp+16", "c-4", "u"). */
export function frameTable(elf: string): ObjdumpFde[] {
  const fdes: ObjdumpFde[] = [];
  let fde: ObjdumpFde | undefined;
  let columns: string[] = [];
  for (const text of objdump(['--dwarf=frames-interp'], elf).split('\n')) {
    const head = /FDE cie=[0-9a-f]+ pc=([0-9a-f]+)\.\.([0-9a-f]+)/.exec(text);
    if (head) {
      fde = { low: parseInt(head[1], 16), high: parseInt(head[2], 16), rows: [] };
      fdes.push(fde);
      columns = [];
      continue;
    }
    if (/CIE/.test(text)) { fde = undefined; continue; }
    if (!fde) continue;
    const fields = text.trim().split(/\s+/);
    if (fields[0] === 'LOC') { columns = fields.slice(2); continue; }
    if (fields.length >= 2 && /^[0-9a-f]{8}$/.test(fields[0])) {
      const registers = new Map<string, string>();
      columns.forEach((c, i) => registers.set(c, fields[2 + i]));
      fde.rows.push({ location: parseInt(fields[0], 16), cfa: fields[1], registers });
    }
  }
  return fdes;
}

export const ABI_NAMES = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'];
