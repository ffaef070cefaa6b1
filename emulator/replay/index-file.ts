/**
 * The snapshot index on disk: `NAME.rewind.index` beside `NAME.rewind` (snapshot-index.ts has the
 * format). Reading is lazy (the table at open, each page when a state needs it). Writing goes to a new
 * temporary file renamed into place when complete, so a reader never sees half an index, and a file of
 * that name that is not an index is never overwritten.
 */
import { closeSync, constants, existsSync, fstatSync, openSync, readSync, renameSync, statSync, unlink, unlinkSync } from 'node:fs';
import { IndexSource, IndexWriter, IndexIdentity, SnapshotIndex } from './snapshot-index';
import { BackgroundWrites, START_BYTES } from './background-writes';
import type { RegionProfile } from '../cpu/region-profile';

export const indexPath = (recordingPath: string): string => `${recordingPath}.index`;

/** The index beside a recording, or a sentence saying why there is none that can be used. */
export function openIndexFile(recordingPath: string): SnapshotIndex | string {
  const path = indexPath(recordingPath);
  if (!existsSync(path)) return 'no index';
  try {
    // Without waiting for a writer: a pipe or device of that name is no index (and must not hang the open).
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      closeSync(fd);
      return `${path} is not a regular file`;
    }
    const source: IndexSource = {
      size: stat.size,
      read(offset, length, into) {
        const out = into ?? new Uint8Array(length);
        if (readSync(fd, out, 0, length, offset) !== length) throw new Error(`${path} ends early`);
        return out;
      },
    };
    return SnapshotIndex.open(source);
  } catch (e) {
    return `${path} cannot be used: ${(e as Error).message}`;
  }
}

/** True when `path` may be (over)written with an index: nothing is there, or an index of ours is. */
export function mayWriteIndex(recordingPath: string): boolean {
  const path = indexPath(recordingPath);
  if (!existsSync(path)) return true;
  try {
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const head = new Uint8Array(8);
      return fstatSync(fd).isFile() && readSync(fd, head, 0, 8, 0) === 8 && new TextDecoder().decode(head) === 'REWINDX1';
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** An old index smaller than this is removed at once, a larger one in the background. */
const REMOVE_AT_ONCE_BELOW = 1 << 20;

/** The size of the file at `path`, undefined when there is none. */
function sizeOf(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

/** Old indexes moved aside so far (each gets a name of its own: moving one over another would flush it). */
let replaced = 0;
/** Old indexes being removed; those still there when the process exits are removed then. */
const removing = new Set<string>();

let removesAtExit = false;

function removeLater(path: string): void {
  if (!removesAtExit) process.once('exit', () => { for (const p of removing) try { unlinkSync(p); } catch { /* gone already */ } });
  removesAtExit = true;
  removing.add(path);
  unlink(path, () => removing.delete(path));
}

/**
 * How much of an index a command that writes one and exits (`rewind record`, `rewind replay`) writes
 * on its own thread before it hands the rest to a worker. Starting the worker costs ~26 ms of CPU
 * (~3-4 ms of it on this thread), and writing here ~0.3 ms a MiB where the worker's ring takes ~0.14:
 * below ~20 MiB the worker saves this thread nothing and costs the process its start. A process that
 * lives on (the debug adapter) keeps the default: its worker, once started, serves every index after.
 */
export const WRITTEN_AT_ONCE_BY_A_COMMAND = 32 << 20;

/** An index being written beside a recording; `finish` puts it in place, `abandon` removes it. */
export class IndexFile {
  readonly writer: IndexWriter;
  private readonly temporary: string;
  private fd: number | undefined;
  private readonly writes: BackgroundWrites;

  /**
   * Undefined when no index may be written there (a foreign file of that name, a read-only folder).
   * `writtenAtOnce`: bytes written on this thread before a worker is used (background-writes.ts).
   */
  static create(recordingPath: string, writtenAtOnce = START_BYTES): IndexFile | undefined {
    if (!mayWriteIndex(recordingPath)) return undefined;
    try {
      return new IndexFile(recordingPath, writtenAtOnce);
    } catch {
      return undefined;
    }
  }

  private constructor(private readonly recordingPath: string, writtenAtOnce: number) {
    this.temporary = `${indexPath(recordingPath)}.${process.pid}.tmp`;
    const fd = openSync(this.temporary, 'wx');
    this.fd = fd;
    const writes = this.writes = new BackgroundWrites(fd, writtenAtOnce);
    this.writer = new IndexWriter((bytes) => writes.append(bytes));
  }

  finish(identity: IndexIdentity, regions?: RegionProfile): void {
    if (this.fd === undefined) return;
    this.writer.finish(identity, regions);
    this.writes.flush();
    closeSync(this.fd);
    this.fd = undefined;
    const path = indexPath(this.recordingPath);
    if (!mayWriteIndex(this.recordingPath)) return unlinkSync(this.temporary);
    // Not renamed over the old index: ext4 writes a file renamed over another to disk before the rename
    // returns (its guard against empty files after a crash), which made a record ~15 ms slower. The old
    // one is moved aside and removed: a large one in the background (freeing the blocks of 19 MiB took
    // ~1.5 ms), a small one at once (a removal in the background starts Node's thread pool: ~1-2 ms).
    const old = `${this.temporary}.${++replaced}.old`;
    const oldSize = sizeOf(path);
    if (oldSize !== undefined) renameSync(path, old);
    renameSync(this.temporary, path);
    if (oldSize === undefined) return;
    if (oldSize < REMOVE_AT_ONCE_BELOW) unlinkSync(old);
    else removeLater(old);
  }

  abandon(): void {
    if (this.fd === undefined) return;
    try {
      // The worker must be done with the file before its descriptor is closed (and perhaps reused).
      this.writes.flush();
    } catch {
      // Nothing of an abandoned index is kept.
    }
    closeSync(this.fd);
    this.fd = undefined;
    unlinkSync(this.temporary);
  }
}
