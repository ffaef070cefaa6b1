/**
 * Scopes and variables of one stop: Locals (parameters and locals of the frame), Globals, Registers
 * (x0–x31 by ABI name, and pc), CSRs (decoded into their fields where the table has them) and
 * Peripherals (UART, CLINT, test finisher, register by register and field by field). References are
 * valid until the next stop, as DAP says.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import { Handles } from '@vscode/debugadapter';
import { CSRS } from '../emulator/isa/csrs';
import { CSR_FIELDS } from '../emulator/isa/csr-fields';
import { BitField, decodeFields, fieldsSummary } from '../emulator/isa/bit-fields';
import { causeName } from '../emulator/cpu/traps';
import { peripherals } from '../emulator/devices/peripheral-registers';
import { REGISTERS } from '../emulator/isa/registers';
import { existsSync } from 'node:fs';
import { Frame, VariableInfo } from '../debugger/symbols/api';
import { Debugger } from '../debugger/debugger';
import { registersRead } from '../debugger/last-change';
import { hexAddress } from '../emulator/hex';
import { formatRegisterWord, formatValue, hasChildren, structuredChildren, typeName } from '../debugger/values/format';
import { Value, ValueContext } from '../debugger/values/value';

type Container =
  | { kind: 'locals'; frame: Frame | undefined }
  /** The program's own globals (`library: false`), or the C library's (declared in sources not on this machine). */
  | { kind: 'globals'; library: boolean }
  | { kind: 'registers'; frame: Frame | undefined }
  | { kind: 'csrs' }
  | { kind: 'fields'; fields: readonly BitField[]; word: number; expression?: string }
  | { kind: 'peripherals' }
  | { kind: 'peripheral'; index: number }
  | { kind: 'value'; value: Value; expression: string; frame: Frame | undefined };


export class Variables {
  private handles = new Handles<Container>();

  constructor(private readonly core: Debugger) {}

  /** A new stop: every reference handed out before is stale. */
  reset(): void {
    this.handles = new Handles<Container>();
  }

  scopes(frame: Frame | undefined): DebugProtocol.Scope[] {
    const scopes: DebugProtocol.Scope[] = [];
    if (this.core.symbols) {
      scopes.push({ name: 'Locals', presentationHint: 'locals', variablesReference: this.handles.create({ kind: 'locals', frame }), expensive: false });
      scopes.push({ name: 'Globals', variablesReference: this.handles.create({ kind: 'globals', library: false }), expensive: false });
      // picolibc's globals (stdin, errno, the heap's state) would bury the user's few: a group of their own.
      if (this.core.symbols.globals().some((v) => isLibrary(v))) {
        scopes.push({ name: 'Library', variablesReference: this.handles.create({ kind: 'globals', library: true }), expensive: false });
      }
    }
    scopes.push({ name: 'Registers', presentationHint: 'registers', variablesReference: this.handles.create({ kind: 'registers', frame }), expensive: false });
    scopes.push({ name: 'CSRs', presentationHint: 'registers', variablesReference: this.handles.create({ kind: 'csrs' }), expensive: false });
    scopes.push({ name: 'Peripherals', presentationHint: 'registers', variablesReference: this.handles.create({ kind: 'peripherals' }), expensive: false });
    return scopes;
  }

  /** The container behind a reference (for data breakpoints on a child). */
  container(reference: number): Container | undefined {
    return this.handles.get(reference);
  }

  variables(reference: number): DebugProtocol.Variable[] {
    const c = this.handles.get(reference);
    if (!c) throw new Error(`variables reference ${reference} is no longer valid: the program moved since it was handed out`);
    const symbols = this.core.symbols;
    switch (c.kind) {
      case 'locals': {
        if (!c.frame || !symbols) return [];
        const ctx = this.core.valueContext(c.frame);
        return symbols.localsAt(c.frame).map((v) => this.variable(ctx, v.name, v.name, { type: v.type, location: symbols.locate(v, c.frame, ctx.view) }, c.frame));
      }
      case 'globals': {
        if (!symbols) return [];
        const ctx = this.core.valueContext();
        return symbols.globals().filter((v) => isLibrary(v) === c.library).map((v) => this.variable(ctx, v.name, v.name, { type: v.type, location: symbols.locate(v, undefined, ctx.view) }, undefined));
      }
      case 'registers': {
        const pc = c.frame?.pc ?? this.core.position.view.pc;
        const ctx = this.core.valueContext(c.frame);
        const regs = REGISTERS.map((r) => {
          const value = r.number === 0 ? 0 : c.frame ? c.frame.register(r.number) : this.core.position.view.register(r.number);
          return withLastChange({
            name: r.abi, value: value === undefined ? '<not recoverable in this frame>' : formatRegisterWord(ctx, value),
            evaluateName: `$${r.abi}`, variablesReference: 0, type: `x${r.number}`,
          });
        });
        return [{ name: 'pc', value: hexAddress(pc), evaluateName: '$pc', variablesReference: 0, memoryReference: hexAddress(pc) }, ...regs];
      }
      case 'csrs': {
        const m = this.core.engine.machine;
        // Every CSR in every mode: a debugger sees the machine's registers while it runs in S- or U-mode too.
        return CSRS.map((csr) => {
          const word = m.csr.peek(csr.number) >>> 0;
          const fields = CSR_FIELDS[csr.name];
          const summary = csr.name === 'mcause' || csr.name === 'scause' ? causeName(word) : fields ? fieldsSummary(decodeFields(fields, word)) : '';
          return withLastChange({
            name: csr.name, value: summary ? `${hexAddress(word)} (${summary})` : hexAddress(word), evaluateName: `$${csr.name}`, type: csr.description,
            variablesReference: fields ? this.handles.create({ kind: 'fields', fields, word, expression: `$${csr.name}` }) : 0,
          });
        });
      }
      case 'fields':
        return decodeFields(c.fields, c.word).map((d) => withLastChange({
          name: d.field.name, value: d.text, type: `${d.field.description} (bit${d.field.hi === d.field.lo ? ` ${d.field.lo}` : `s ${d.field.hi}:${d.field.lo}`})`,
          evaluateName: c.expression ? fieldExpression(c.expression, d.field) : undefined, variablesReference: 0,
        }));
      case 'peripherals':
        return peripherals(this.core.engine.machine).map((p, index) => ({
          name: p.name, value: `at ${hexAddress(p.base)}`, type: p.description, variablesReference: this.handles.create({ kind: 'peripheral', index }),
        }));
      case 'peripheral': {
        const p = peripherals(this.core.engine.machine)[c.index];
        return p.registers.map((r) => {
          const hex = `0x${r.value.toString(16).padStart(r.width * 2, '0')}`;
          const summary = r.fields ? fieldsSummary(decodeFields(r.fields, r.value)) : '';
          return {
            name: r.name, value: r.text ?? (summary ? `${hex} (${summary})` : r.width === 8 ? `${hex} (${r.value})` : hex),
            type: `${r.description}, at ${hexAddress(r.address)}`, memoryReference: hexAddress(r.address),
            variablesReference: r.fields ? this.handles.create({ kind: 'fields', fields: r.fields, word: r.value }) : 0,
          };
        });
      }
      case 'value': {
        const ctx = this.core.valueContext(c.frame);
        return structuredChildren(ctx, c.value).map((child) => this.variable(ctx, child.name, child.expression(c.expression), child.value, c.frame));
      }
    }
  }

  /** One value as a DAP variable (also the body of an `evaluate` response). */
  variable(ctx: ValueContext, name: string, expression: string, value: Value, frame: Frame | undefined): DebugProtocol.Variable {
    const structured = hasChildren(ctx, value);
    const address = value.location.kind === 'memory' ? value.location.address : undefined;
    return {
      name,
      value: formatValue(ctx, value),
      type: typeName(value.type),
      evaluateName: expression,
      variablesReference: structured ? this.handles.create({ kind: 'value', value, expression, frame }) : 0,
      memoryReference: address !== undefined ? hexAddress(address) : undefined,
    };
  }
}

/**
 * Registers, CSRs and their fields whose last change can be searched for carry the menu context
 * "register": VS Code then offers "Go to Last Change" on them (package.json, debug/variables/context).
 */
function withLastChange(variable: DebugProtocol.Variable): DebugProtocol.Variable {
  if (!variable.evaluateName) return variable;
  try {
    registersRead(variable.evaluateName);
  } catch {
    return variable;
  }
  return Object.assign(variable, { __vscodeVariableMenuContext: 'register' });
}

/** An expression that reads one field, so that a field can go to Watch: `($mstatus >> 11) & 3`. */
function fieldExpression(register: string, field: BitField): string {
  const width = field.hi - field.lo + 1;
  if (width >= 32) return register;
  const shifted = field.lo ? `(${register} >> ${field.lo})` : register;
  return `${shifted} & 0x${(((1 << width) >>> 0) - 1).toString(16)}`;
}

const declaredOnDisk = new Map<string, boolean>();

/** A global of the C library: declared in a source file that is not on this machine (or nowhere). */
function isLibrary(variable: VariableInfo): boolean {
  const file = variable.declaration?.file;
  if (!file) return true;
  let known = declaredOnDisk.get(file);
  if (known === undefined) declaredOnDisk.set(file, (known = existsSync(file)));
  return !known;
}
