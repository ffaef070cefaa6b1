/** Hex text as the remote protocol writes numbers, register values and memory. */

/** A 32-bit value as 8 hex digits, least significant byte first (RISC-V is little-endian). */
export function le32Hex(value: number): string {
  const v = value >>> 0;
  let out = '';
  for (let i = 0; i < 4; i++) out += ((v >>> (8 * i)) & 0xff).toString(16).padStart(2, '0');
  return out;
}

export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

export function textToHex(text: string): string {
  return Buffer.from(text, 'utf8').toString('hex');
}

/** Hex text to a string; undefined if it is not hex. */
export function hexToText(hex: string): string | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined;
  return Buffer.from(hex, 'hex').toString('utf8');
}

/** A protocol number (hex, no prefix); undefined unless the whole text is one. */
export function parseHexNumber(text: string | undefined): number | undefined {
  if (text === undefined || !/^[0-9a-fA-F]{1,8}$/.test(text)) return undefined;
  return parseInt(text, 16);
}
