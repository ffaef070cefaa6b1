/**
 * A count (steps, bytes) as every front end prints it, grouped by threes as en-US writes it:
 * 12,345,678. By hand, because the first call of `Number.toLocaleString` sets up ICU's number
 * formatting, ~12 ms: a third of what `rewind record` added to a short run for its last line, and as
 * much again when a debug session says what it replays.
 */
export function countText(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
