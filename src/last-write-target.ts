/** Reading what Go to Last Write should look for, as typed in the palette. Pure, so it is tested without VS Code. */
import { LastWriteArguments } from '../adapter/custom-requests';

/** `0x80200010 4`, `0x80200010:4`, `2149580816` (4 bytes) or a C expression naming a variable. */
export function parseLastWriteTarget(text: string): LastWriteArguments | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const address = /^(0x[0-9a-f]+|\d+)(?:\s*[:\s]\s*(\d+))?$/i.exec(trimmed);
  if (address) {
    const length = address[2] === undefined ? 4 : Number(address[2]);
    return length > 0 ? { address: address[1], length } : undefined;
  }
  return /^[A-Za-z_*&(]/.test(trimmed) ? { variable: trimmed } : undefined;
}
