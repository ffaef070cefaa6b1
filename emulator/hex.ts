/** Hexadecimal text for addresses and words, written once for every layer: `0x80001000`. */

/** An address or 32-bit word as `0x` and eight digits (`0x0000002a`). */
export function hexAddress(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
}

/** A number as `0x` and as few digits as it needs (`0x2a`). */
export function hexNumber(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}
