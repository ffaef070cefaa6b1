/**
 * Hover text: for a mnemonic, its operands, what it does, its format and the extension it needs (all
 * from the instruction table); for a register, its ABI role and who saves it; for a CSR, its number,
 * privilege and access; for a directive or relocation operator, what it does; for a symbol, where and
 * how it is defined. Completion shows the same text as documentation.
 */
import type { Hover, MarkupContent } from 'vscode-languageserver';
import { REGISTERS } from '../emulator/isa/registers';
import type { CsrSpec } from '../emulator/isa/csrs';
import type { Extension } from '../emulator/isa/instructions';
import { targetAt } from './cursor';
import { directiveByName } from './directives';
import { resolveLocalLabel } from './local-labels';
import { Mnemonic, ORDERING_SUFFIXES } from './instruction-set';
import { formText, KINDS } from './operand-kinds';
import { relocationByName } from './relocations';
import type { IndexedFile, Located, WorkspaceIndex } from './workspace-index';
import { DEFAULT_LINKER_SYMBOLS } from './linker-symbols';
import { basename } from 'node:path';
import { uriToPath } from './document-uri';

const EXTENSIONS: Readonly<Record<Extension, string>> = {
  I: 'RV32I base integer instruction set',
  M: 'M extension (integer multiply and divide)',
  A: 'A extension (atomic memory operations)',
  C: 'C extension (compressed 16-bit instructions)',
  Zicsr: 'Zicsr extension (control and status registers)',
  Zifencei: 'Zifencei extension (instruction-fetch fence)',
  Priv: 'privileged architecture (machine mode)',
};

const markdown = (lines: string[]): MarkupContent => ({ kind: 'markdown', value: lines.join('\n') });
const code = (text: string) => ['```riscv-asm', text, '```'];

export function describeMnemonic(mnemonic: Mnemonic): MarkupContent {
  const [canonical, ...others] = mnemonic.forms;
  const lines = [...code(`${mnemonic.name}${canonical && canonical.length > 0 ? ` ${formText(canonical)}` : ''}`)];
  const instruction = mnemonic.instruction;
  if (instruction) {
    lines.push(instruction.summary, '');
    const encoding = instruction.length === 2 ? `16-bit, expands to \`${instruction.expandsTo}\`` : '32-bit';
    lines.push(`${EXTENSIONS[instruction.extension]} · ${instruction.format}-type · ${encoding}`);
  } else if (mnemonic.pseudo) {
    lines.push(`Pseudo-instruction: \`${mnemonic.pseudo.expansion}\``, '', EXTENSIONS[mnemonic.pseudo.extension]);
  }
  if (mnemonic.extension === 'A') lines.push('', `Ordering suffixes: ${ORDERING_SUFFIXES.map((s) => `\`.${s}\``).join(', ')} (acquire, release, both).`);
  if (canonical && canonical.length > 0) {
    lines.push('');
    for (const kind of new Set(canonical)) {
      const info = KINDS[kind];
      lines.push(`- \`${info.syntax ?? kind}\`: ${info.description}${info.range ? ` (${info.range})` : ''}`);
    }
  }
  if (others.length > 0) lines.push('', `Also written: ${others.map((f) => `\`${mnemonic.name}${f.length ? ` ${formText(f)}` : ''}\``).join(', ')}`);
  return markdown(lines);
}

const SAVERS = {
  caller: 'caller-saved: a call may change it',
  callee: 'callee-saved: a function must restore it before returning',
  '—': 'not allocated by the calling convention',
};

export function describeRegister(name: string, number: number): MarkupContent {
  const spec = REGISTERS[number];
  const names = [`x${number}`, spec.abi, ...(number === 8 ? ['fp'] : [])].filter((n) => n !== name);
  return markdown([`**${name}** (${names.join(', ')}) — ${spec.role}`, '', SAVERS[spec.saver]]);
}

export function describeCsr(csr: CsrSpec): MarkupContent {
  const privilege = ['user', 'supervisor', 'hypervisor', 'machine'][(csr.number >> 8) & 3];
  const access = ((csr.number >> 10) & 3) === 3 ? 'read-only' : 'read/write';
  return markdown([`**${csr.name}** — CSR 0x${csr.number.toString(16).padStart(3, '0')}`, '', csr.description, '', `${privilege} level, ${access}`]);
}

export function describeDirective(name: string): MarkupContent | undefined {
  const spec = directiveByName(name);
  return spec && markdown([...code(spec.syntax), spec.description]);
}

function where(located: Located): string {
  const path = uriToPath(located.uri);
  return `${path ? basename(path) : located.uri}:${located.definition.line + 1}`;
}

function describeDefinition(located: Located, index: WorkspaceIndex): string {
  const d = located.definition;
  const at = `(${where(located)})`;
  switch (d.kind) {
    case 'label': {
      const file = index.file(located.uri);
      const exported = file?.parsed.exported.has(d.name) ? 'global ' : '';
      const fn = file?.parsed.functions.has(d.name) ? 'function' : 'label';
      return `${exported}${fn} **${d.name}** in ${d.section ?? '.text'} ${at}`;
    }
    case 'equate': {
      const file = index.file(located.uri);
      const value = file ? index.environment(file).constants.valueOf(d.name) : undefined;
      const text = d.value ?? '';
      let shown = '';
      if (value !== undefined) {
        if (!/^-?\d+$/.test(text)) shown += ` = ${value}`;
        if ((value > 9n || value < -9n) && !/^0x/i.test(text)) shown += ` (0x${BigInt.asUintN(32, value).toString(16)})`;
      }
      return `symbol **${d.name}** = \`${text}\`${shown} ${at}`;
    }
    case 'common': return `common symbol **${d.name}** (zero-initialised storage) ${at}`;
    case 'macro': return `assembler macro **${d.name}** ${at}`;
    case 'define': return `\`#define ${d.name}${d.functionLike ? '(...)' : ''} ${d.value ?? ''}\` ${at}`;
    case 'c': return `C definition **${d.name}** ${at}`;
    case 'linker': return `linker-script symbol **${d.name}** ${at}`;
  }
}

export function hover(file: IndexedFile, index: WorkspaceIndex, line: number, character: number): Hover | null {
  const target = targetAt(file.parsed, line, character);
  if (!target) return null;
  const range = { start: { line, character: target.span.start }, end: { line, character: target.span.end } };
  let contents: MarkupContent | undefined;
  switch (target.kind) {
    case 'mnemonic': contents = describeMnemonic(target.mnemonic); break;
    case 'directive': contents = describeDirective(target.name); break;
    case 'register': contents = describeRegister(target.name, target.number); break;
    case 'csr': contents = describeCsr(target.csr); break;
    case 'relocation': {
      const spec = relocationByName(target.name);
      contents = spec && markdown([`**%${spec.name}**(symbol) — ${spec.description}`]);
      break;
    }
    case 'local-label': {
      if (target.direction === 'definition') {
        contents = markdown([`local label **${target.label}:** — \`${target.label}b\` after it and \`${target.label}f\` before it refer to it`]);
      } else {
        const definitions = file.parsed.localLabels.filter((l) => l.label === target.label);
        const found = target.statement && resolveLocalLabel(definitions, target.direction, target.statement);
        contents = markdown([found ? `local label **${target.label}:** on line ${found.line + 1}`
          : `no local label \`${target.label}:\` ${target.direction === 'b' ? 'before' : 'after'} this line`]);
      }
      break;
    }
    case 'symbol': {
      const definitions = index.definitionsOf(target.name, file);
      if (definitions.length > 0) contents = markdown(definitions.slice(0, 5).map((d) => describeDefinition(d, index)));
      else if (DEFAULT_LINKER_SYMBOLS.has(target.name)) contents = markdown([`**${target.name}** — defined by the linker's default script`]);
      else if (file.parsed.declared.has(target.name)) contents = markdown([`**${target.name}** — declared here, defined in another object file`]);
      break;
    }
  }
  return contents ? { contents, range } : null;
}
