/** The RAM pages that watchpoints cover, for the write and read barriers (see memory/ram.ts). */
import { PAGE_SHIFT, Ram } from '../memory/ram';
import { Watchpoint } from './stop-reason';

/**
 * The pages of the part of each range that lies in RAM. The range is clipped as plain numbers, not
 * 32-bit ones: a range may start below RAM and end inside it, or be 4 GiB or more long (gdb's
 * `Z2,0,90000000`), and it then watches the RAM it covers.
 */
export function pagesWatched(ram: Ram, watchpoints: readonly Watchpoint[]): { written: number[]; read: number[] } {
  const pagesOf = (w: Watchpoint): number[] => {
    const from = Math.max(w.address, ram.base);
    const to = Math.min(w.address + w.length, ram.base + ram.size);
    const pages: number[] = [];
    if (!(from < to)) return pages;
    for (let p = (from - ram.base) >>> PAGE_SHIFT; p <= (to - 1 - ram.base) >>> PAGE_SHIFT; p++) pages.push(p);
    return pages;
  };
  return {
    written: watchpoints.filter((w) => w.access !== 'read').flatMap(pagesOf),
    read: watchpoints.filter((w) => w.access !== 'write').flatMap(pagesOf),
  };
}
