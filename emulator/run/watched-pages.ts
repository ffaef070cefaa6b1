/** The RAM pages that watchpoints cover, for the write and read barriers (see memory/ram.ts). */
import { PAGE_SHIFT, Ram } from '../memory/ram';
import { Watchpoint } from './stop-reason';

export function pagesWatched(ram: Ram, watchpoints: readonly Watchpoint[]): { written: number[]; read: number[] } {
  const pagesOf = (w: Watchpoint): number[] => {
    const pages: number[] = [];
    const first = ram.offsetOf(w.address);
    if (first < 0 && ram.offsetOf(w.address + w.length - 1) < 0) return pages;
    const start = Math.max(0, (w.address - ram.base)) >>> 0;
    const last = Math.min(ram.size - 1, (w.address + w.length - 1 - ram.base) >>> 0);
    for (let p = start >>> PAGE_SHIFT; p <= last >>> PAGE_SHIFT; p++) pages.push(p);
    return pages;
  };
  return {
    written: watchpoints.filter((w) => w.access !== 'read').flatMap(pagesOf),
    read: watchpoints.filter((w) => w.access !== 'write').flatMap(pagesOf),
  };
}
