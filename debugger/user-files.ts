/**
 * Reading the files a user names (recordings, programs, input files) for every front end: only regular
 * files, only up to a size limit, read by blocks of at most the size the file had when it was opened. A
 * device (`/dev/zero`), a pipe or a folder is refused with a sentence instead of being read forever.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { MAGIC } from '../emulator/replay/recording-format';

export type UserFileProblem = 'missing' | 'folder' | 'not-regular' | 'too-large' | 'unreadable';

export class UserFileError extends Error {
  constructor(message: string, readonly problem: UserFileProblem) {
    super(message);
  }
}

/** Recordings: a header of up to 64 MiB and a log; nothing Rewind writes comes near this. */
export const RECORDING_FILE_LIMIT = 1 << 30;
/** Programs (ELF files with their debug information). */
export const PROGRAM_FILE_LIMIT = 256 << 20;
/** Console input given as a file or a pipe: the guest's whole input is held in memory. */
export const INPUT_FILE_LIMIT = 64 << 20;

const BLOCK = 1 << 20;
const sizeText = (n: number): string => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(0)} MiB` : `${n.toLocaleString('en-US')} bytes`);

/**
 * `what` names the file in messages: "the recording", "the program", "the input file". With `streams`
 * (console input), a pipe or a character device is read too, to its end or to `limit`: `--stdin
 * <(printf '1 + 2\n')` is fine, `/dev/zero` is refused once `limit` bytes have come.
 */
export function readRegularFile(path: string, limit: number, what: string, streams = false): Uint8Array {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading must not wait for a writer; it is refused just below.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw describe(e, path, what);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new UserFileError(`${what} ${path} is a folder, not a file`, 'folder');
    if (streams && (stat.isFIFO() || stat.isCharacterDevice())) return readStream(path, limit, what);
    if (!stat.isFile()) {
      throw new UserFileError(`${what} ${path} is not a regular file (a device, pipe or socket), so Rewind does not read it`, 'not-regular');
    }
    if (stat.size > limit) {
      throw new UserFileError(`${what} ${path} is ${sizeText(stat.size)}; Rewind reads files of up to ${sizeText(limit)} here`, 'too-large');
    }
    const bytes = new Uint8Array(stat.size);
    let offset = 0;
    while (offset < bytes.length) {
      const n = readSync(fd, bytes, offset, Math.min(BLOCK, bytes.length - offset), offset);
      if (n === 0) break; // the file shrank while being read: what is there is what was read
      offset += n;
    }
    return offset === bytes.length ? bytes : bytes.subarray(0, offset);
  } catch (e) {
    if (e instanceof UserFileError) throw e;
    throw describe(e, path, what);
  } finally {
    closeSync(fd);
  }
}

/** A pipe or a device, opened again to wait for its writer, read to its end or to `limit`. */
function readStream(path: string, limit: number, what: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const blocks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const block = new Uint8Array(BLOCK);
      let n: number;
      try {
        n = readSync(fd, block, 0, block.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        throw e;
      }
      if (n === 0) break;
      total += n;
      if (total > limit) throw new UserFileError(`${what} ${path} gave more than ${sizeText(limit)}; Rewind reads input of up to ${sizeText(limit)}`, 'too-large');
      blocks.push(block.subarray(0, n));
    }
    const out = new Uint8Array(total);
    let offset = 0;
    for (const b of blocks) { out.set(b, offset); offset += b.length; }
    return out;
  } finally {
    closeSync(fd);
  }
}

function describe(e: unknown, path: string, what: string): UserFileError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new UserFileError(`${what} ${path} does not exist`, 'missing');
  if (code === 'EISDIR') return new UserFileError(`${what} ${path} is a folder, not a file`, 'folder');
  return new UserFileError(`cannot read ${what} ${path}: ${(e as Error).message}`, 'unreadable');
}

/**
 * Opens `path` to write a recording to, replacing it only if it is one of ours (or empty): a program, a
 * source or any other file named by mistake (`-o prog.elf`) is refused unless `overwrite` says so;
 * `howToOverwrite` tells the user how to say so ("pass --force to replace it").
 * Returns the file descriptor.
 */
export function openRecordingOutput(path: string, overwrite = false, howToOverwrite = ''): number {
  let existing: ReturnType<typeof statSync> | undefined;
  try {
    existing = statSync(path);
  } catch {
    existing = undefined; // a new file
  }
  if (existing?.isDirectory()) throw new UserFileError(`cannot write the recording to ${path}: it is a folder; give a file name such as ${path.replace(/\/+$/, '')}/run.rewind`, 'folder');
  if (existing && !overwrite) {
    if (!existing.isFile()) {
      throw new UserFileError(`cannot write the recording to ${path}: it is not a regular file (a device, pipe or socket)`, 'not-regular');
    }
    if (existing.size > 0 && !startsWithMagic(path)) {
      throw new UserFileError(`${path} exists and is not a Rewind recording, so it is not overwritten; choose another name for the recording${howToOverwrite ? ` (or ${howToOverwrite})` : ''}`, 'not-regular');
    }
  }
  try {
    return openSync(path, 'w');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? `the folder ${dirname(path)} does not exist`
      : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
        : code === 'EISDIR' ? 'it is a folder' : (e as Error).message;
    throw new UserFileError(`cannot write the recording to ${path}: ${why}`, 'unreadable');
  }
}

function startsWithMagic(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const head = new Uint8Array(MAGIC.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && head.every((b, i) => b === MAGIC[i]);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
