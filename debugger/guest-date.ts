/**
 * The guest's date (semihosting SYS_TIME, and picolibc's time() and gettimeofday()): the date at the
 * start of the run, the host's unless fixed (`--date`, the launch attribute "date"), advancing with the
 * guest's own clock (one step a nanosecond). Whatever it is, it is recorded, so a replay sees the same.
 */

export class GuestDateError extends Error {}

/** The largest date SYS_TIME can answer: it returns one 32-bit register. */
const LAST_SECOND = 2 ** 32 - 1;

/** Now, in whole seconds since the Unix epoch. */
export function hostDate(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * A date the user gave: seconds since 1970 (`1700000000`), or ISO 8601 (`2026-01-01`,
 * `2026-01-01T12:00:00Z`); a date and time without an offset is UTC, so that a run is the same anywhere.
 */
export function parseGuestDate(value: unknown): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  let seconds = NaN;
  if (text !== undefined && /^\d+$/.test(text)) seconds = Number(text);
  else if (text !== undefined && /^\d{4}-\d{2}-\d{2}/.test(text)) {
    const utc = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text) ? `${text}Z` : text;
    seconds = Math.floor(Date.parse(utc) / 1000);
  }
  if (!Number.isSafeInteger(seconds) || seconds < 0 || seconds > LAST_SECOND) {
    throw new GuestDateError(`the date must be seconds since 1970 or an ISO 8601 date (2026-01-01T12:00:00Z) between 1970 and 2106 (SYS_TIME answers 32 bits), not ${JSON.stringify(value)}`);
  }
  return seconds;
}
