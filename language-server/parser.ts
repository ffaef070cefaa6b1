/**
 * Reads a RISC-V assembly source (GNU as syntax, optionally run through the C preprocessor, as `.S`
 * files are) into statements, symbol definitions and references: one pass over the lines, with no
 * backtracking and no per-operand objects kept (operands are re-read from the line on demand).
 *
 * The lexical rules, as GNU as and cpp apply them:
 * - `#include`, `#define`, `#if`... at the start of a line are preprocessor directives; any other `#`
 *   starts a comment (`# text`, and `# 1 "file"` line markers). `//` and `/* *\/` are comments too.
 * - `;` separates statements on one line; `name:` defines a label, `1:` a local numeric label.
 * - `name = value` defines a symbol, like `.set`.
 */
import { directiveByName } from './directives';
import { ALL_MNEMONICS, csrByExactName, lookupMnemonic, REGISTER_NUMBERS } from './instruction-set';
import type {
  IncludeDirective, LocalLabel, LocalLabelReference, OperandText, ParsedDocument, SectionMark, Span, Statement,
  SymbolDefinition, SymbolReference,
} from './parsed-document';
import { allDigits, CLASS, DIGIT, hasSpecial, IDENT_PART, IDENT_START, intern, SPACE, splitLines } from './source-text';

import { splitOperands } from './operands-split';

export { operandsOf } from './operands-split';
export { splitLines } from './source-text';

const PREPROCESSOR = /^#(include_next|include|define|undef|ifdef|ifndef|if|elifdef|elifndef|elif|else|endif|error|warning|pragma|line)\b/;
const INCLUDE = /^#include(?:_next)?\s*([<"])([^>"]*)[>"]?/;
const DEFINE = /^#define\s+([A-Za-z_]\w*)(\()?/;
const FENCE_SET = /^[iorw]+$/;
/** Mnemonics with an operand that is a name but not a symbol: a CSR or a fence set. */
const NAMING_OPERANDS = new Set(ALL_MNEMONICS.filter((m) => m.forms.some((f) => f.includes('csr') || f.includes('fence'))).map((m) => m.name));

class Parser {
  readonly statements: Statement[] = [];
  readonly definitions: SymbolDefinition[] = [];
  readonly localLabels: LocalLabel[] = [];
  readonly symbolReferences: SymbolReference[] = [];
  readonly localReferences: LocalLabelReference[] = [];
  readonly exported = new Set<string>();
  readonly declared = new Set<string>();
  readonly functions = new Set<string>();
  readonly sections: SectionMark[] = [];
  readonly includes: IncludeDirective[] = [];

  private inBlockComment = false;
  /** The previous line was a preprocessor directive ending in `\`. */
  private preprocessorContinues = false;
  /** The #define whose value continues on the next line. */
  private continuedDefine: { index: number; value: string } | undefined;
  private macroDepth = 0;
  private conditionalDepth = 0;
  private section = '.text';
  private sectionStack: string[] = [];
  private previousSection = '.text';
  private ended = false;

  parseLine(text: string, line: number): void {
    if (this.ended) return;
    let from = 0;
    if (this.inBlockComment) {
      const close = text.indexOf('*/');
      if (close < 0) return;
      this.inBlockComment = false;
      from = close + 2;
      text = ' '.repeat(from) + text.slice(from);
    }
    if (this.preprocessorContinues) {
      this.preprocessorContinues = text.trimEnd().endsWith('\\');
      if (this.continuedDefine) this.continueDefine(text, !this.preprocessorContinues);
      return;
    }
    let first = from;
    while (first < text.length && (CLASS[text.charCodeAt(first)] & SPACE)) first++;
    if (text.charCodeAt(first) === 35 /* # */) {
      const rest = text.slice(first);
      const directive = PREPROCESSOR.exec(rest);
      if (directive) this.preprocessor(directive[1], rest, line, first);
      return;   // a preprocessor line, or a `#` comment line
    }
    this.code(text, line, first);
  }

  private preprocessor(name: string, rest: string, line: number, column: number): void {
    this.preprocessorContinues = rest.trimEnd().endsWith('\\');
    if (name === 'include' || name === 'include_next') {
      const m = INCLUDE.exec(rest);
      if (m) this.includes.push({ path: m[2], system: m[1] === '<', line, start: column, end: column + m[0].length });
    } else if (name === 'define') {
      const m = DEFINE.exec(rest);
      if (!m) return;
      const nameStart = column + m[0].length - m[1].length - (m[2] ? 1 : 0);
      let body = rest.slice(m[0].length);
      if (m[2]) body = body.slice(body.indexOf(')') + 1);   // skip the parameter list
      this.definitions.push({
        name: m[1], kind: 'define', line, start: nameStart, end: nameStart + m[1].length,
        value: '', functionLike: m[2] !== undefined,
      });
      this.continuedDefine = { index: this.definitions.length - 1, value: '' };
      this.continueDefine(body, !this.preprocessorContinues);
    } else if (name === 'if' || name === 'ifdef' || name === 'ifndef') {
      this.conditionalDepth++;
    } else if (name === 'endif') {
      this.conditionalDepth = Math.max(0, this.conditionalDepth - 1);
    }
  }

  private continueDefine(text: string, last: boolean): void {
    const pending = this.continuedDefine!;
    const piece = stripPreprocessorComment(text).replace(/\\\s*$/, '').trim();
    pending.value = pending.value ? `${pending.value} ${piece}` : piece;
    if (last) {
      const definition = this.definitions[pending.index];
      this.definitions[pending.index] = { ...definition, value: pending.value.trim() };
      this.continuedDefine = undefined;
    }
  }

  /** A line of assembly: strip comments, split at `;`, parse each statement. */
  private code(text: string, line: number, from: number): void {
    // Most lines have no string, character constant, `;` or block comment: find the comment natively.
    const hash = text.indexOf('#', from);
    const limit = hash < 0 ? text.length : hash;
    if (!hasSpecial(text, from, limit)) return this.statement(text, line, from, limit);
    let code = text;
    let end = text.length;
    let segmentStart = from;
    const segments: Array<[number, number]> = [];
    for (let i = from; i < end; i++) {
      const c = code.charCodeAt(i);
      if (c === 34 /* " */) {
        i++;
        while (i < end && code.charCodeAt(i) !== 34) i += code.charCodeAt(i) === 92 ? 2 : 1;
      } else if (c === 39 /* ' */) {
        // A character constant: 'c, 'c' or '\n' — skip it so that '#' or ';' inside is not a comment.
        i += code.charCodeAt(i + 1) === 92 ? 2 : 1;
        if (code.charCodeAt(i + 1) === 39) i++;
      } else if (c === 35 /* # */ || (c === 47 /* / */ && code.charCodeAt(i + 1) === 47)) {
        end = i;
      } else if (c === 47 && code.charCodeAt(i + 1) === 42 /* * */) {
        const close = code.indexOf('*/', i + 2);
        if (close < 0) {
          this.inBlockComment = true;
          end = i;
        } else {
          // Blank the comment out, keeping columns, so the statement reads on around it.
          code = code.slice(0, i) + ' '.repeat(close + 2 - i) + code.slice(close + 2);
          i = close + 1;
        }
      } else if (c === 59 /* ; */) {
        segments.push([segmentStart, i]);
        segmentStart = i + 1;
      }
    }
    segments.push([segmentStart, end]);
    for (const [s, e] of segments) this.statement(code, line, s, e);
  }

  private statement(code: string, line: number, start: number, end: number): void {
    while (end > start && (CLASS[code.charCodeAt(end - 1)] & SPACE)) end--;
    let pos = start;
    while (pos < end && (CLASS[code.charCodeAt(pos)] & SPACE)) pos++;
    // Labels: `name:` or `1:`, any number of them.
    for (let colon = code.indexOf(':', pos); colon >= 0 && colon < end; colon = code.indexOf(':', pos)) {
      const c = code.charCodeAt(pos);
      const numeric = (CLASS[c] & DIGIT) !== 0;
      if (!numeric && !(CLASS[c] & IDENT_START)) break;
      let j = pos + 1;
      while (j < colon && (numeric ? (CLASS[code.charCodeAt(j)] & DIGIT) : (CLASS[code.charCodeAt(j)] & IDENT_PART))) j++;
      if (j !== colon) break;
      if (numeric) {
        this.localLabels.push({ label: code.slice(pos, colon), line, start: pos, end: colon });
      } else {
        this.definitions.push({
          name: code.slice(pos, colon), kind: 'label', line, start: pos, end: colon, section: this.section,
          conditional: this.conditionalDepth > 0 || this.macroDepth > 0,
        });
      }
      pos = colon + 1;
      while (pos < end && (CLASS[code.charCodeAt(pos)] & SPACE)) pos++;
    }
    if (pos >= end) return;
    // The mnemonic or directive (or a macro name, possibly `\argument` inside a macro body).
    let nameEnd = pos + 1;
    while (nameEnd < end) {
      const c = code.charCodeAt(nameEnd);
      if ((CLASS[c] & SPACE) || c === 44 /* , */ || c === 61 /* = */) break;
      nameEnd++;
    }
    const name = code.slice(pos, nameEnd);
    let rest = nameEnd;
    while (rest < end && (CLASS[code.charCodeAt(rest)] & SPACE)) rest++;
    // `name = value` is `.set name, value`.
    if (code.charCodeAt(rest) === 61 && code.charCodeAt(rest + 1) !== 61 && (CLASS[code.charCodeAt(pos)] & IDENT_START)) {
      const valueStart = rest + 1;
      const index = this.pushStatement('directive', '=', code, valueStart, line, pos, end);
      this.definitions.push({ name, kind: 'equate', line, start: pos, end: nameEnd, value: code.slice(valueStart, end).trim() });
      this.references(code, valueStart, end, line, index);
      return;
    }
    if (name.charCodeAt(0) === 46 /* . */) {
      this.directive(name, code, rest, line, pos, end);
    } else {
      const index = this.pushStatement('instruction', intern(name), code, rest, line, pos, end);
      this.instructionReferences(name, code, rest, end, line, index);
    }
  }

  private pushStatement(kind: Statement['kind'], name: string, source: string, operandsStart: number, line: number,
    start: number, end: number): number {
    this.statements.push({
      kind, name, source, operandsStart, line, start, end,
      inMacro: this.macroDepth > 0, inConditional: this.conditionalDepth > 0,
    });
    return this.statements.length - 1;
  }

  private directive(name: string, code: string, operandsStart: number, line: number, start: number, end: number): void {
    const lower = name.toLowerCase();
    const index = this.pushStatement('directive', intern(name), code, operandsStart, line, start, end);
    const operands = splitOperands(code, operandsStart, end);
    const nameSpan: Span = { line, start, end: start + name.length };
    const spec = directiveByName(lower);
    const first = operands[0];
    switch (lower) {
      case '.text': case '.data': case '.bss':
        this.switchSection(lower, nameSpan);
        break;
      case '.section': case '.pushsection':
        if (first) {
          if (lower === '.pushsection') this.sectionStack.push(this.section);
          this.switchSection(first.text.replace(/^"|"$/g, ''), { line, start: first.start, end: first.end });
        }
        break;
      case '.popsection': {
        const back = this.sectionStack.pop();
        if (back !== undefined) this.switchSection(back, nameSpan);
        break;
      }
      case '.previous':
        this.switchSection(this.previousSection, nameSpan);
        break;
      case '.macro': case '.rept': case '.irp': case '.irpc':
        if (lower === '.macro' && first) {
          const macroName = /^[^\s,]+/.exec(first.text)?.[0] ?? first.text;
          this.definitions.push({ name: macroName, kind: 'macro', line, start: first.start, end: first.start + macroName.length });
        }
        this.macroDepth++;
        return;   // a macro's parameter list holds no references
      case '.endm': case '.endr':
        this.macroDepth = Math.max(0, this.macroDepth - 1);
        return;
      case '.endif':
        this.conditionalDepth = Math.max(0, this.conditionalDepth - 1);
        return;
      case '.end':
        this.ended = true;
        return;
      case '.include':
        if (first) this.includes.push({ path: first.text.replace(/^"|"$/g, ''), system: false, line, start: first.start, end: first.end });
        return;
    }
    if (lower.startsWith('.if')) this.conditionalDepth++;
    if (!spec) return;
    switch (spec.operands) {
      case 'symbols':
        for (const operand of operands) {
          if (lower === '.globl' || lower === '.global' || lower === '.weak') this.exported.add(operand.text);
          if (lower === '.globl' || lower === '.global' || lower === '.weak' || lower === '.extern') this.declared.add(operand.text);
          this.operandReferences(code, operand, line, index);
        }
        break;
      case 'first-symbol':
        if (first) {
          this.operandReferences(code, first, line, index);
          if (lower === '.type' && /^[@%]function$|^STT_FUNC$/.test(operands[1]?.text ?? '')) this.functions.add(first.text);
        }
        break;
      case 'equate': case 'common':
        if (first && (CLASS[first.text.charCodeAt(0)] & IDENT_START)) {
          this.definitions.push({
            name: first.text, kind: spec.operands, line, start: first.start, end: first.end,
            value: spec.operands === 'equate' ? operands.slice(1).map((o) => o.text).join(', ') : undefined,
            section: spec.operands === 'common' ? '.bss' : undefined,
          });
        }
        for (const operand of operands.slice(1)) this.operandReferences(code, operand, line, index);
        break;
      case 'expressions':
        for (const operand of operands) this.operandReferences(code, operand, line, index);
        break;
      case 'text':
        break;
    }
  }

  private switchSection(name: string, span: Span): void {
    this.previousSection = this.section;
    this.section = name;
    this.sections.push({ name, line: span.line, start: span.start, end: span.end });
  }

  private instructionReferences(name: string, code: string, from: number, to: number, line: number, index: number): void {
    const mnemonic = lookupMnemonic(name);
    if (mnemonic === undefined || !NAMING_OPERANDS.has(mnemonic.name)) {
      this.references(code, from, to, line, index);
      return;
    }
    const operands = splitOperands(code, from, to);
    for (let i = 0; i < operands.length; i++) {
      const operand = operands[i];
      // A CSR or fence-set operand names no symbol (`csrr a0, mstatus`, `fence rw, rw`), whatever form matches.
      const naming = mnemonic.forms.some((f) => f.length === operands.length && (f[i] === 'csr' || f[i] === 'fence'));
      if (naming && (csrByExactName(operand.text) !== undefined || FENCE_SET.test(operand.text))) continue;
      this.operandReferences(code, operand, line, index);
    }
  }

  private operandReferences(code: string, operand: OperandText, line: number, statement: number): void {
    this.references(code, operand.start, operand.end, line, statement);
  }

  /** Records the symbols and local-label references in `code[from, to)` (registers are not symbols). */
  private references(code: string, from: number, to: number, line: number, statement: number): void {
    const backslash = code.indexOf('\\', from);
    if (backslash >= 0 && backslash < to) return;   // a macro argument: not a symbol of this file
    let i = from;
    while (i < to) {
      const c = code.charCodeAt(i);
      let j = i + 1;
      if ((CLASS[c] & IDENT_START) || c === 37 /* % */) {
        while (j < to && (CLASS[code.charCodeAt(j)] & IDENT_PART)) j++;
        // `.` is the location counter, `%hi` a relocation operator: neither is a symbol.
        if (c !== 37 && j - i > (c === 46 ? 1 : 0)) {
          const word = code.slice(i, j);
          if (!REGISTER_NUMBERS.has(word)) this.symbolReferences.push({ name: word, line, start: i, end: j, statement });
        }
      } else if (CLASS[c] & DIGIT) {
        while (j < to && (CLASS[code.charCodeAt(j)] & IDENT_PART)) j++;
        const last = code.charCodeAt(j - 1);
        if ((last === 98 /* b */ || last === 102 /* f */) && j - i > 1 && allDigits(code, i, j - 1)) {
          this.localReferences.push({ label: code.slice(i, j - 1), direction: last === 98 ? 'b' : 'f', line, start: i, end: j, statement });
        }
      } else if (c === 39 /* ' */) {
        j = i + (code.charCodeAt(i + 1) === 92 ? 3 : 2);
        if (code.charCodeAt(j) === 39) j++;
      } else if (c === 34 /* " */) {
        while (j < to && code.charCodeAt(j) !== 34) j += code.charCodeAt(j) === 92 ? 2 : 1;
        j++;
      }
      i = j;
    }
  }
}

/** The part of a preprocessor line before a `//` or `/*` comment. */
function stripPreprocessorComment(text: string): string {
  const slash = text.search(/\/[/*]/);
  return slash < 0 ? text : text.slice(0, slash);
}

export function parseDocument(text: string): ParsedDocument {
  const parser = new Parser();
  const lines = splitLines(text);
  for (let line = 0; line < lines.length; line++) parser.parseLine(lines[line], line);
  return {
    lineCount: lines.length,
    statements: parser.statements,
    definitions: parser.definitions,
    localLabels: parser.localLabels,
    references: parser.symbolReferences,
    localReferences: parser.localReferences,
    exported: parser.exported,
    declared: parser.declared,
    functions: parser.functions,
    sections: parser.sections,
    includes: parser.includes,
  };
}
