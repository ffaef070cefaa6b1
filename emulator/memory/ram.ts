/**
 * Guest RAM: one buffer with typed views for every access width (the host is little-endian, as
 * RISC-V is), plus bookkeeping that costs the fast path one byte read per store:
 *
 * `writeBarrier[offset >>> BARRIER_SHIFT]` is 1 (open) when a store to that 256-byte line needs no
 * bookkeeping. It is 0 while the line's page is clean since the last snapshot (the first store marks it
 * dirty, which is how snapshots copy only what changed), while the line holds decoded code (stores must
 * invalidate it) or its page is watched (HTIF `tohost`). Lines, not pages, for code: a small program's
 * data often shares the last page of its code, and every store there used to leave compiled code.
 * Closed is 0, the value of fresh memory, so that a new machine (all pages clean) writes none of its
 * 1 MiB of barriers: it did, ~3.5 ms of page faults at the start of every command (2-core machine).
 */

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
/** The write barrier has a byte per line of this many address bits (256 bytes). */
export const BARRIER_SHIFT = 8;
const LINES_PER_PAGE = 1 << (PAGE_SHIFT - BARRIER_SHIFT);

/**
 * The buffer is a WebAssembly.Memory, so that compiled WebAssembly code (cpu/wasm/) reaches everything
 * its fast paths need at fixed addresses: RAM from 0, then (at `size`) the machine's integer registers
 * (33 words, see compile.ts), a few words where compiled code leaves its exit state, the block store's
 * records (BLOCK_RECORDS_BYTES), the per-page write barrier and read-watch bytes, and the region map: for each halfword of RAM, the wasm region
 * that runs the block starting there (cpu/wasm/wasm-chain.ts; as large as RAM, but the host commits
 * only the pages that get written, those of code). The memory never grows (growing would detach every
 * view).
 */
export const REGISTERS_BYTES = 33 * 4;
/** Words after the registers for compiled code's exits (cpu/wasm/wasm-region.ts). */
export const EXIT_WORDS = 10;
/**
 * Words after the exit words that hold the CSRs a trap handler reads and writes (cpu/csr-file.ts), so
 * that compiled code reaches them without a call.
 */
export const CSR_WORDS = 8;
/**
 * Bytes after the CSR words (16-aligned) where a call of the page hash (replay/page-hash.ts) leaves its
 * sixteen hashes: a WebAssembly function that returned them as results cost ~2 ms more to compile (V8
 * 11.3 compiles a wrapper of its own for any function of more than one result), in every `rewind
 * record` and every replay's start.
 */
export const HASH_RESULTS_BYTES = 64;
/** Registers, exit words, CSR words and the page hash's results (272 bytes) before the write barriers. */
const CONTROL_BYTES = 512;
/**
 * Bytes after the control bytes for the block store's records (cpu/block-store.ts), so that the block
 * interpreter reads its words and the registers from one typed array (`Ram.blockInts`; see
 * block-interpreter.ts runBlock). 32 MiB of address space, of which the host commits only the pages that
 * records reach (bench/bigcode, the largest bench program: 0.7 MB); a store that comes near its end
 * starts again (BlockStore.renewable).
 */
export const BLOCK_RECORDS_BYTES = 1 << 25;
/** Where the block store's records start in `Ram.blockInts` (in ints, after the control bytes). */
export const BLOCK_RECORDS_FIRST = CONTROL_BYTES >>> 2;
const WASM_PAGE = 65536;

export class Ram {
  readonly u8: Uint8Array;
  readonly i8: Int8Array;
  readonly u16: Uint16Array;
  readonly i16: Int16Array;
  readonly i32: Int32Array;
  readonly pageCount: number;
  /** A byte per 256-byte line (see above). */
  readonly writeBarrier: Uint8Array;
  /** Pages written since the last `takeDirtyPages()`. */
  private readonly dirty: Uint8Array;
  private dirtyList: number[] = [];
  /** Pages with decoded instructions in them, and lines (of BARRIER_SHIFT bits) with them. */
  readonly codePages: Uint8Array;
  private readonly codeLines: Uint8Array;
  /** Pages with an address the machine watches for writes (HTIF `tohost`, write watchpoints). */
  private readonly watchedPages: Uint8Array;
  /** Pages with a read watchpoint: loads from them take the slow path while reads are watched. */
  readonly readWatchedPages: Uint8Array;

  /** Called for every store into a code page (offset and size in bytes). */
  onCodeWrite: (offset: number, size: number) => void = () => undefined;
  /** Called for every store into a watched page. */
  onWatchedWrite: (offset: number, size: number) => void = () => undefined;

  /** RAM, registers and barriers (see the layout above). */
  readonly memory: WebAssembly.Memory;
  /** The machine's integer registers (x0..x31 and the sink for writes to x0), in `memory` at `size`. */
  readonly registers: Int32Array;
  /**
   * The registers (x0..x31 at 0..31, as in `registers`), the control words, then the block store's
   * records from BLOCK_RECORDS_FIRST: the block store's `ints` (cpu/block-store.ts).
   */
  readonly blockInts: Int32Array;
  /** Where compiled code leaves its exit state, in `memory` after the registers. */
  readonly exitWords: Int32Array;
  /** The CSRs compiled code reads and writes itself (cpu/csr-file.ts), in `memory` after the exit words. */
  readonly csrWords: Int32Array;
  readonly writeBarrierOffset: number;
  readonly readWatchedOffset: number;
  /** Where the page hash leaves its results (`HASH_RESULTS_BYTES`), in `memory` after the CSR words. */
  readonly hashResultsOffset: number;
  /** Where the region map is in `memory` (a u16 per RAM halfword, at the same byte offset as in RAM). */
  readonly regionMapOffset: number;

  constructor(readonly base: number, readonly size: number) {
    if (size % PAGE_SIZE !== 0 || size <= 0) throw new RangeError(`RAM size must be a positive multiple of ${PAGE_SIZE}`);
    this.pageCount = size >>> PAGE_SHIFT;
    const lines = size >>> BARRIER_SHIFT;
    this.hashResultsOffset = size + Math.ceil((REGISTERS_BYTES + 4 * EXIT_WORDS + 4 * CSR_WORDS) / 16) * 16;
    this.writeBarrierOffset = size + CONTROL_BYTES + BLOCK_RECORDS_BYTES;
    this.readWatchedOffset = this.writeBarrierOffset + lines;
    this.regionMapOffset = Math.ceil((this.readWatchedOffset + this.pageCount) / PAGE_SIZE) * PAGE_SIZE;
    // Shared (a SharedArrayBuffer underneath, used by this thread alone): V8 counts an ordinary buffer's
    // 256 MiB against the heap as external memory and collects the whole heap at once for it, ~4 ms of
    // every command's start; a shared memory is not counted. Code runs on it at the same speed.
    const pages = Math.ceil((this.regionMapOffset + size) / WASM_PAGE);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true } as { initial: number; maximum: number });
    const buffer = this.memory.buffer;
    this.u8 = new Uint8Array(buffer, 0, size);
    this.i8 = new Int8Array(buffer, 0, size);
    this.u16 = new Uint16Array(buffer, 0, size >>> 1);
    this.i16 = new Int16Array(buffer, 0, size >>> 1);
    this.i32 = new Int32Array(buffer, 0, size >>> 2);
    this.registers = new Int32Array(buffer, size, REGISTERS_BYTES >>> 2);
    this.blockInts = new Int32Array(buffer, size, (CONTROL_BYTES + BLOCK_RECORDS_BYTES) >>> 2);
    this.exitWords = new Int32Array(buffer, size + REGISTERS_BYTES, EXIT_WORDS);
    this.csrWords = new Int32Array(buffer, size + REGISTERS_BYTES + 4 * EXIT_WORDS, CSR_WORDS);
    this.writeBarrier = new Uint8Array(buffer, this.writeBarrierOffset, lines);
    this.dirty = new Uint8Array(this.pageCount);
    this.codePages = new Uint8Array(this.pageCount);
    this.codeLines = new Uint8Array(lines);
    this.watchedPages = new Uint8Array(this.pageCount);
    this.readWatchedPages = new Uint8Array(buffer, this.readWatchedOffset, this.pageCount);
  }

  /** Offset of `address` in RAM, or -1 when `size` bytes there are not all RAM. */
  offsetOf(address: number, size = 1): number {
    const offset = (address - this.base) >>> 0;
    return offset <= this.size - size ? offset : -1;
  }

  /** The slow half of every store, after the bytes are written: bookkeeping for the pages it touched. */
  noteStore(offset: number, size: number): void {
    const first = offset >>> PAGE_SHIFT;
    const last = (offset + size - 1) >>> PAGE_SHIFT;
    let watched = 0;
    for (let page = first; page <= last; page++) {
      if (!this.dirty[page]) {
        this.dirty[page] = 1;
        this.dirtyList.push(page);
        // The whole page is dirty now: its lines' next stores need nothing (but for code and watches).
        this.refreshBarriers(page, page + 1);
      }
      watched |= this.watchedPages[page];
    }
    let code = 0;
    for (let line = offset >>> BARRIER_SHIFT; line <= (offset + size - 1) >>> BARRIER_SHIFT; line++) code |= this.codeLines[line];
    // Last, because invalidating the running block of code ends it by throwing.
    if (watched) this.onWatchedWrite(offset, size);
    if (code) this.onCodeWrite(offset, size);
  }

  markCode(offset: number, size: number): void {
    for (let page = offset >>> PAGE_SHIFT; page <= (offset + size - 1) >>> PAGE_SHIFT; page++) this.codePages[page] = 1;
    for (let line = offset >>> BARRIER_SHIFT; line <= (offset + size - 1) >>> BARRIER_SHIFT; line++) {
      this.codeLines[line] = 1;
      this.writeBarrier[line] = 0;
    }
  }

  /** Forget all decoded code (after the whole decode cache was dropped). */
  clearCodeMarks(): void {
    this.codePages.fill(0);
    this.codeLines.fill(0);
    this.refreshBarriers(0, this.pageCount);
  }

  /** Replaces the sets of pages whose writes (and reads) the machine wants to see. */
  setWatchedPages(written: Iterable<number>, read: Iterable<number>): void {
    this.watchedPages.fill(0);
    this.readWatchedPages.fill(0);
    for (const page of written) this.watchedPages[page] = 1;
    for (const page of read) this.readWatchedPages[page] = 1;
    this.refreshBarriers(0, this.pageCount);
  }

  /**
   * Sets the barrier of every line of pages `[from, to)` from the page's state and the line's code. A
   * clean page's lines are closed already (all clean pages' are, from the start and `clean`).
   */
  private refreshBarriers(from: number, to: number): void {
    for (let page = from; page < to; page++) {
      if (this.dirty[page] === 0) continue;
      const pageOpen = this.watchedPages[page] ^ 1;
      for (let line = page * LINES_PER_PAGE; line < (page + 1) * LINES_PER_PAGE; line++) this.writeBarrier[line] = pageOpen & (this.codeLines[line] ^ 1);
    }
  }

  /** How many pages were written since the last `takeDirtyPages()`. */
  get dirtyCount(): number {
    return this.dirtyList.length;
  }

  /**
   * Pages written since the last call; they become clean (their next store is noted again), unless
   * `keepDirty`: then their stores go unnoted (and compiled code does not leave for the first one)
   * until `clean` is called for them, and the caller must treat them as written all along.
   */
  takeDirtyPages(keepDirty = false): number[] {
    const pages = this.dirtyList;
    this.dirtyList = [];
    if (!keepDirty) this.clean(pages);
    return pages;
  }

  /** Pages kept dirty by `takeDirtyPages(true)` become clean: their next store is noted again. */
  clean(pages: readonly number[]): void {
    for (const page of pages) {
      this.dirty[page] = 0;
      this.writeBarrier.fill(0, page * LINES_PER_PAGE, (page + 1) * LINES_PER_PAGE);
    }
  }

  // Byte-wise accessors for the slow path (misaligned or page-crossing accesses); little-endian.
  read(offset: number, size: number): number {
    let value = 0;
    for (let i = size - 1; i >= 0; i--) value = (value << 8) | this.u8[offset + i];
    return value;
  }

  write(offset: number, size: number, value: number): void {
    for (let i = 0; i < size; i++) this.u8[offset + i] = value >>> (8 * i);
    this.noteStore(offset, size);
  }
}
