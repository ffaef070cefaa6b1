/**
 * Registers as named bit fields (CSRs, device registers), as Cortex-Debug shows peripherals: one table
 * per register, so that a register added later (the S-mode CSRs) is a table entry, not code.
 */

export interface BitField {
  readonly name: string;
  /** Bit positions, inclusive (`hi === lo` for a one-bit flag). */
  readonly hi: number;
  readonly lo: number;
  readonly description: string;
  /** Names of the field's values ("M" for MPP = 3). */
  readonly values?: Readonly<Record<number, string>>;
  /** How the value reads: a number (default), an address (the field's bits in place), or extension letters. */
  readonly show?: 'number' | 'address' | 'letters';
}

export interface DecodedField {
  readonly field: BitField;
  /** The field's bits, shifted down. */
  readonly value: number;
  /** "3 (M)", "0x80000164", "ACIMSU". */
  readonly text: string;
}

export function fieldValue(field: BitField, word: number): number {
  const width = field.hi - field.lo + 1;
  return width >= 32 ? word >>> 0 : (word >>> field.lo) & ((1 << width) >>> 0) - 1;
}

export function decodeFields(fields: readonly BitField[], word: number): DecodedField[] {
  return fields.map((field) => {
    const value = fieldValue(field, word);
    let text: string;
    if (field.show === 'address') text = `0x${((value << field.lo) >>> 0).toString(16).padStart(8, '0')}`;
    else if (field.show === 'letters') text = [...Array(26).keys()].filter((i) => value & (1 << i)).map((i) => String.fromCharCode(65 + i)).join('') || 'none';
    else text = field.values?.[value] !== undefined ? `${value} (${field.values[value]})` : field.hi - field.lo >= 8 ? `0x${value.toString(16)}` : String(value);
    return { field, value, text };
  });
}

/** One line for the value column: the fields that are set, e.g. "MPP=M MPIE=1 MIE=0". */
export function fieldsSummary(decoded: readonly DecodedField[]): string {
  return decoded
    .filter((d) => d.value !== 0 || d.field.hi !== d.field.lo || d.field.values)
    .map((d) => `${d.field.name}=${d.field.values?.[d.value] ?? (d.field.show ? d.text : d.value)}`)
    .join(' ');
}
