/**
 * Local numeric labels: `1:` may be defined any number of times in a file; `1b` means the nearest
 * definition before the statement that uses it, `1f` the nearest after. Diagnostics, hover, definition
 * and references all resolve them here.
 */
import type { Span } from './parsed-document';

/**
 * The definition a local label reference means: the nearest `n:` before the statement (`nb`) or after
 * it (`nf`). `definitions` are in source order.
 */
export function resolveLocalLabel<T extends Span>(definitions: readonly T[], direction: 'b' | 'f', statement: Span): T | undefined {
  const before = (d: Span) => d.line < statement.line || (d.line === statement.line && d.start < statement.start);
  // Binary search for the first definition not before the statement: a file may have thousands of `1:`.
  let low = 0;
  let high = definitions.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (before(definitions[mid])) low = mid + 1; else high = mid;
  }
  return direction === 'b' ? definitions[low - 1] : definitions[low];
}
