/**
 * The snapshot index: full machine states at steps of one recording, kept in a file beside it
 * (`NAME.rewind.index`), so that opening a recording at its end or seeking far into it starts from the
 * nearest stored state instead of replaying from step 0. It only ever saves time: every state is checked
 * against the recording's own state hash at that step before it is used, and without the file (deleted,
 * stale, damaged) the engine replays from step 0 as before.
 *
 *   file    = magic "REWINDX1" | pages | table | table length (u32 LE) | CRC-32 of the table (u32 LE) | magic
 *   pages   = 4096-byte RAM pages, back to back, in the order the table lists them
 *   table   = varint version | blob identity (JSON: program hash, end step and end hash of the recording)
 *             | varint entry count | entries | varint output count | outputs [| regions]
 *   entry   = varint step | blob state hash | blob core state (JSON, machine-config.ts CoreState)
 *             | varint page count | per page: varint page number — the pages that may differ from the
 *             entry before (the first: from the program as loaded at step 0), with their content there
 *   output  = varint step | byte stream (1 stdout, 2 stderr) | blob bytes — the console output before the
 *             last entry, so that a session that starts past it still shows everything the program printed
 *   regions = (only where the run compiled any; readers of before ignore it) varint region count | per
 *             region: varint block count | varint block start each — the recorded run's hot code at its
 *             end (cpu/region-profile.ts), which `rewind replay` compiles at its start
 *
 * The writer streams pages as the recording runs and writes the table at the end: an index whose writer
 * died has no trailer and is ignored. Its size is bounded: entries stop once their pages pass
 * `INDEX_PAGE_BYTES / 2` (the end entry may use the rest), and console output past its bounds (output-log.ts)
 * ends the entries there. An entry of more than `FEW_PAGES` pages is taken two intervals after the entry
 * before (see there). Entries thin out as that half fills: every checkpoint while less than half of
 * it is used, every second one in the next quarter, every fourth in the next eighth, and so on, so that
 * a recording of any length has entries all along it (a seek never replays from far back). The reader reads the table at open and each page only when a state needs it.
 */
import { ByteReader, ByteWriter, FormatError } from './bytes';
import { crc32 } from './checksum';
import { PAGE_SIZE } from '../memory/ram';
import { INDEX_OUTPUT_BYTES, IndexOutput, OutputLog } from './output-log';
import { CHECKPOINT_INTERVAL, FEW_PAGES } from './recording-writer';
import { MAX_PROFILE_BLOCKS, MAX_PROFILE_REGIONS, RegionProfile } from '../cpu/region-profile';

const MAGIC = new TextEncoder().encode('REWINDX1');
const VERSION = 1;
const TRAILER = 16;
/** Page bytes an index may hold (intermediate entries use half; the end entry may take the rest). */
export const INDEX_PAGE_BYTES = 256 << 20;
const MAX_TABLE = 64 << 20;

/** Which recording an index belongs to. */
export interface IndexIdentity {
  programHash: string;
  endStep: number;
  endHash: string;
}

export interface IndexEntry {
  step: number;
  hash: string;
  core: string;
  pages: number[];
  /** File offset of the entry's first page. */
  offset: number;
}

export type { IndexOutput } from './output-log';

/** Random access to the index file's bytes. */
export interface IndexSource {
  readonly size: number;
  /** `length` bytes from `offset`: in `into` (of that length) when given and the source can, else in a new array. */
  read(offset: number, length: number, into?: Uint8Array): Uint8Array;
}

// ---- writing ----

export class IndexWriter {
  private offset = MAGIC.length;
  private pageBytes = 0;
  /** The step of the last entry. */
  private lastEntry = 0;
  private readonly entries: IndexEntry[] = [];
  private readonly log = new OutputLog();

  /** `append` must write or copy the bytes before it returns: they may be views of guest RAM, which runs on. */
  constructor(private readonly append: (bytes: Uint8Array) => void) {
    append(MAGIC);
  }

  /**
   * The checkpoint at `step` is offered: whether it gets an entry of `pageCount` pages (it fits, and is
   * due by the thinning rule; `end`: the last entry, which may use the whole budget).
   *
   * An entry of at most `FEW_PAGES` pages is taken at every checkpoint due; one of more, two intervals
   * after the entry before. The thread that runs the guest copies an entry's pages (~0.5 µs a page, and
   * the guest's own data out of the cache); a program that writes much in every interval (long.elf: 64
   * pages) paid ~2-3% of its recording's time for them. A seek then replays up to two intervals from the
   * index's state (32M steps instead of 16M), and entries of few pages, which cost next to nothing, stay
   * as dense as before. `rewind record` takes the checkpoints of such a program two intervals apart too
   * (recording-writer.ts): the distance, not a count of checkpoints, says when an entry is due.
   */
  accepts(pageCount: number, end: boolean, step: number): boolean {
    // Past the output's bounds no entry may follow: the output before it would be missing.
    if (this.log.overflow || this.pageBytes + pageCount * PAGE_SIZE > (end ? INDEX_PAGE_BYTES : INDEX_PAGE_BYTES / 2)) return false;
    if (end) return true;
    const half = INDEX_PAGE_BYTES / 2;
    const thinning = 2 ** Math.floor(Math.log2(half / Math.max(PAGE_SIZE, half - this.pageBytes)));
    const stride = pageCount <= FEW_PAGES ? thinning : 2 * thinning;
    if (step - this.lastEntry < stride * CHECKPOINT_INTERVAL) return false;
    this.lastEntry = step;
    return true;
  }

  /** Console output at `step` (the step of the instruction that wrote it). */
  output(step: number, stream: 'stdout' | 'stderr', bytes: Uint8Array): void {
    this.log.add(step, stream, bytes);
  }

  /**
   * A state: its core state as JSON, its pages that may differ from the entry before, with their content
   * now: each item a page number and its bytes, or the bytes of that many pages numbered on from it.
   */
  entry(step: number, hash: string, core: string, pages: Array<[number, Uint8Array]>): IndexEntry {
    // Sized at once: pushed one by one, the list of 64 grew through three copies (~2 KB of garbage an entry).
    let count = 0;
    for (let i = 0; i < pages.length; i++) count += pages[i][1].length / PAGE_SIZE;
    const numbers = new Array<number>(count);
    count = 0;
    for (let i = 0; i < pages.length; i++) {
      const [page, content] = pages[i];
      for (let n = 0; n < content.length / PAGE_SIZE; n++) numbers[count++] = page + n;
    }
    const entry: IndexEntry = { step, hash, core, pages: numbers, offset: this.offset };
    // Pages that lie one after the other in one buffer (RAM: a table, a heap) go out in one piece, uncopied.
    for (let i = 0; i < pages.length;) {
      const first = pages[i][1];
      let length = first.length;
      for (i++; i < pages.length && adjacent(first, length, pages[i][1]); i++) length += pages[i][1].length;
      this.append(new Uint8Array(first.buffer, first.byteOffset, length));
    }
    const bytes = numbers.length * PAGE_SIZE;
    this.offset += bytes;
    this.pageBytes += bytes;
    this.entries.push(entry);
    return entry;
  }

  get entryCount(): number {
    return this.entries.length;
  }

  /** Writes the table (with the run's region profile, if any): the index is complete. */
  finish(identity: IndexIdentity, regions: RegionProfile = []): void {
    const last = this.entries.at(-1)?.step ?? 0;
    const outputs = this.log.before(last);
    const text = new TextEncoder();
    // Sized at once (the bytes of ASCII text and of short varints): grown from 256 bytes by doubling,
    // long.elf's table (54 KB) took nine buffers, each zero-filled, and a copy at the end: memset and page
    // faults in perf's samples of a record's end; its finish's page faults (medians of 10 in each of 5
    // processes) 31-70 -> 10-35 now (session 16).
    const identityText = text.encode(JSON.stringify(identity));
    let size = 64 + identityText.length;
    for (const e of this.entries) size += 16 + e.hash.length + e.core.length + 3 * e.pages.length;
    for (const o of outputs) size += 16 + o.bytes.length;
    const w = new ByteWriter(size).varint(VERSION).blob(identityText).varint(this.entries.length);
    for (const e of this.entries) {
      w.varint(e.step).blob(text.encode(e.hash)).blob(text.encode(e.core)).varint(e.pages.length);
      for (const page of e.pages) w.varint(page);
    }
    w.varint(outputs.length);
    for (const o of outputs) w.varint(o.step).byte(o.stream === 'stdout' ? 1 : 2).blob(o.bytes);
    if (regions.length > 0) w.varint(regions.length);
    for (const starts of regions) {
      w.varint(starts.length);
      for (const pc of starts) w.varint(pc >>> 0);
    }
    // The bytes as they lie in the writer: `append` copies or writes them before it returns.
    const table = w.view();
    this.append(table);
    this.append(new ByteWriter().u32(table.length).u32(crc32(table)).bytes(MAGIC).finish());
  }
}

/** Whether `next` follows `length` bytes from the start of `first` in the same buffer. */
function adjacent(first: Uint8Array, length: number, next: Uint8Array): boolean {
  return next.buffer === first.buffer && next.byteOffset === first.byteOffset + length;
}

// ---- reading ----

export class SnapshotIndex {
  private constructor(
    readonly identity: IndexIdentity,
    readonly entries: readonly IndexEntry[],
    readonly outputs: readonly IndexOutput[],
    /** The recorded run's region profile (none in an index written before there were profiles). */
    readonly regions: RegionProfile,
    private readonly source: IndexSource,
  ) {}

  /**
   * Where `pagesAt` reads pages, reused: a new 256 KiB array per state was memory the process never
   * touched, 64 page faults of ~13 µs each in this VM for every state a reverse continue loads.
   */
  private scratch = new Uint8Array(0);

  /** Reads the table; a file that is not a complete index is a FormatError saying why. */
  static open(source: IndexSource): SnapshotIndex {
    if (source.size < MAGIC.length + TRAILER) throw new FormatError('the index is too short');
    if (!sameBytes(source.read(0, MAGIC.length), MAGIC)) throw new FormatError('not a Rewind index (bad magic)');
    const trailer = source.read(source.size - TRAILER, TRAILER);
    if (!sameBytes(trailer.subarray(8), MAGIC)) throw new FormatError('the index is incomplete (its writer did not finish)');
    const t = new ByteReader(trailer, 'the index trailer');
    const length = t.u32();
    const crc = t.u32();
    if (length > MAX_TABLE || length > source.size - TRAILER - MAGIC.length) throw new FormatError(`the index table claims ${length} bytes`);
    const table = source.read(source.size - TRAILER - length, length);
    if (crc32(table) !== crc) throw new FormatError('the index table has a bad checksum');
    const r = new ByteReader(table, 'the index table');
    const version = r.varint();
    if (version !== VERSION) throw new FormatError(`index version ${version} is not supported`);
    const identity = JSON.parse(new TextDecoder().decode(r.blob(4096))) as IndexIdentity;
    const pagesEnd = source.size - TRAILER - length;
    const entries: IndexEntry[] = [];
    let offset = MAGIC.length;
    for (let i = r.varint(); i > 0; i--) {
      const step = r.varint();
      const hash = new TextDecoder().decode(r.blob(64));
      const core = new TextDecoder().decode(r.blob(1 << 20));
      const count = r.varint();
      if (count * PAGE_SIZE > pagesEnd - offset) throw new FormatError(`an index entry claims ${count} pages`);
      const pages: number[] = [];
      for (let p = 0; p < count; p++) pages.push(r.varint());
      if (entries.length > 0 && step <= entries[entries.length - 1].step) throw new FormatError('the index entries are out of order');
      entries.push({ step, hash, core, pages, offset });
      offset += count * PAGE_SIZE;
    }
    const outputs: IndexOutput[] = [];
    for (let i = r.varint(); i > 0; i--) {
      const step = r.varint();
      const stream = r.byte() === 1 ? 'stdout' : 'stderr';
      outputs.push({ step, stream, bytes: r.blob(INDEX_OUTPUT_BYTES) });
    }
    const regions: number[][] = [];
    for (let i = r.remaining > 0 ? r.varint() : 0; i > 0 && regions.length < MAX_PROFILE_REGIONS; i--) {
      const starts: number[] = [];
      for (let n = r.varint(); n > 0; n--) if (starts.push(r.varint()) > MAX_PROFILE_BLOCKS) throw new FormatError('an index region claims too many blocks');
      regions.push(starts);
    }
    return new SnapshotIndex(identity, entries, outputs, regions, source);
  }

  /** Whether the index was made for this recording (the same program, ending at the same step in the same state). */
  belongsTo(r: { programHash: string; end?: { step: number; hash: string } }): boolean {
    const id = this.identity;
    return id?.programHash === r.programHash && id.endStep === r.end?.step && id.endHash === r.end?.hash;
  }

  /** The latest entry at or before `step`. */
  atOrBefore(step: number): IndexEntry | undefined {
    let found: IndexEntry | undefined;
    for (const e of this.entries) if (e.step <= step) found = e; else break;
    return found;
  }

  /**
   * Every page that differs from the program as loaded, with its content at `entry` (read from the file
   * now, into views valid until the next call).
   */
  pagesAt(entry: IndexEntry): Map<number, Uint8Array> {
    const where = new Map<number, number>();
    for (const e of this.entries) {
      e.pages.forEach((page, i) => where.set(page, e.offset + i * PAGE_SIZE));
      if (e === entry) break;
    }
    // Pages that lie one after the other in the file are read at once (an entry's pages do): a read per
    // page was 64 system calls for each entry of long10.elf's index that a reverse continue loads.
    const byOffset = [...where].sort((a, b) => a[1] - b[1]);
    const pages = new Map<number, Uint8Array>();
    if (this.scratch.length < byOffset.length * PAGE_SIZE) this.scratch = new Uint8Array(byOffset.length * PAGE_SIZE);
    for (let i = 0; i < byOffset.length;) {
      let end = i + 1;
      while (end < byOffset.length && byOffset[end][1] === byOffset[end - 1][1] + PAGE_SIZE) end++;
      const run = this.source.read(byOffset[i][1], (end - i) * PAGE_SIZE, this.scratch.subarray(i * PAGE_SIZE, end * PAGE_SIZE));
      for (let k = i; k < end; k++) pages.set(byOffset[k][0], run.subarray((k - i) * PAGE_SIZE, (k - i + 1) * PAGE_SIZE));
      i = end;
    }
    return pages;
  }

  /** Console output in `[from, to)`, in order. */
  outputBetween(from: number, to: number): IndexOutput[] {
    return this.outputs.filter((o) => o.step >= from && o.step < to);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
