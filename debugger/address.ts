/** Addresses as DAP clients send them (memory and instruction references, data breakpoint names). */

/** Parses "0x80001000" or a decimal number; anything else is an error the user can act on. */
export function parseAddress(text: string): number {
  const n = Number(text.trim());
  if (!Number.isFinite(n)) throw new Error(`"${text}" is not an address; write it as 0x80001000 or in decimal`);
  return n;
}
