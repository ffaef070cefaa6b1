/** The command line a guest program reads (semihosting SYS_GET_CMDLINE): the same for every front end. */
import { basename } from 'node:path';

/**
 * The command line a program sees (semihosting SYS_GET_CMDLINE, argv in picolibc): its file's base name,
 * then its arguments, each quoted as a shell would write it. `run`, `record` and live sessions give the
 * same one, and a recording stores it, so that a program behaves the same whichever way it runs.
 */
export function commandLineOf(path: string, programArgs: readonly string[] = []): string {
  return [basename(path), ...programArgs].map(shellQuote).join(' ');
}

/**
 * One word of a command line as a POSIX shell would write it: as it is when it is plain, else in single
 * quotes (for a start-up code that parses quotes as a shell does; picolibc 1.8 splits at spaces only).
 */
export function shellQuote(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
