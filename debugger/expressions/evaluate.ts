/**
 * C expressions over one frame at the current step, for Watch, hovers, the Debug Console, breakpoint
 * conditions and data breakpoints: variables (locals, then globals), registers (`$a0`, `$pc`, `$sp`,
 * CSRs such as `$mcause`), numbers, casts (`*(int*)0x80001000`, `(struct account *)$a0`), `*`, `&`,
 * `.`, `->`, `[]`, arithmetic, comparisons and `&&`/`||`. History is read-only: no assignment.
 */
import { TypeInfo } from '../symbols/api';
import { registerNumber } from '../../emulator/isa/registers';
import { csrByName } from '../../emulator/isa/csrs';
import { BUILTIN_TYPES, INT, resolved, typeName, UNSIGNED } from '../values/types';
import { immediate, numberOf, Value, ValueContext, ValueError, valueSize } from '../values/value';

const TOKEN = /\s*(0x[0-9a-fA-F]+|\d+|\$?[A-Za-z_][A-Za-z0-9_]*|->|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^~!<>()[\].,=?:])/y;
const UINT32: TypeInfo = { kind: 'base', name: 'uint32_t', size: 4, encoding: 'unsigned' };

export function evaluateExpression(ctx: ValueContext, text: string): Value {
  return new Evaluation(ctx, text).run();
}

/** The address and length an lvalue occupies in memory (for data breakpoints and "last write"). */
export function memoryOf(ctx: ValueContext, value: Value, text: string): { address: number; length: number } {
  if (value.location.kind !== 'memory') {
    throw new ValueError(`${text} is not in memory (it lives in ${value.location.kind === 'register' ? 'a register' : 'no fixed place'}), so no data breakpoint can watch it`);
  }
  return { address: value.location.address >>> 0, length: Math.max(1, valueSize(ctx, value.type)) };
}

class Evaluation {
  private readonly tokens: string[] = [];
  private pos = 0;

  constructor(private readonly ctx: ValueContext, private readonly text: string) {
    TOKEN.lastIndex = 0;
    let m: RegExpExecArray | null;
    let end = 0;
    while ((m = TOKEN.exec(text)) !== null) {
      this.tokens.push(m[1]);
      end = TOKEN.lastIndex;
    }
    if (text.slice(end).trim() !== '') throw new ValueError(`cannot read "${text.slice(end).trim()}" in the expression ${text}`);
  }

  run(): Value {
    if (this.tokens.length === 0) throw new ValueError('the expression is empty');
    const v = this.binary(0);
    if (this.pos < this.tokens.length) {
      const t = this.tokens[this.pos];
      if (t === '=') throw new ValueError('history is read-only: an expression cannot assign a value in a recording');
      throw new ValueError(`unexpected "${t}" in the expression ${this.text}`);
    }
    return v;
  }

  private peek(): string | undefined { return this.tokens[this.pos]; }
  private next(): string {
    const t = this.tokens[this.pos++];
    if (t === undefined) throw new ValueError(`the expression ${this.text} ends too early`);
    return t;
  }
  private expect(t: string): void {
    const got = this.next();
    if (got !== t) throw new ValueError(`expected "${t}" but found "${got}" in ${this.text}`);
  }

  private static readonly PRECEDENCE: Record<string, number> = {
    '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '>': 7, '<=': 7, '>=': 7,
    '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
  };

  private binary(min: number): Value {
    let left = this.unary();
    for (;;) {
      const op = this.peek();
      const p = op !== undefined ? Evaluation.PRECEDENCE[op] : undefined;
      if (p === undefined || p <= min) return left;
      this.pos++;
      const right = this.binary(p);
      left = this.apply(op!, left, right);
    }
  }

  private apply(op: string, left: Value, right: Value): Value {
    const lt = resolved(left.type);
    const rt = resolved(right.type);
    const a = this.scalar(left);
    const b = this.scalar(right);
    // Pointer arithmetic scales by the pointee's size, as in C.
    if ((op === '+' || op === '-') && (lt.kind === 'pointer' || lt.kind === 'array') && rt.kind !== 'pointer') {
      const element = lt.kind === 'pointer' ? lt.target : lt.element;
      const size = element ? Math.max(1, valueSize(this.ctx, element)) : 1;
      const pointer: TypeInfo = lt.kind === 'pointer' ? lt : { kind: 'pointer', size: 4, target: element };
      return immediate(pointer, (op === '+' ? a + b * size : a - b * size) >>> 0);
    }
    const result = ((): number => {
      switch (op) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': case '%': {
          if (b === 0) throw new ValueError(`division by zero in ${this.text}`);
          return op === '/' ? Math.trunc(a / b) : a % b;
        }
        case '<<': return a << b;
        case '>>': return a >> b;
        case '&': return a & b;
        case '|': return a | b;
        case '^': return a ^ b;
        case '==': return Number(a === b);
        case '!=': return Number(a !== b);
        case '<': return Number(a < b);
        case '>': return Number(a > b);
        case '<=': return Number(a <= b);
        case '>=': return Number(a >= b);
        case '&&': return Number(a !== 0 && b !== 0);
        case '||': return Number(a !== 0 || b !== 0);
      }
      throw new ValueError(`unknown operator ${op}`);
    })();
    const isFloat = (t: TypeInfo): boolean => t.kind === 'base' && t.encoding === 'float';
    const type = isFloat(lt) || isFloat(rt) ? BUILTIN_TYPES.double : INT;
    return immediate(type, result);
  }

  private unary(): Value {
    const t = this.peek();
    if (t === '(' && this.startsType(this.pos + 1)) {
      this.pos++;
      const type = this.typeName();
      this.expect(')');
      return this.cast(type, this.unary());
    }
    switch (t) {
      case '*': { this.pos++; return this.dereference(this.unary()); }
      case '&': {
        this.pos++;
        const v = this.unary();
        if (v.location.kind !== 'memory') throw new ValueError(`cannot take the address of a value that is not in memory in ${this.text}`);
        return immediate({ kind: 'pointer', size: 4, target: v.type }, v.location.address);
      }
      case '-': { this.pos++; return immediate(INT, -this.scalar(this.unary())); }
      case '+': { this.pos++; return this.unary(); }
      case '!': { this.pos++; return immediate(INT, Number(this.scalar(this.unary()) === 0)); }
      case '~': { this.pos++; return immediate(INT, ~this.scalar(this.unary())); }
    }
    return this.postfix(this.primary());
  }

  private postfix(v: Value): Value {
    for (;;) {
      const t = this.peek();
      if (t === '.') { this.pos++; v = this.member(v, this.next()); continue; }
      if (t === '->') { this.pos++; v = this.member(this.dereference(v), this.next()); continue; }
      if (t === '[') {
        this.pos++;
        const index = this.scalar(this.binary(0));
        this.expect(']');
        v = this.dereference(this.apply('+', this.decay(v), immediate(INT, index)));
        continue;
      }
      return v;
    }
  }

  private primary(): Value {
    const t = this.next();
    if (t === '(') {
      const v = this.binary(0);
      this.expect(')');
      return v;
    }
    if (/^(0x[0-9a-fA-F]+|\d+)$/.test(t)) {
      const n = Number(t);
      return immediate(n > 0x7fffffff ? UNSIGNED : INT, n);
    }
    if (t.startsWith('$')) return this.register(t.slice(1));
    if (/^[A-Za-z_]/.test(t)) return this.variable(t);
    throw new ValueError(`unexpected "${t}" in the expression ${this.text}`);
  }

  private register(name: string): Value {
    const lower = name.toLowerCase();
    if (lower === 'pc') {
      const pc = this.ctx.frame?.pc ?? this.ctx.view.pc;
      return immediate({ kind: 'pointer', size: 4, target: { kind: 'function' } }, pc);
    }
    const n = registerNumber(lower);
    if (n !== undefined) return { type: lower === 'sp' ? { kind: 'pointer', size: 4, target: { kind: 'void' } } : INT, location: { kind: 'register', register: n } };
    const csr = csrByName(lower);
    if (csr) return immediate(UINT32, this.ctx.machine.csr.read(csr.number, 0, this.ctx.machine.pc) >>> 0);
    throw new ValueError(`there is no register $${name}; registers are $x0..$x31, ABI names such as $a0 and $sp, $pc, and CSRs such as $mstatus`);
  }

  private variable(name: string): Value {
    const { symbols, frame, view } = this.ctx;
    if (!symbols) throw new ValueError(`no debug information is loaded, so "${name}" is unknown; registers ($a0, $pc) and memory (*(int*)0x80001000) still work`);
    const local = frame ? symbols.localsAt(frame).find((v) => v.name === name) : undefined;
    const variable = local ?? symbols.globals().find((v) => v.name === name);
    if (variable) return { type: variable.type, location: symbols.locate(variable, frame, view) };
    const fn = symbols.functionNamed(name);
    if (fn) return immediate({ kind: 'pointer', size: 4, target: { kind: 'function', name } }, fn.low);
    const address = symbols.addressOf(name);
    if (address !== undefined) return { type: INT, location: { kind: 'memory', address } };
    throw new ValueError(`no variable "${name}" is visible here (not a local of this frame, nor a global)`);
  }

  private member(v: Value, name: string): Value {
    const t = resolved(v.type);
    if (t.kind !== 'struct' && t.kind !== 'union') throw new ValueError(`"${name}" is asked of a ${typeName(v.type)}, which has no members`);
    const m = t.members.find((x) => x.name === name);
    if (!m) throw new ValueError(`${typeName(v.type)} has no member "${name}"; it has ${t.members.map((x) => x.name).join(', ')}`);
    const l = v.location;
    if (l.kind === 'memory') return { type: m.type, location: { kind: 'memory', address: (l.address + m.offset) >>> 0 } };
    if (l.kind === 'value') return { type: m.type, location: { kind: 'value', bytes: l.bytes.subarray(m.offset) } };
    return { type: m.type, location: m.offset === 0 ? l : { kind: 'unavailable' } };
  }

  private decay(v: Value): Value {
    const t = resolved(v.type);
    if (t.kind === 'array') {
      if (v.location.kind !== 'memory') throw new ValueError(`cannot index an array that is not in memory in ${this.text}`);
      return immediate({ kind: 'pointer', size: 4, target: t.element }, v.location.address);
    }
    return v;
  }

  private dereference(v: Value): Value {
    const d = this.decay(v);
    const t = resolved(d.type);
    if (t.kind !== 'pointer') throw new ValueError(`cannot dereference a ${typeName(v.type)} in ${this.text}; cast it first, e.g. *(int*)…`);
    if (!t.target || resolved(t.target).kind === 'void') throw new ValueError(`cannot dereference a void pointer in ${this.text}; cast it first, e.g. *(int*)…`);
    const address = this.scalar(d);
    if (address === 0) throw new ValueError(`${this.text} dereferences a NULL pointer`);
    return { type: t.target, location: { kind: 'memory', address: address >>> 0 } };
  }

  private cast(type: TypeInfo, v: Value): Value {
    const t = resolved(type);
    if (t.kind === 'struct' || t.kind === 'union' || t.kind === 'array') throw new ValueError(`cannot cast to ${typeName(type)}; cast to a pointer and dereference it`);
    return immediate(type, this.scalar(this.decay(v)));
  }

  private scalar(v: Value): number {
    const n = numberOf(this.ctx, this.decay(v));
    if (n === undefined) throw new ValueError(`a value in ${this.text} cannot be read at this step (optimized out or not recoverable in this frame)`);
    return n;
  }

  // ---- type names in casts ----

  private startsType(i: number): boolean {
    const t = this.tokens[i];
    if (t === undefined) return false;
    if (t === 'struct' || t === 'union' || t === 'enum' || t === 'const' || t === 'volatile' || t === 'signed' || t === 'unsigned') return true;
    return t in BUILTIN_TYPES || this.namedTypes().has(t);
  }

  private typeName(): TypeInfo {
    const words: string[] = [];
    while (this.peek() !== undefined && /^[A-Za-z_]/.test(this.peek()!)) {
      const w = this.next();
      if (w !== 'const' && w !== 'volatile') words.push(w);
    }
    const name = words.join(' ');
    let type = BUILTIN_TYPES[name] ?? this.namedTypes().get(name);
    if (!type) throw new ValueError(`unknown type "${name}" in ${this.text}`);
    while (this.peek() === '*') {
      this.pos++;
      type = { kind: 'pointer', size: 4, target: type };
    }
    return type;
  }

  private named?: Map<string, TypeInfo>;

  /** Struct, union, enum and typedef names reachable from the globals and this frame's locals. */
  private namedTypes(): Map<string, TypeInfo> {
    if (this.named) return this.named;
    const named = new Map<string, TypeInfo>();
    const seen = new Set<TypeInfo>();
    const visit = (t: TypeInfo | undefined): void => {
      if (!t || seen.has(t)) return;
      seen.add(t);
      switch (t.kind) {
        case 'typedef': named.set(t.name, t); visit(t.target); break;
        case 'struct': case 'union': if (t.name) named.set(`${t.kind} ${t.name}`, t); t.members.forEach((m) => visit(m.type)); break;
        case 'enum': if (t.name) named.set(`enum ${t.name}`, t); break;
        case 'pointer': visit(t.target); break;
        case 'array': visit(t.element); break;
        default: break;
      }
    };
    const { symbols, frame } = this.ctx;
    if (symbols) {
      for (const v of symbols.globals()) visit(v.type);
      if (frame) for (const v of symbols.localsAt(frame)) visit(v.type);
    }
    this.named = named;
    return named;
  }
}
