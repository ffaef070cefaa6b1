/**
 * The problems of one assembly file: unknown instructions, operands that do not fit (count, kind,
 * range), undefined symbols and local labels, labels defined twice.
 *
 * The rule is that code the assembler accepts gets no error. So the checks stand down where they cannot
 * know: inside macro bodies (operands are `\arguments`), in #if/.if branches (the other branch may be
 * the one assembled; an instruction for another target is fine there), on preprocessor-built operands
 * (`NAME(x)`, `a ## b`), and for symbols when an #include could not be read. Undefined symbols are
 * warnings: the linker may still find them in a library.
 */
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { directiveByName } from './directives';
import { closestMnemonic, lookupMnemonic, Mnemonic } from './instruction-set';
import { resolveLocalLabel } from './local-labels';
import { checkOperands, OperandProblem } from './operand-check';
import { operandsOf } from './parser';
import { classifyOperand } from './operands';
import { nameSpan, ParsedDocument, Span, Statement } from './parsed-document';
import type { SymbolEnvironment } from './workspace-index';

export const DIAGNOSTIC_SOURCE = 'riscv-asm';

export type DiagnosticCode = 'unknown-instruction' | 'operands' | 'undefined-symbol' | 'undefined-local-label' | 'duplicate-label';

const range = (span: Span) => ({ start: { line: span.line, character: span.start }, end: { line: span.line, character: span.end } });

function diagnostic(span: Span, severity: DiagnosticSeverity, code: DiagnosticCode, message: string): Diagnostic {
  return { range: range(span), severity, code, source: DIAGNOSTIC_SOURCE, message };
}

/** The mnemonic a statement stands for: its own, or the one a `#define REG_S sw` names; undefined for a macro. */
function mnemonicOf(statement: Statement, env: SymbolEnvironment): Mnemonic | 'macro' | undefined {
  const own = lookupMnemonic(statement.name);
  if (own) return own;
  if (!env.isMacro(statement.name)) return undefined;
  const text = env.constants.defineText(statement.name);
  return (text !== undefined && /^[A-Za-z][\w.]*$/.test(text) ? lookupMnemonic(text) : undefined) ?? 'macro';
}

/** What checking one instruction statement found; the same text always finds the same (memoised). */
interface InstructionCheck {
  readonly problems: readonly OperandProblem[];
  /** An operand is built by the preprocessor or a macro: its symbols are not checked. */
  readonly opaque: boolean;
}

export function documentDiagnostics(parsed: ParsedDocument, env: SymbolEnvironment): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const statements = parsed.statements;
  /** Statements whose symbols the undefined-symbol check reads (1) or skips (0). */
  const symbolChecked = new Uint8Array(statements.length);
  /** Operands already reported (statement index → operand indexes): one message per operand is enough. */
  const reported = new Map<number, Set<number>>();
  // Real code repeats itself (`sw ra, 12(sp)`, `ret`): check each distinct statement text once.
  const checked = new Map<string, InstructionCheck>();
  const context = { isAddress: env.isAddress };

  for (let index = 0; index < statements.length; index++) {
    const statement = statements[index];
    if (statement.kind === 'directive') {
      if (directiveByName(statement.name)?.data && !operandsOf(statement).some((o) => classifyOperand(o.text, env.constants).kind === 'opaque')) {
        symbolChecked[index] = 1;
      }
      continue;
    }
    if (statement.name.includes('\\')) continue;
    const mnemonic = mnemonicOf(statement, env);
    if (mnemonic === 'macro') continue;
    if (mnemonic === undefined) {
      if (statement.inConditional) continue;
      const suggestion = closestMnemonic(statement.name);
      diagnostics.push(diagnostic(nameSpan(statement), DiagnosticSeverity.Error, 'unknown-instruction',
        `unknown instruction '${statement.name}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}: not in the RV32IMAC + Zicsr + Zifencei instruction table`));
      continue;
    }
    const key = statement.source.slice(statement.start, statement.end);
    let result = checked.get(key);
    if (result === undefined) {
      const texts = operandsOf(statement).map((o) => o.text);
      const operands = texts.map((t) => classifyOperand(t, env.constants));
      result = { problems: checkOperands(mnemonic, statement.name, operands, texts, context), opaque: operands.some((o) => o.kind === 'opaque') };
      checked.set(key, result);
    }
    if (!result.opaque) symbolChecked[index] = 1;
    if (result.problems.length === 0) continue;
    const written = operandsOf(statement);
    for (const problem of result.problems) {
      const operand = problem.operand === undefined ? undefined : written[problem.operand];
      if (problem.operand === undefined) symbolChecked[index] = 0;
      else (reported.get(index) ?? reported.set(index, new Set()).get(index)!).add(problem.operand);
      const span = operand && operand.end > operand.start ? { line: statement.line, start: operand.start, end: operand.end } : statement;
      diagnostics.push(diagnostic(span, problem.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, 'operands', problem.message));
    }
  }

  if (env.checkSymbols) {
    for (const ref of parsed.references) {
      const statement = parsed.statements[ref.statement];
      if (symbolChecked[ref.statement] === 0 || statement.inMacro || statement.inConditional) continue;
      if (env.isKnown(ref.name)) continue;
      const problems = reported.get(ref.statement);
      if (problems && problems.has(operandsOf(statement).findIndex((o) => o.start <= ref.start && ref.end <= o.end))) continue;
      diagnostics.push(diagnostic(ref, DiagnosticSeverity.Warning, 'undefined-symbol',
        `undefined symbol '${ref.name}': no label, .equ or .set in the workspace defines it; if it comes from elsewhere, declare it with .extern ${ref.name}`));
    }
  }

  localLabelDiagnostics(parsed, diagnostics);
  duplicateLabelDiagnostics(parsed, diagnostics);
  return diagnostics;
}

/** `1b` needs a `1:` before its statement, `1f` one after it. */
function localLabelDiagnostics(parsed: ParsedDocument, diagnostics: Diagnostic[]): void {
  const positions = new Map<string, Span[]>();
  for (const l of parsed.localLabels) {
    const list = positions.get(l.label);
    if (list) list.push(l); else positions.set(l.label, [l]);
  }
  for (const ref of parsed.localReferences) {
    const statement = parsed.statements[ref.statement];
    if (statement.inMacro) continue;
    if (resolveLocalLabel(positions.get(ref.label) ?? [], ref.direction, statement) !== undefined) continue;
    const where = ref.direction === 'b' ? 'before' : 'after';
    diagnostics.push(diagnostic(ref, DiagnosticSeverity.Error, 'undefined-local-label',
      `no local label '${ref.label}:' ${where} this line for '${ref.label}${ref.direction}' to refer to`));
  }
}

function duplicateLabelDiagnostics(parsed: ParsedDocument, diagnostics: Diagnostic[]): void {
  const first = new Map<string, Span>();
  for (const d of parsed.definitions) {
    if (d.kind !== 'label' || d.conditional) continue;
    const previous = first.get(d.name);
    if (previous) {
      diagnostics.push(diagnostic(d, DiagnosticSeverity.Error, 'duplicate-label',
        `label '${d.name}' is already defined on line ${previous.line + 1}`));
    } else {
      first.set(d.name, d);
    }
  }
}
