/**
 * C expressions over one frame at the current step, as gdb evaluates them, for Watch, hovers, the Debug
 * Console, breakpoint conditions and data breakpoints: variables (locals, then globals), registers
 * (`$a0` or `a0`, `$pc`, `$sp`, CSRs such as `$mcause` or `mcause`), numbers in any base, character
 * literals, casts to C and program types (`(struct account *)$a0`), `sizeof`, `*`, `&`, `.`, `->`, `[]`,
 * arithmetic with C's conversions and pointer scaling, comparisons, `&&`/`||`, `?:`, and gdb's `x@n`
 * and `{type} addr`. What cannot be done is refused with a sentence that starts "unsupported:" (or says
 * that history is read-only).
 */
import { TypeInfo } from '../symbols/api';
import { registerNumber } from '../../emulator/isa/registers';
import { csrByName } from '../../emulator/isa/csrs';
import { INT, resolved, typeName, UNSIGNED } from '../values/types';
import { immediate, numberOf, Value, ValueContext, ValueError, valueSize } from '../values/value';
import { applyBinary, converted } from './arithmetic';
import { charLiteral, isCharToken, isNumberToken, isStringToken, numberLiteral, tokenize } from './literals';
import { ProgramTypes } from './type-names';

const UINT32: TypeInfo = { kind: 'base', name: 'uint32_t', size: 4, encoding: 'unsigned' };
const ASSIGNMENTS = new Set(['=', '++', '--', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=']);

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

// Binding strength of binary operators, as in gdb's C grammar (`@` between shifts and + -).
const PRECEDENCE: Record<string, number> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '>': 7, '<=': 7, '>=': 7,
  '<<': 8, '>>': 8, '@': 9, '+': 10, '-': 10, '*': 11, '/': 11, '%': 11,
};

class Evaluation {
  private readonly tokens: string[];
  private pos = 0;
  private readonly types: ProgramTypes;

  constructor(private readonly ctx: ValueContext, private readonly text: string) {
    this.tokens = tokenize(text);
    this.types = new ProgramTypes(ctx, text);
  }

  run(): Value {
    if (this.tokens.length === 0) throw new ValueError('the expression is empty');
    const v = this.conditional();
    if (this.pos < this.tokens.length) {
      const t = this.tokens[this.pos];
      if (ASSIGNMENTS.has(t)) throw new ValueError('history is read-only: an expression cannot assign a value in a recording');
      if (t === ',') throw new ValueError(`unsupported: the comma operator in ${this.text}; evaluate each part on its own`);
      throw new ValueError(`unexpected "${t}" in the expression ${this.text}`);
    }
    return v;
  }

  private peek(offset = 0): string | undefined { return this.tokens[this.pos + offset]; }
  private next(): string {
    const t = this.tokens[this.pos++];
    if (t === undefined) throw new ValueError(`the expression ${this.text} ends too early`);
    return t;
  }
  private expect(t: string): void {
    const got = this.next();
    if (got !== t) throw new ValueError(`expected "${t}" but found "${got}" in ${this.text}`);
  }

  private conditional(): Value {
    const condition = this.binary(0);
    if (this.peek() !== '?') return condition;
    this.pos++;
    const yes = this.conditional();
    this.expect(':');
    const no = this.conditional();
    return this.scalar(condition) !== 0 ? yes : no;
  }

  private binary(min: number): Value {
    let left = this.unary();
    for (;;) {
      const op = this.peek();
      const p = op !== undefined ? PRECEDENCE[op] : undefined;
      if (p === undefined || p <= min) return left;
      this.pos++;
      const right = this.binary(p);
      left = op === '@' ? this.artificialArray(left, right) : applyBinary(op!, this.decay(left), this.decay(right), (v) => this.scalar(v), (t) => this.elementSize(t), this.text);
    }
  }

  /** gdb's `first@count`: `count` objects like `first`, one after the other in memory. */
  private artificialArray(first: Value, count: Value): Value {
    const n = this.scalar(count);
    if (first.location.kind !== 'memory') throw new ValueError(`the left side of @ must be in memory in ${this.text}`);
    if (!Number.isInteger(n) || n < 1 || n > 10000) throw new ValueError(`the right side of @ must be a count from 1 to 10000 in ${this.text}`);
    return { type: { kind: 'array', element: first.type, count: n }, location: first.location };
  }

  private elementSize(type: TypeInfo | undefined): number {
    // gdb, like GNU C, counts void * arithmetic in bytes.
    if (!type || resolved(type).kind === 'void' || resolved(type).kind === 'function') return 1;
    return Math.max(1, valueSize(this.ctx, type));
  }

  private unary(): Value {
    const t = this.peek();
    if (t === '(' && this.types.startsType(this.peek(1))) {
      this.pos++;
      const type = this.typeName();
      this.expect(')');
      return this.cast(type, this.unary());
    }
    if (t === '{' && this.types.startsType(this.peek(1))) {
      // gdb's {type} address: the object of that type at that address.
      this.pos++;
      const type = this.typeName();
      this.expect('}');
      const address = this.scalar(this.decay(this.unary()));
      return { type, location: { kind: 'memory', address: address >>> 0 } };
    }
    if (t === 'sizeof') {
      this.pos++;
      let type: TypeInfo;
      if (this.peek() === '(' && this.types.startsType(this.peek(1))) {
        this.pos++;
        type = this.typeName();
        this.expect(')');
      } else {
        type = this.unary().type;
      }
      return immediate(UNSIGNED, valueSize(this.ctx, type));
    }
    if (t !== undefined && ASSIGNMENTS.has(t)) throw new ValueError('history is read-only: an expression cannot assign a value in a recording');
    switch (t) {
      case '*': { this.pos++; return this.dereference(this.unary()); }
      case '&': {
        this.pos++;
        const v = this.unary();
        // A function's name already stands for its address (&main is main).
        const t = resolved(v.type);
        if (t.kind === 'pointer' && t.target?.kind === 'function' && v.location.kind === 'value') return v;
        if (v.location.kind !== 'memory') throw new ValueError(`cannot take the address of a value that is not in memory in ${this.text}`);
        return immediate({ kind: 'pointer', size: 4, target: v.type }, v.location.address);
      }
      case '-': case '~': case '!': {
        this.pos++;
        const v = this.decay(this.unary());
        const type = resolved(v.type).kind === 'base' && (resolved(v.type) as { size: number }).size >= 4 ? v.type : INT;
        const n = this.scalar(v);
        if (t === '!') return immediate(INT, Number(n === 0));
        if (t === '~' && resolved(type).kind === 'base' && (resolved(type) as { encoding: string }).encoding === 'float') throw new ValueError(`~ needs an integer in ${this.text}`);
        return immediate(type, converted(type, t === '-' ? -n : ~n));
      }
      case '+': { this.pos++; return this.unary(); }
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
        const index = this.binary(0);
        this.expect(']');
        v = this.dereference(applyBinary('+', this.decay(v), index, (x) => this.scalar(x), (x) => this.elementSize(x), this.text));
        continue;
      }
      if (t === '(') throw new ValueError(`unsupported: calling a function in ${this.text}; a recording only replays what the program did, it cannot run new code`);
      if (t === '++' || t === '--') throw new ValueError('history is read-only: an expression cannot assign a value in a recording');
      return v;
    }
  }

  private primary(): Value {
    const t = this.next();
    if (t === '(') {
      const v = this.conditional();
      if (this.peek() === ',') throw new ValueError(`unsupported: the comma operator in ${this.text}; evaluate each part on its own`);
      this.expect(')');
      return v;
    }
    if (isNumberToken(t)) return numberLiteral(t);
    if (isCharToken(t)) return charLiteral(t);
    if (isStringToken(t)) throw new ValueError(`unsupported: string literals in ${this.text}; a recording has no memory to put new strings in (compare characters instead, e.g. name[0] == 'a')`);
    if (t.startsWith('$')) return this.register(t.slice(1));
    if (/^[A-Za-z_]/.test(t)) return this.variable(t);
    throw new ValueError(`unexpected "${t}" in the expression ${this.text}`);
  }

  private isRegisterName(name: string): boolean {
    const lower = name.toLowerCase();
    return lower === 'pc' || registerNumber(lower) !== undefined || csrByName(lower) !== undefined;
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
    if (csr) return immediate(UINT32, this.ctx.machine.csr.peek(csr.number) >>> 0);
    throw new ValueError(`there is no register $${name}; registers are $x0..$x31, ABI names such as $a0 and $sp, $pc, and CSRs such as $mstatus`);
  }

  private variable(name: string): Value {
    const { symbols, frame, view } = this.ctx;
    if (!symbols) {
      if (this.isRegisterName(name)) return this.register(name);
      throw new ValueError(`no debug information is loaded, so "${name}" is unknown; registers ($a0, $pc) and memory (*(int*)0x80001000) still work`);
    }
    const local = frame ? symbols.localsAt(frame).find((v) => v.name === name) : undefined;
    const variable = local ?? symbols.globals().find((v) => v.name === name);
    if (variable) return { type: variable.type, location: symbols.locate(variable, frame, view) };
    const fn = symbols.functionNamed(name);
    if (fn) return immediate({ kind: 'pointer', size: 4, target: { kind: 'function', name } }, fn.low);
    const address = symbols.addressOf(name);
    if (address !== undefined) return { type: INT, location: { kind: 'memory', address } };
    // Like gdb without the $, for convenience: a name no variable has may be a register or a CSR.
    if (this.isRegisterName(name)) return this.register(name);
    throw new ValueError(`no variable "${name}" is visible here (not a local of this frame, a global, a register or a CSR)`);
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

  /** Arrays become pointers to their first element, as in C. */
  private decay(v: Value): Value {
    const t = resolved(v.type);
    if (t.kind === 'array') {
      if (v.location.kind !== 'memory') throw new ValueError(`cannot use an array that is not in memory in ${this.text}`);
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
    if (t.kind === 'struct' || t.kind === 'union' || t.kind === 'array') throw new ValueError(`unsupported: casting to ${typeName(type)}; cast to a pointer and dereference it, e.g. *(${typeName(type)} *)&x`);
    if (t.kind === 'void') return immediate(type, 0);
    return immediate(type, converted(t.kind === 'pointer' ? UNSIGNED : type, this.scalar(this.decay(v))));
  }

  private scalar(v: Value): number {
    const n = numberOf(this.ctx, this.decay(v));
    if (n === undefined) throw new ValueError(`a value in ${this.text} cannot be read at this step (optimized out or not recoverable in this frame)`);
    return n;
  }

  private typeName(): TypeInfo {
    const { type, used } = this.types.parse(this.tokens, this.pos);
    this.pos += used;
    return type;
  }
}
