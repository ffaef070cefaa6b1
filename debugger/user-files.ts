/**
 * Reading the files a user names (recordings, programs, input files) for every front end: only regular
 * files, only up to a size limit, read by blocks of at most the size the file had when it was opened. A
 * device (`/dev/zero`), a pipe or a folder is refused with a sentence instead of being read forever.
 */
import { accessSync, closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { MAGIC, MAX_CHUNK } from '../emulator/replay/recording-format';
import { countText } from './count-text';

export type UserFileProblem = 'missing' | 'folder' | 'not-regular' | 'too-large' | 'unreadable';

export class UserFileError extends Error {
  override name = 'UserFileError'; // the command line tells errors by name (cli/main.ts)
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
const sizeText = (n: number): string => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(0)} MiB` : `${countText(n)} bytes`);

/**
 * `what` names the file in messages: "the recording", "the program", "the input file". With `streams`
 * (console input), a pipe or a character device is read too, to its end or to `limit`: `--stdin
 * <(printf '1 + 2\n')` is fine, `/dev/zero` is refused once `limit` bytes have come.
 */
export function readRegularFile(path: string, limit: number, what: string, streams = false): Uint8Array {
  const file = openRegularFile(path, limit, what, streams);
  if (file === 'stream') return readStream(path, limit, what);
  try {
    const bytes = new Uint8Array(file.size);
    return bytes.subarray(0, readAt(file.fd, bytes, 0, path, what));
  } finally {
    closeSync(file.fd);
  }
}

/**
 * A recording, read as far as its framing goes (recording-format.ts): the magic, then chunk after chunk
 * of a known type and a length within the reader's limit. A file that is not a recording, or whose
 * framing breaks off, is not read much further than that (a gigabyte of something else costs its first
 * megabyte, not a gigabyte of memory). The chunk where the framing breaks is kept as far as the file
 * has it, for the reader to say what is wrong; `size` is the file's.
 */
export function readRecordingFile(path: string, limit: number, what: string): { bytes: Uint8Array; size: number } {
  const file = openRegularFile(path, limit, what, false) as { fd: number; size: number };
  let bytes = new Uint8Array(0);
  /** Bytes read so far, from the file's start. */
  let have = 0;
  /** Reads (a block ahead) until `end` bytes are in, or the file ends; true when they are. */
  const readTo = (end: number): boolean => {
    if (end <= have) return true;
    const upTo = Math.min(file.size, Math.max(end, have + BLOCK));
    if (upTo > bytes.length) {
      const grown = new Uint8Array(Math.min(file.size, Math.max(upTo, bytes.length * 2)));
      grown.set(bytes.subarray(0, have));
      bytes = grown;
    }
    have += readAt(file.fd, bytes.subarray(have, upTo), have, path, what);
    return have >= end;
  };
  try {
    /** The end of the last chunk whose framing makes sense. */
    let at = MAGIC.length;
    if (readTo(at) && MAGIC.every((b, i) => bytes[i] === b)) {
      while (readTo(at + CHUNK_HEAD)) {
        const type = String.fromCharCode(bytes[at]);
        const claims = new DataView(bytes.buffer, at + 1, 4).getUint32(0, true);
        if (claims > MAX_CHUNK) break;
        const end = at + CHUNK_HEAD + claims + 4;
        if (!readTo(end) || !CHUNK_TYPES.includes(type) || (at === MAGIC.length) !== (type === 'H')) break;
        at = end;
      }
    }
    // The chunk where the framing broke is in (whole, or to the file's end), for the reader to describe.
    return { bytes: bytes.subarray(0, have), size: file.size };
  } finally {
    closeSync(file.fd);
  }
}

/** A chunk's type and length, before its payload; the chunk types a recording holds. */
const CHUNK_HEAD = 5;
const CHUNK_TYPES = ['H', 'E', 'P', 'Z'];

/** Opens a regular file of up to `limit` bytes (or, with `streams`, says that a pipe or device is to be streamed). */
function openRegularFile(path: string, limit: number, what: string, streams: boolean): { fd: number; size: number } | 'stream' {
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
    if (streams && (stat.isFIFO() || stat.isCharacterDevice())) {
      closeSync(fd);
      return 'stream';
    }
    if (!stat.isFile()) {
      throw new UserFileError(`${what} ${path} is not a regular file (a device, pipe or socket), so Rewind does not read it`, 'not-regular');
    }
    if (stat.size > limit) {
      throw new UserFileError(`${what} ${path} is ${sizeText(stat.size)}; Rewind reads files of up to ${sizeText(limit)} here`, 'too-large');
    }
    return { fd, size: stat.size };
  } catch (e) {
    closeSync(fd);
    if (e instanceof UserFileError) throw e;
    throw describe(e, path, what);
  }
}

/** Reads into all of `into` from `position`, by blocks; returns the bytes read (fewer if the file shrank meanwhile). */
function readAt(fd: number, into: Uint8Array, position: number, path: string, what: string): number {
  let offset = 0;
  try {
    while (offset < into.length) {
      const n = readSync(fd, into, offset, Math.min(BLOCK, into.length - offset), position + offset);
      if (n === 0) break;
      offset += n;
    }
  } catch (e) {
    throw describe(e, path, what);
  }
  return offset;
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
 * Where a recording is written: `path`, replaced only if it is one of ours (or empty). A program, a
 * source or any other file named by mistake (`-o prog.elf`) is refused unless `overwrite` says so;
 * `howToOverwrite` tells the user how to say so ("pass --force to replace it"). Everything is checked
 * when this is made, and nothing is written until the first bytes come: a recording refused later (a
 * program too large to record, one that cannot load) leaves no file behind and truncates none.
 */
export class RecordingOutput {
  private started = false;

  constructor(readonly path: string, overwrite = false, howToOverwrite = '') {
    checkRecordingOutput(path, overwrite, howToOverwrite);
  }

  /** Appends to the recording (the first bytes replace what was there). */
  readonly append = (bytes: Uint8Array): void => {
    let fd: number;
    try {
      if (!this.started) removeRecording(this.path);
      fd = openSync(this.path, this.started ? 'a' : 'w');
    } catch (e) {
      throw cannotWrite(this.path, e);
    }
    this.started = true;
    try {
      writeSync(fd, bytes);
    } finally {
      closeSync(fd);
    }
  };
}

/**
 * Removes the recording being replaced when it is a plain file of its own (not a link, nor a device
 * named with --force), so that the new one is a new file rather than the old one truncated: ext4 writes
 * a file truncated and written again to disk when it is closed (its guard against empty files after a
 * crash), ~2 ms of every record over an old recording. Where it cannot be removed, it is truncated.
 */
function removeRecording(path: string): void {
  try {
    const existing = lstatSync(path);
    if (existing.isFile() && existing.nlink === 1) unlinkSync(path);
  } catch {
    // Nothing there, or not ours to remove: opening it truncates it.
  }
}

function checkRecordingOutput(path: string, overwrite: boolean, howToOverwrite: string): void {
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
    if (existing.size > 0 && !fileStartsWith(path, MAGIC)) {
      throw new UserFileError(`${path} exists and is not a Rewind recording, so it is not overwritten; choose another name for the recording${howToOverwrite ? ` (or ${howToOverwrite})` : ''}`, 'not-regular');
    }
  }
  try {
    // The file if it is there, else its folder: what the first write will need.
    accessSync(existing ? path : dirname(path), constants.W_OK);
    if (!existing && !statSync(dirname(path)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOENT' });
  } catch (e) {
    throw cannotWrite(path, e);
  }
}

function cannotWrite(path: string, e: unknown): UserFileError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' || code === 'ENOTDIR' ? `the folder ${dirname(path)} does not exist`
    : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'permission denied'
      : code === 'EISDIR' ? 'it is a folder' : (e as Error).message;
  return new UserFileError(`cannot write the recording to ${path}: ${why}`, 'unreadable');
}

/** True when `path` is a regular file that starts with `head` (read without waiting on a pipe or device). */
export function fileStartsWith(path: string, head: Uint8Array): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    if (!fstatSync(fd).isFile()) return false;
    const start = new Uint8Array(head.length);
    return readSync(fd, start, 0, start.length, 0) === start.length && start.every((b, i) => b === head[i]);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
