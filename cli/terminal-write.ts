/**
 * Rewind's own text on stdout and stderr (what a command did, why a run stopped, `info`'s lines), written
 * at once with fs.writeSync as the guest's console is (console-sink.ts). Node creates process.stdout and
 * process.stderr on first use, ~3 ms each: a tenth of what a short `rewind run` adds to Node's start.
 * A closed pipe fails here, synchronously (EPIPE), where cli/main.ts ends the command quietly.
 */
import { fstatSync, writeSync } from 'node:fs';

export function writeStdout(text: string): void {
  writeAll(1, text);
}

export function writeStderr(text: string): void {
  writeAll(2, text);
}

/**
 * A command's own status line (`rewind: recorded …`, `rewind: replayed …`): shown to a person at a
 * terminal, or with --verbose. A harness that pipes stderr or sends it to a file then sees from `record`
 * and `replay` the very bytes `rewind run` wrote there (the program's stderr and why a run stopped);
 * errors, warnings and a divergence are written with writeStderr, always. A terminal is told by its
 * kind of file, a character device (so is /dev/null, where the line harms no one): node:tty's isatty
 * would load node:net with it, ~6 ms of CPU at every start.
 */
export function writeStatusLine(verbose: boolean, text: string): void {
  if (verbose || fstatSync(2).isCharacterDevice()) writeAll(2, text);
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done);
}
