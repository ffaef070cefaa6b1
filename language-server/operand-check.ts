/**
 * Checks an instruction's operands against the forms the assembler accepts for its mnemonic: count,
 * kind (register, immediate, memory operand, CSR...) and immediate range. A statement is fine when any
 * form fits; otherwise the problem reported is the most telling one: a range problem in a form whose
 * kinds fit, else a kind problem in a form with the right count, else the count.
 */
import { FormOperand, formText, KindInfo, KINDS } from './operand-kinds';
import { csrByExactName, Mnemonic, registerByName } from './instruction-set';
import type { Expression, Operand } from './operands';

export interface OperandProblem {
  /** The operand index, or undefined for the statement as a whole (a wrong count). */
  readonly operand: number | undefined;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

export interface CheckContext {
  /** True when `name` is an address (a label or common symbol), which no immediate can hold. */
  isAddress(name: string): boolean;
}

interface Finding {
  readonly severity: 'error' | 'warning';
  /** `kind`: the operand is not of this form's kind; `value`: it is, but its value does not fit. */
  readonly category: 'kind' | 'value';
  readonly message: string;
}

function describe(operand: Operand, text: string): string {
  switch (operand.kind) {
    case 'register': return `register ${operand.text}`;
    case 'memory': return `memory operand '${text}'`;
    case 'empty': return 'nothing';
    default: return `'${text}'`;
  }
}

/** A value as written, with its value when the text is not plainly that number: `BIG (= 3000)`. */
function showValue(written: string, value: bigint): string {
  const text = written.trim();
  return /^-?\d+$/.test(text) || text === value.toString() ? value.toString() : `${text} (= ${value})`;
}

/** A symbol that is an address, alone in an expression without a relocation operator: not a constant. */
function addressSymbol(expression: Expression, context: CheckContext): string | undefined {
  if (expression.relocation || expression.value !== undefined) return undefined;
  const symbols = expression.tokens.filter((t) => t.t === 'sym' || t.t === 'local');
  if (symbols.length !== 1) return undefined;
  const only = symbols[0];
  if (only.t === 'local') return expression.text.slice(only.start, only.end);
  return context.isAddress(only.name) ? only.name : undefined;
}

function kindFinding(mnemonic: string, info: KindInfo, operand: Operand, text: string, hint = ''): Finding {
  return { severity: 'error', category: 'kind', message: `${mnemonic}: expected ${info.description}, found ${describe(operand, text)}${hint}` };
}

function checkOne(mnemonic: string, kind: FormOperand, operand: Operand, text: string, context: CheckContext): Finding | undefined {
  const info = KINDS[kind];
  if (operand.kind === 'opaque') return undefined;
  if (operand.kind === 'empty') return { severity: 'error', category: 'kind', message: `${mnemonic}: missing operand, expected ${info.description}` };
  switch (info.class) {
    case 'register':
    case 'cregister':
    case 'sp': {
      if (operand.kind !== 'register') {
        const lower = registerByName(text.toLowerCase()) !== undefined;
        return kindFinding(mnemonic, info, operand, text, lower ? ' (register names are lower case)' : '');
      }
      if (info.class === 'cregister' && (operand.number < 8 || operand.number > 15)) return kindFinding(mnemonic, info, operand, text);
      if (info.class === 'sp' && operand.number !== 2) return kindFinding(mnemonic, info, operand, text);
      return undefined;
    }
    case 'immediate':
    case 'target':
    case 'address': {
      if (operand.kind !== 'expression') return kindFinding(mnemonic, info, operand, text);
      const expression = operand.expression;
      if (expression.malformed) return kindFinding(mnemonic, info, operand, text);
      if (info.class === 'address') {
        // `lw a0, sym` loads from a symbol; `lw a0, 4` is not an address the assembler accepts.
        const symbolic = expression.tokens.some((t) => t.t === 'sym' || t.t === 'local' || t.t === 'reloc');
        return symbolic ? undefined : kindFinding(mnemonic, info, operand, text, ' (write offset(register))');
      }
      if (info.class === 'target') return undefined;
      if (expression.value !== undefined) {
        if (info.valid!(expression.value)) return undefined;
        const severity = kind === 'imm32' ? 'warning' : 'error';
        const what = kind === 'imm32' ? `${mnemonic} value ${showValue(text, expression.value)} does not fit in 32 bits; the assembler keeps the low 32 bits`
          : `immediate out of range: ${showValue(text, expression.value)} (${kind} of ${mnemonic} must be ${info.range})`;
        return { severity, category: 'value', message: what };
      }
      const address = addressSymbol(expression, context);
      if (address !== undefined) {
        const advice = kind === 'imm32' ? `use la to load an address` : kind === 'uimm20' ? `write %hi(${address}) or %pcrel_hi(${address})` : `write %lo(${address})`;
        return { severity: 'error', category: 'value', message: `${mnemonic} needs a constant here, but '${address}' is an address: ${advice}` };
      }
      return undefined;
    }
    case 'memory': {
      if (operand.kind !== 'memory') return kindFinding(mnemonic, info, operand, text);
      if (operand.base === undefined) {
        return { severity: 'error', category: 'kind', message: `${mnemonic}: '${operand.baseText}' is not a register; expected ${info.description}` };
      }
      if (kind === 'cmem' && (operand.base < 8 || operand.base > 15)) return kindFinding(mnemonic, info, operand, text);
      if (kind === 'cspmem' && operand.base !== 2) return kindFinding(mnemonic, info, operand, text);
      const offset = operand.offset;
      if (offset === undefined) return undefined;
      if (offset.malformed) return kindFinding(mnemonic, info, operand, text);
      if (offset.value !== undefined) {
        if (info.valid!(offset.value)) return undefined;
        return { severity: 'error', category: 'value', message: `offset out of range: ${showValue(offset.text, offset.value)} (the offset of ${mnemonic} must be ${info.range})` };
      }
      const address = addressSymbol(offset, context);
      if (address !== undefined && kind === 'mem') {
        return { severity: 'error', category: 'value', message: `${mnemonic} needs a constant offset, but '${address}' is an address: write %lo(${address})(${operand.baseText})` };
      }
      return undefined;
    }
    case 'csr': {
      if (operand.kind === 'register') return kindFinding(mnemonic, info, operand, text);
      if (operand.kind !== 'expression' || operand.expression.malformed) return kindFinding(mnemonic, info, operand, text);
      const expression = operand.expression;
      if (expression.value !== undefined) {
        return info.valid!(expression.value) ? undefined
          : { severity: 'error', category: 'value', message: `CSR number out of range: ${showValue(text, expression.value)} (must be in 0..4095)` };
      }
      const only = expression.tokens.length === 1 ? expression.tokens[0] : undefined;
      if (only?.t === 'sym') {
        if (csrByExactName(only.name)) return undefined;
        if (csrByExactName(only.name.toLowerCase())) return kindFinding(mnemonic, info, operand, text, ' (CSR names are lower case)');
        return { severity: 'warning', category: 'value', message: `'${only.name}' is not a CSR that Rewind's machine implements (see emulator/isa/csrs.ts)` };
      }
      return undefined;
    }
    case 'fence':
      return operand.kind === 'expression' && /^[iorw]+$/.test(text) ? undefined : kindFinding(mnemonic, info, operand, text, ' (a set such as iorw or rw)');
  }
}

/** The problems of one instruction statement, empty when it assembles. */
export function checkOperands(mnemonic: Mnemonic, written: string, operands: readonly Operand[], texts: readonly string[],
  context: CheckContext): OperandProblem[] {
  // The common case first, without allocating: the first form fits.
  const canonical = mnemonic.forms[0];
  if (canonical !== undefined && canonical.length === operands.length) {
    let fits = true;
    for (let i = 0; i < canonical.length && fits; i++) fits = checkOne(written, canonical[i], operands[i], texts[i], context) === undefined;
    if (fits) return [];
  }
  const sameCount = mnemonic.forms.filter((form) => form.length === operands.length);
  if (sameCount.length === 0) {
    const counts = [...new Set(mnemonic.forms.map((f) => f.length))].sort((a, b) => a - b);
    const expected = counts.length === 1 ? `${counts[0]} operand${counts[0] === 1 ? '' : 's'}` : `${counts.slice(0, -1).join(', ')} or ${counts[counts.length - 1]} operands`;
    const canonical = mnemonic.forms[0];
    const shape = canonical.length > 0 ? ` (${written} ${formText(canonical)})` : '';
    return [{ operand: undefined, severity: 'error', message: `${written} expects ${expected}${shape}, got ${operands.length}` }];
  }
  let firstValueProblem: OperandProblem[] | undefined;
  let firstKindProblem: OperandProblem[] | undefined;
  for (const form of sameCount) {
    const found = form.flatMap((kind, i) => {
      const finding = checkOne(written, kind, operands[i], texts[i], context);
      return finding ? [{ operand: i, ...finding }] : [];
    });
    const problem = ({ operand, severity, message }: OperandProblem): OperandProblem => ({ operand, severity, message });
    const kindFinding = found.find((f) => f.category === 'kind');
    if (kindFinding) {
      firstKindProblem ??= [problem(kindFinding)];
      continue;
    }
    // This form fits; warnings (an unimplemented CSR) are all there is to say.
    if (found.every((f) => f.severity === 'warning')) return found.map(problem);
    firstValueProblem ??= found.filter((f) => f.severity === 'error').map(problem);
  }
  return firstValueProblem ?? firstKindProblem ?? [];
}
