/** Lookups in address spans sorted by their start, the shape of line rows, functions and CFI entries. */

/** The index of the last span that starts at or before `pc` (-1 if none): the only one that can hold it, when spans do not overlap. */
export function lastStartingAtOrBefore(spans: ReadonlyArray<{ readonly low: number }>, pc: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (spans[mid].low <= pc) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
