/**
 * C's binary operators on RV32 as gdb evaluates them: the usual arithmetic conversions (int, unsigned
 * int, long long, double), pointer ± integer scaled by the pointee's size, pointer − pointer in
 * elements, comparisons of pointers as addresses.
 */
import { TypeInfo } from '../symbols/api';
import { BUILTIN_TYPES, INT, resolved, typeName, UNSIGNED } from '../values/types';
import { immediate, Value, ValueError } from '../values/value';

export type Scalar = (v: Value) => number;
export type ElementSize = (type: TypeInfo | undefined) => number;

const isPointer = (t: TypeInfo): boolean => t.kind === 'pointer';
const isFloat = (t: TypeInfo): boolean => t.kind === 'base' && t.encoding === 'float';
const isUnsigned = (t: TypeInfo): boolean => t.kind === 'pointer' || (t.kind === 'base' && (t.encoding === 'unsigned' || t.encoding === 'boolean'));
const size = (t: TypeInfo): number => (t.kind === 'base' || t.kind === 'enum' || t.kind === 'pointer' ? t.size : 4);

/** The type both operands are converted to before an arithmetic operator (C11 6.3.1.8, for ILP32). */
export function commonType(a: TypeInfo, b: TypeInfo): TypeInfo {
  const l = resolved(a);
  const r = resolved(b);
  if (isFloat(l) || isFloat(r)) return BUILTIN_TYPES.double;
  if (size(l) === 8 || size(r) === 8) {
    const unsigned = (size(l) === 8 && isUnsigned(l)) || (size(r) === 8 && isUnsigned(r));
    return BUILTIN_TYPES[unsigned ? 'unsigned long long' : 'long long'];
  }
  // Types narrower than int are promoted to int first; what is left is int or unsigned int.
  if ((size(l) === 4 && isUnsigned(l)) || (size(r) === 4 && isUnsigned(r))) return UNSIGNED;
  return INT;
}

/** A number converted to `type` (wrapped to its width and signedness). */
export function converted(type: TypeInfo, n: number): number {
  const t = resolved(type);
  if (isFloat(t)) return n;
  const bits = size(t) * 8;
  const big = BigInt(Math.trunc(n));
  return Number(isUnsigned(t) ? BigInt.asUintN(bits, big) : BigInt.asIntN(bits, big));
}

/** One binary operator applied; `text` is the whole expression, for error messages. */
export function applyBinary(op: string, left: Value, right: Value, scalar: Scalar, elementSize: ElementSize, text: string): Value {
  const lt = resolved(left.type);
  const rt = resolved(right.type);
  const a = scalar(left);
  const b = scalar(right);
  if (op === '+' || op === '-') {
    if (isPointer(lt) && isPointer(rt)) {
      if (op === '+') throw new ValueError(`cannot add two pointers in ${text}; subtract them to count the elements between them`);
      const step = elementSize(lt.kind === 'pointer' ? lt.target : undefined);
      const other = elementSize(rt.kind === 'pointer' ? rt.target : undefined);
      if (step !== other) throw new ValueError(`cannot subtract a ${typeName(right.type)} from a ${typeName(left.type)} in ${text}: they point to things of different sizes`);
      // ptrdiff_t: the number of elements between the two, signed.
      return immediate(INT, Math.trunc((a - b) / step));
    }
    if (isPointer(lt) && !isPointer(rt)) return immediate(left.type, (op === '+' ? a + b * elementSize(targetOf(lt)) : a - b * elementSize(targetOf(lt))) >>> 0);
    if (isPointer(rt) && op === '+') return immediate(right.type, (b + a * elementSize(targetOf(rt))) >>> 0);
    if (isPointer(rt)) throw new ValueError(`cannot subtract a pointer from a number in ${text}`);
  }
  if (['==', '!=', '<', '>', '<=', '>=', '&&', '||'].includes(op)) {
    const type = commonType(lt, rt);
    const x = converted(type, a);
    const y = converted(type, b);
    return immediate(INT, Number(compare(op, x, y)));
  }
  if (isFloat(lt) || isFloat(rt)) {
    if (!['+', '-', '*', '/'].includes(op)) throw new ValueError(`the operator ${op} needs integers, not floating-point values, in ${text}`);
  }
  const type = commonType(lt, rt);
  return immediate(type, compute(op, type, converted(type, a), converted(type, b), text));
}

const targetOf = (t: TypeInfo): TypeInfo | undefined => (t.kind === 'pointer' ? t.target : undefined);

function compare(op: string, x: number, y: number): boolean {
  switch (op) {
    case '==': return x === y;
    case '!=': return x !== y;
    case '<': return x < y;
    case '>': return x > y;
    case '<=': return x <= y;
    case '>=': return x >= y;
    case '&&': return x !== 0 && y !== 0;
    default: return x !== 0 || y !== 0;
  }
}

function compute(op: string, type: TypeInfo, x: number, y: number, text: string): number {
  const t = resolved(type);
  if (isFloat(t)) {
    if (op === '/' && y === 0) throw new ValueError(`division by zero in ${text}`);
    return op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : x / y;
  }
  const bits = size(t) * 8;
  const unsigned = isUnsigned(t);
  const wrap = (n: bigint): number => Number(unsigned ? BigInt.asUintN(bits, n) : BigInt.asIntN(bits, n));
  const X = BigInt(x);
  const Y = BigInt(y);
  switch (op) {
    case '+': return wrap(X + Y);
    case '-': return wrap(X - Y);
    case '*': return wrap(X * Y);
    case '/': case '%':
      if (Y === 0n) throw new ValueError(`division by zero in ${text}`);
      return wrap(op === '/' ? X / Y : X % Y);
    case '<<': return wrap(X << (Y & BigInt(bits - 1)));
    case '>>': return wrap(X >> (Y & BigInt(bits - 1)));
    case '&': return wrap(X & Y);
    case '|': return wrap(X | Y);
    case '^': return wrap(X ^ Y);
  }
  throw new ValueError(`unknown operator ${op} in ${text}`);
}
