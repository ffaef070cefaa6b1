/**
 * The guest's date (semihosting SYS_TIME, and picolibc's time() and gettimeofday()): the date at the
 * start of the run, advancing with the guest's own clock (one step a nanosecond). It is a fixed date
 * unless the user asks for another (`--date`, the launch attribute "date"; `now` for the host's), because
 * whatever a guest observes must be the same in a run and its recording: with the host's date, a program
 * that stores the date (picolibc's gettimeofday does) ended in another state, and sometimes another step
 * count, in every second. Whatever it is, it is recorded, so a replay sees the same.
 */

export class GuestDateError extends Error {}

/** The largest date SYS_TIME can answer: it returns one 32-bit register. */
const LAST_SECOND = 2 ** 32 - 1;

export { DEFAULT_DATE } from '../emulator/outside';

/** Now, in whole seconds since the Unix epoch. */
export function hostDate(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * A date the user gave: seconds since 1970 (`1700000000`), or ISO 8601 (`2026-01-01`,
 * `2026-01-01T12:00:00Z`), or `now` (the host's date); a date and time without an offset is UTC, so
 * that a run is the same anywhere.
 */
export function parseGuestDate(value: unknown): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  let seconds = NaN;
  if (text === 'now') seconds = hostDate();
  else if (text !== undefined && /^\d+$/.test(text)) seconds = Number(text);
  else if (text !== undefined && /^\d{4}-\d{2}-\d{2}/.test(text)) {
    const utc = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text) ? `${text}Z` : text;
    seconds = Math.floor(Date.parse(utc) / 1000);
  }
  if (!Number.isSafeInteger(seconds) || seconds < 0 || seconds > LAST_SECOND) {
    throw new GuestDateError(`the date must be "now", seconds since 1970 or an ISO 8601 date (2026-01-01T12:00:00Z), between 1970 and 2106 (SYS_TIME answers 32 bits), not ${JSON.stringify(value)}`);
  }
  return seconds;
}
