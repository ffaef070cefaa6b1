/**
 * DWARF type DIEs as `TypeInfo`: base, pointer, array (bounds from DW_TAG_subrange_type), struct and
 * union (members with offsets and bit fields), enum, typedef, function types; const, volatile, restrict
 * and atomic qualifiers are dropped. Types are cached by DIE, and a struct is cached before its members
 * are read, so self-referential types (a list node pointing at its own kind) become cyclic object graphs
 * rather than endless recursion. Consumers walking a TypeInfo must therefore not recurse through pointer
 * targets without a limit (or JSON.stringify one).
 */
import { At, Encoding, Tag } from './dwarf-constants';
import { Die } from './debug-info';
import { DieAttributes } from './die-attributes';
import { MemberInfo, TypeInfo } from './api';

const VOID: TypeInfo = { kind: 'void' };

export class TypeReader {
  private readonly cache = new Map<number, TypeInfo>();

  constructor(private readonly attrs: DieAttributes) {}

  /** The type a DIE names with DW_AT_type (void when it names none). */
  typeOf(die: Die): TypeInfo {
    const target = this.attrs.type(die);
    return target ? this.read(target, 0) : VOID;
  }

  read(die: Die, depth: number): TypeInfo {
    const cached = this.cache.get(die.offset);
    if (cached) return cached;
    // Qualifier chains are short; a chain this deep is a loop in malformed data.
    if (depth > 64) return VOID;
    const attrs = this.attrs;
    const name = attrs.name(die);
    const size = attrs.number(die, At.byte_size) ?? 0;
    const target = (): TypeInfo => {
      const t = attrs.type(die);
      return t ? this.read(t, depth + 1) : VOID;
    };
    switch (die.tag) {
      case Tag.base_type: {
        const t: TypeInfo = { kind: 'base', name: name ?? '?', size, encoding: encodingOf(attrs.number(die, At.encoding)) };
        this.cache.set(die.offset, t);
        return t;
      }
      case Tag.pointer_type: {
        const t: TypeInfo & { kind: 'pointer' } = { kind: 'pointer', size: size || die.unit.addressSize };
        this.cache.set(die.offset, t);
        const pointee = attrs.type(die);
        if (pointee) {
          const resolved = this.read(pointee, depth + 1);
          if (resolved.kind !== 'void') t.target = resolved;
        }
        return t;
      }
      case Tag.const_type: case Tag.volatile_type: case Tag.restrict_type: case Tag.atomic_type:
        return target();
      case Tag.typedef: {
        const t: TypeInfo & { kind: 'typedef' } = { kind: 'typedef', name: name ?? '?', target: VOID };
        this.cache.set(die.offset, t);
        t.target = target();
        return t;
      }
      case Tag.structure_type: case Tag.union_type: {
        const kind = die.tag === Tag.structure_type ? 'struct' : 'union';
        const t: TypeInfo & { kind: 'struct' | 'union' } = { kind, size, members: [] };
        if (name !== undefined) t.name = name;
        this.cache.set(die.offset, t);
        for (const child of die.children) if (child.tag === Tag.member) t.members.push(this.member(child, depth));
        return t;
      }
      case Tag.enumeration_type: {
        const t: TypeInfo = { kind: 'enum', size, enumerators: [] };
        if (name !== undefined) t.name = name;
        this.cache.set(die.offset, t);
        const underlying = attrs.type(die);
        const signed = underlying ? isSigned(this.read(underlying, depth + 1)) : false;
        for (const child of die.children) {
          if (child.tag !== Tag.enumerator) continue;
          const v = child.attributes.get(At.const_value);
          let value = v?.kind === 'constant' ? v.value : 0;
          if (v?.kind === 'constant' && !v.signed && signed && v.size > 0 && v.size < 8) {
            const bits = v.size * 8;
            if (value >= 2 ** (bits - 1)) value -= 2 ** bits;
          }
          t.enumerators.push({ name: attrs.name(child) ?? '?', value });
        }
        return t;
      }
      case Tag.array_type: {
        const element = target();
        const bounds = die.children.filter((c) => c.tag === Tag.subrange_type).map((c) => this.count(c));
        // int a[2][3] is an array of 2 arrays of 3: build from the innermost dimension out.
        let t: TypeInfo = element;
        for (let i = bounds.length - 1; i >= 0; i--) {
          const a: TypeInfo & { kind: 'array' } = { kind: 'array', element: t };
          if (bounds[i] !== undefined) a.count = bounds[i];
          t = a;
        }
        if (bounds.length === 0) t = { kind: 'array', element };
        this.cache.set(die.offset, t);
        return t;
      }
      case Tag.subroutine_type: {
        const t: TypeInfo = name !== undefined ? { kind: 'function', name } : { kind: 'function' };
        this.cache.set(die.offset, t);
        return t;
      }
      default:
        return name !== undefined ? { kind: 'typedef', name, target: VOID } : VOID;
    }
  }

  private member(die: Die, depth: number): MemberInfo {
    const attrs = this.attrs;
    const loc = die.attributes.get(At.data_member_location);
    let offset = 0;
    if (loc?.kind === 'constant') offset = loc.value;
    else if (loc?.kind === 'block') offset = plusUconst(loc.bytes);
    const t = attrs.type(die);
    const m: MemberInfo = { name: attrs.name(die) ?? '', offset, type: t ? this.read(t, depth + 1) : VOID };
    const bitSize = attrs.number(die, At.bit_size);
    if (bitSize !== undefined) {
      m.bitSize = bitSize;
      const dataBitOffset = attrs.number(die, At.data_bit_offset);
      if (dataBitOffset !== undefined) {
        // DWARF 4+: bits from the start of the struct; we report the byte of storage and the bit within it.
        m.offset = Math.floor(dataBitOffset / 8) & ~((this.sizeOf(m.type) || 1) - 1);
        m.bitOffset = dataBitOffset - m.offset * 8;
      } else {
        // DWARF 2/3 (big-endian view): DW_AT_bit_offset counts from the most significant bit of the storage.
        const storage = (attrs.number(die, At.byte_size) ?? this.sizeOf(m.type)) * 8;
        const bitOffset = attrs.number(die, At.bit_offset) ?? 0;
        m.bitOffset = storage - bitOffset - bitSize;
      }
    }
    return m;
  }

  /** Elements of one array dimension: DW_AT_count, or DW_AT_upper_bound + 1 (lower bound 0 in C). */
  private count(subrange: Die): number | undefined {
    const count = this.attrs.number(subrange, At.count);
    if (count !== undefined) return count;
    const upper = subrange.attributes.get(At.upper_bound);
    if (upper?.kind !== 'constant') return undefined;
    // GCC writes an upper bound of -1 (0xffffffff in data4) for a zero-length array.
    const value = !upper.signed && upper.size >= 4 && upper.value === 2 ** (upper.size * 8) - 1 ? -1 : upper.value;
    return value + 1;
  }

  sizeOf(type: TypeInfo, depth = 0): number {
    if (depth > 64) return 0;
    switch (type.kind) {
      case 'base': case 'pointer': case 'struct': case 'union': case 'enum': return type.size;
      case 'typedef': return this.sizeOf(type.target, depth + 1);
      case 'array': return (type.count ?? 0) * this.sizeOf(type.element, depth + 1);
      default: return 0;
    }
  }
}

function encodingOf(encoding: number | undefined): 'signed' | 'unsigned' | 'signedChar' | 'unsignedChar' | 'boolean' | 'float' {
  switch (encoding) {
    case Encoding.signed: return 'signed';
    case Encoding.signed_char: return 'signedChar';
    case Encoding.unsigned_char: return 'unsignedChar';
    case Encoding.boolean: return 'boolean';
    case Encoding.float: return 'float';
    default: return 'unsigned';
  }
}

function isSigned(t: TypeInfo): boolean {
  if (t.kind === 'typedef') return isSigned(t.target);
  return t.kind === 'base' && (t.encoding === 'signed' || t.encoding === 'signedChar');
}

/** A DWARF 2 member location: DW_OP_plus_uconst n (the only form GCC ever wrote for C). */
function plusUconst(bytes: Uint8Array): number {
  if (bytes[0] !== 0x23) return 0;
  let result = 0;
  let scale = 1;
  for (let i = 1; i < bytes.length; i++) {
    result += (bytes[i] & 0x7f) * scale;
    if ((bytes[i] & 0x80) === 0) break;
    scale *= 128;
  }
  return result;
}
