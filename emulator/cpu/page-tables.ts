/**
 * The code cache's tables by RAM page (blocks by start, their encoded words, every block of a page) are
 * as long as the highest page that has code, not one slot per page of RAM: three tables of 65,536 slots
 * (256 MiB of RAM) were 1.5 MiB that every command wrote at its start, ~7 ms of CPU on the 2-core
 * machine, where each 4 KiB page of fresh memory written costs a page fault of ~14 µs. Reading a page
 * past a table's end gives undefined, as an empty slot does.
 */

/** Makes `page` a slot of `table` (empty if new), growing it as a packed array; returns the table. */
export function reachPage<T>(table: Array<T | undefined>, page: number): Array<T | undefined> {
  while (table.length <= page) table.push(undefined);
  return table;
}

/** Empties the slot of `page` (a page past the end is empty already: the table does not grow for it). */
export function emptyPage<T>(table: Array<T | undefined>, page: number): void {
  if (page < table.length) table[page] = undefined;
}
