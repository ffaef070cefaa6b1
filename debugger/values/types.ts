/** Names and shapes of DWARF types as the user writes them in C ("struct account *", "int32_t[4]"). */
import { TypeInfo } from '../symbols/api';

/** Typedefs followed: the type that decides how a value is read. */
export function resolved(type: TypeInfo): TypeInfo {
  while (type.kind === 'typedef') type = type.target;
  return type;
}

export function typeName(type: TypeInfo): string {
  switch (type.kind) {
    case 'base': return type.name;
    case 'typedef': return type.name;
    case 'void': return 'void';
    case 'pointer': return type.target ? `${typeName(type.target)} *` : 'void *';
    case 'array': return `${typeName(type.element)}[${type.count ?? ''}]`;
    case 'struct': case 'union': return `${type.kind} ${type.name ?? '(anonymous)'}`;
    case 'enum': return `enum ${type.name ?? '(anonymous)'}`;
    case 'function': return type.name ? `${type.name}()` : 'function';
  }
}

export function sizeOf(type: TypeInfo): number {
  const t = resolved(type);
  switch (t.kind) {
    case 'base': case 'pointer': case 'struct': case 'union': case 'enum': return t.size;
    case 'array': return (t.count ?? 0) * sizeOf(t.element);
    default: return 0;
  }
}

export const INT: TypeInfo = { kind: 'base', name: 'int', size: 4, encoding: 'signed' };
export const UNSIGNED: TypeInfo = { kind: 'base', name: 'unsigned int', size: 4, encoding: 'unsigned' };

/** C's own type names, for casts such as `*(int*)0x80001000`. */
export const BUILTIN_TYPES: Record<string, TypeInfo> = {
  'char': { kind: 'base', name: 'char', size: 1, encoding: 'signedChar' },
  'signed char': { kind: 'base', name: 'signed char', size: 1, encoding: 'signedChar' },
  'unsigned char': { kind: 'base', name: 'unsigned char', size: 1, encoding: 'unsignedChar' },
  'short': { kind: 'base', name: 'short', size: 2, encoding: 'signed' },
  'unsigned short': { kind: 'base', name: 'unsigned short', size: 2, encoding: 'unsigned' },
  'int': INT,
  'signed': INT,
  'unsigned': UNSIGNED,
  'unsigned int': UNSIGNED,
  'long': { kind: 'base', name: 'long', size: 4, encoding: 'signed' },
  'unsigned long': { kind: 'base', name: 'unsigned long', size: 4, encoding: 'unsigned' },
  'long long': { kind: 'base', name: 'long long', size: 8, encoding: 'signed' },
  'unsigned long long': { kind: 'base', name: 'unsigned long long', size: 8, encoding: 'unsigned' },
  'float': { kind: 'base', name: 'float', size: 4, encoding: 'float' },
  'double': { kind: 'base', name: 'double', size: 8, encoding: 'float' },
  '_Bool': { kind: 'base', name: '_Bool', size: 1, encoding: 'boolean' },
  'bool': { kind: 'base', name: '_Bool', size: 1, encoding: 'boolean' },
  'int8_t': { kind: 'base', name: 'int8_t', size: 1, encoding: 'signed' },
  'uint8_t': { kind: 'base', name: 'uint8_t', size: 1, encoding: 'unsigned' },
  'int16_t': { kind: 'base', name: 'int16_t', size: 2, encoding: 'signed' },
  'uint16_t': { kind: 'base', name: 'uint16_t', size: 2, encoding: 'unsigned' },
  'int32_t': { kind: 'base', name: 'int32_t', size: 4, encoding: 'signed' },
  'uint32_t': { kind: 'base', name: 'uint32_t', size: 4, encoding: 'unsigned' },
  'int64_t': { kind: 'base', name: 'int64_t', size: 8, encoding: 'signed' },
  'uint64_t': { kind: 'base', name: 'uint64_t', size: 8, encoding: 'unsigned' },
  'void': { kind: 'void' },
};
