/**
 * Completion, by where the cursor is in the statement: at its start, mnemonics, directives and macros;
 * after `%`, relocation operators; in an operand, what that operand of that mnemonic can be (registers,
 * CSRs for a CSR operand, labels and constants for a target or immediate). The text before the cursor
 * decides, not the parse, because the line being typed is usually incomplete.
 */
import { CompletionItem, CompletionItemKind, TextEdit } from 'vscode-languageserver';
import { CSRS } from '../emulator/isa/csrs';
import { REGISTERS } from '../emulator/isa/registers';
import { directiveByName, DIRECTIVES } from './directives';
import { describeCsr, describeDirective, describeMnemonic, describeRegister } from './hover';
import { ALL_MNEMONICS, lookupMnemonic, REGISTER_NAMES, registerByName } from './instruction-set';
import { formText, KINDS } from './operand-kinds';
import { RELOCATIONS } from './relocations';
import type { IndexedFile, WorkspaceIndex } from './workspace-index';

/** At most this many symbols from other files, so that a huge workspace does not flood the list. */
const MAX_SHARED_SYMBOLS = 2000;

const SECTIONS = ['.text', '.data', '.bss', '.rodata', '.text.init', '.init', '.sdata', '.sbss', '.srodata', '.tohost'];
const OPTIONS = ['rvc', 'norvc', 'pic', 'nopic', 'relax', 'norelax', 'push', 'pop', 'arch'];

let staticItems: { mnemonics: CompletionItem[]; directives: CompletionItem[]; registers: CompletionItem[]; csrs: CompletionItem[] } | undefined;

function items() {
  return staticItems ??= {
    mnemonics: ALL_MNEMONICS.map((m) => ({
      label: m.name, kind: CompletionItemKind.Keyword,
      detail: m.forms[0]?.length ? `${m.name} ${formText(m.forms[0])}` : m.name,
      documentation: describeMnemonic(m),
    })),
    directives: DIRECTIVES.map((d) => ({ label: d.name, kind: CompletionItemKind.Keyword, detail: d.syntax, documentation: describeDirective(d.name) })),
    registers: REGISTER_NAMES.map((name) => {
      const number = registerByName(name)!;
      // ABI names first: `a0` is what people write, `x10` what they sometimes need.
      return {
        label: name, kind: CompletionItemKind.Variable, detail: `x${number} · ${REGISTERS[number].role}`,
        sortText: `${name.startsWith('x') ? 'z' : 'a'}${name}`, documentation: describeRegister(name, number),
      };
    }),
    csrs: CSRS.map((c) => ({
      label: c.name, kind: CompletionItemKind.Constant, detail: `CSR 0x${c.number.toString(16)} · ${c.description}`,
      documentation: describeCsr(c),
    })),
  };
}

/** The code part of the text before the cursor, or undefined if the cursor is in a comment or string. */
function codeBefore(before: string): string | undefined {
  let inString = false;
  for (let i = 0; i < before.length; i++) {
    const c = before[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '#' || (c === '/' && (before[i + 1] === '/' || before[i + 1] === '*'))) {
      return undefined;
    }
  }
  return inString ? undefined : before;
}

function withEdit(list: CompletionItem[], line: number, from: number, to: number): CompletionItem[] {
  return list.map((item) => ({ ...item, filterText: item.label, textEdit: TextEdit.replace({ start: { line, character: from }, end: { line, character: to } }, item.label) }));
}

function symbolItems(file: IndexedFile, index: WorkspaceIndex): { items: CompletionItem[]; incomplete: boolean } {
  const seen = new Set<string>();
  const found: CompletionItem[] = [];
  const add = (name: string, kind: CompletionItemKind, detail: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    found.push({ label: name, kind, detail });
  };
  for (const d of file.parsed.definitions) {
    if (d.kind === 'label') add(d.name, CompletionItemKind.Function, `label in ${d.section ?? '.text'}`);
    else if (d.kind === 'equate' || d.kind === 'define') add(d.name, CompletionItemKind.Constant, d.value ?? '');
    else if (d.kind === 'common') add(d.name, CompletionItemKind.Variable, 'common symbol');
  }
  let shared = 0;
  let incomplete = false;
  for (const other of index.allFiles()) {
    if (other === file) continue;
    for (const d of other.parsed.definitions) {
      const visible = d.kind === 'c' || d.kind === 'linker' || (other.parsed.exported.has(d.name) && d.kind !== 'define');
      if (!visible || seen.has(d.name)) continue;
      if (++shared > MAX_SHARED_SYMBOLS) { incomplete = true; break; }
      add(d.name, d.kind === 'label' || d.kind === 'c' ? CompletionItemKind.Function : CompletionItemKind.Constant,
        d.kind === 'c' ? 'defined in C' : d.kind === 'linker' ? 'linker-script symbol' : 'global symbol');
    }
  }
  return { items: found, incomplete };
}

export interface CompletionResult {
  readonly items: CompletionItem[];
  readonly incomplete: boolean;
}

export function completion(file: IndexedFile, index: WorkspaceIndex, lineText: string, line: number, character: number): CompletionResult {
  const none = { items: [], incomplete: false };
  const before = codeBefore(lineText.slice(0, character));
  if (before === undefined || /^\s*#/.test(before)) return none;
  const statement = before.slice(before.lastIndexOf(';') + 1);
  const statementOffset = before.length - statement.length;

  const relocation = /%([A-Za-z_]*)$/.exec(statement);
  if (relocation) {
    const from = character - relocation[0].length;
    return {
      incomplete: false,
      items: RELOCATIONS.map((r) => ({
        label: `%${r.name}`, kind: CompletionItemKind.Function, detail: r.description, filterText: `%${r.name}`,
        textEdit: TextEdit.replace({ start: { line, character: from }, end: { line, character } }, `%${r.name}`),
      })),
    };
  }

  const head = /^(\s*(?:(?:[A-Za-z_.$][\w.$]*|\d+):\s*)*)([^\s,]*)(\s+(.*))?$/.exec(statement);
  if (!head) return none;
  const nameStart = statementOffset + head[1].length;
  if (head[3] === undefined) {
    // At the mnemonic: instructions, directives, macros.
    const macros: CompletionItem[] = file.parsed.definitions.filter((d) => d.kind === 'macro')
      .map((d) => ({ label: d.name, kind: CompletionItemKind.Method, detail: 'macro' }));
    const { mnemonics, directives } = items();
    const list = head[2].startsWith('.') ? directives : [...mnemonics, ...directives, ...macros];
    return { items: withEdit(list, line, nameStart, character), incomplete: false };
  }

  const name = head[2];
  const operandText = head[4] ?? '';
  const operandIndex = topLevelCommas(operandText);
  if (name.startsWith('.')) {
    const spec = directiveByName(name);
    if (name.toLowerCase() === '.section' || name.toLowerCase() === '.pushsection') {
      return { items: SECTIONS.map((s) => ({ label: s, kind: CompletionItemKind.Module })), incomplete: false };
    }
    if (name.toLowerCase() === '.option') return { items: OPTIONS.map((o) => ({ label: o, kind: CompletionItemKind.Keyword })), incomplete: false };
    if (!spec || spec.operands === 'text') return none;
    return symbolItems(file, index);
  }

  const mnemonic = lookupMnemonic(name);
  const { registers, csrs } = items();
  // Inside `offset(` only a base register fits.
  if (/\([^)]*$/.test(operandText)) return { items: registers, incomplete: false };
  if (!mnemonic) return { items: [...registers, ...symbolItems(file, index).items], incomplete: false };
  // The form the table lists decides when it has this operand (`call` offers labels, though `call t0, f`
  // exists); the assembler's other forms only when it does not (`jalr t0, 4`).
  const canonical = mnemonic.forms[0];
  const forms = canonical && canonical.length > operandIndex ? [canonical] : mnemonic.forms.filter((f) => f.length > operandIndex);
  const kinds = new Set(forms.map((f) => f[operandIndex]));
  const classes = new Set([...kinds].map((k) => KINDS[k].class));
  const list: CompletionItem[] = [];
  let incomplete = false;
  if (classes.has('csr')) list.push(...csrs);
  if (classes.has('register') || classes.has('cregister') || classes.has('sp') || classes.has('memory')) list.push(...registers);
  if (classes.has('target') || classes.has('address') || classes.has('immediate') || classes.has('csr')) {
    const symbols = symbolItems(file, index);
    list.push(...symbols.items);
    incomplete = symbols.incomplete;
  }
  return { items: list, incomplete };
}

function topLevelCommas(text: string): number {
  let depth = 0;
  let commas = 0;
  for (const c of text) {
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth <= 0) commas++;
  }
  return commas;
}
