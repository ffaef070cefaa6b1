/**
 * Memory accesses under Sv32 paging that a single translation cannot serve: a misaligned load or store
 * that crosses a page (each page may map anywhere), and a debugger's read of a virtual range.
 */
import { Bus } from './bus';

/**
 * Translates both pages of an access across a page, the first first, so that a page fault's mtval is
 * the part of the access that faults (the privileged spec; QEMU too): the access's own address if its
 * first page faults, else the first byte of the second page.
 */
function translateBoth(physical: (va: number) => number, address: number, size: number): void {
  physical(address);
  physical(((address + size - 1) & ~0xfff) >>> 0);
}

/** A load of `size` bytes that crosses a page, byte by byte through each page's translation. */
export function loadAcrossPages(bus: Bus, physical: (va: number) => number, address: number, size: 1 | 2 | 4, signed: boolean, pc: number): number {
  translateBoth(physical, address, size);
  let value = 0;
  for (let i = size - 1; i >= 0; i--) {
    value = (value << 8) | bus.load(physical((address + i) >>> 0), 1, false, pc);
  }
  if (size === 4) return value | 0;
  const shift = size === 1 ? 24 : 16;
  return signed ? (value << shift) >> shift : (value << shift) >>> shift;
}

/** A store that crosses a page: both pages must be writable before any byte is written. */
export function storeAcrossPages(bus: Bus, physical: (va: number) => number, address: number, size: 1 | 2 | 4, value: number, pc: number): void {
  translateBoth(physical, address, size);
  for (let i = 0; i < size; i++) bus.store(physical((address + i) >>> 0), 1, value >>> (8 * i), pc);
}

/**
 * Reads `length` bytes at virtual `address` without side effects; `lookup` gives a page's physical
 * address or -1 when unmapped (unmapped bytes read as zero).
 */
export function peekVirtual(bus: Bus, lookup: (va: number) => number, address: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length;) {
    const va = (address + i) >>> 0;
    const inPage = Math.min(length - i, 4096 - (va & 0xfff));
    const physical = lookup(va);
    if (physical >= 0) out.set(bus.peek(physical, inPage), i);
    i += inPage;
  }
  return out;
}
