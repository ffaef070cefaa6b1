/**
 * The dispatch at the head of a region's function (wasm-region.ts): a branch to the label of the block
 * that starts at the pc (label j for the j-th block by start), or to label n when none does.
 *
 * A table indexed by the pc's halfword within the blocks' span takes one step, but Liftoff's code for it
 * is a binary search over every entry, so it grows with the span: a region of blocks scattered over a
 * page (library code: 500-1000 halfwords for 10-30 blocks) made 8 times more machine code than it had
 * instructions, which V8 also counts against the region when it decides to optimize it. Those find
 * their block by a binary search over the starts instead, code in proportion to the blocks, then branch
 * through a table of one entry per block. A warm case (warm-cases.ts) is entered at its first block,
 * almost always (or at a later one of its blocks where a region's jump or the run loop goes): a compare
 * for each block, that one first (a binary search made ~40 bytes of wasm a block, for 1-6 blocks).
 */
import { RegionBlock } from '../region';
import { Code } from './wasm-binary';

/**
 * Dispatch tables up to this many halfwords stay tables (a dense interpreter loop or jump table: one
 * step where a binary search would be several); beyond, a binary search over the block starts.
 */
const MAX_DISPATCH_SPAN = 256;

/**
 * Emits the dispatch on the local `pc` over `sorted` (blocks by start); `which` is a scratch local.
 * `entry` is the index of a warm case's first block, or -1 for a region of hot code.
 */
export function emitDispatch(c: Code, pc: number, which: number, sorted: readonly RegionBlock[], entry: number): void {
  const n = sorted.length;
  if (entry >= 0) {
    c.get(pc).i32(sorted[entry].start | 0).op('i32.eq').brIf(entry);
    for (let j = 0; j < n; j++) if (j !== entry) c.get(pc).i32(sorted[j].start | 0).op('i32.eq').brIf(j);
    c.br(n);
    return;
  }
  // The table spans the blocks' starts, no more: Liftoff's code for it grows with its length.
  const low = sorted[0].start;
  const span = (((sorted[n - 1].start + 2) >>> 0) - low) >>> 1;
  if (span <= MAX_DISPATCH_SPAN || span <= 4 * n) {
    const table = new Uint32Array(span).fill(n);
    for (let j = 0; j < n; j++) table[(sorted[j].start - low) >>> 1] = j;
    c.get(pc).i32(low | 0).op('i32.sub').i32(1).op('i32.shr_u').brTable(table, n);
    return;
  }
  blockIndex(c, pc, which, sorted.map((b) => b.start), 0, n);
  const ids = new Array<number>(n);
  for (let j = 0; j < n; j++) ids[j] = j;
  c.get(which).brTable(ids, n);
}

/**
 * Sets `into` to the index of the start equal to the pc (`starts` sorted, unsigned), or to `starts.length`
 * when none is: a binary search over starts[from, to), unrolled into nested ifs.
 */
function blockIndex(c: Code, pc: number, into: number, starts: readonly number[], from: number, to: number): void {
  if (to - from === 1) {
    c.get(pc).i32(starts[from] | 0).op('i32.eq').if().i32(from).set(into).else().i32(starts.length).set(into).end();
    return;
  }
  const middle = (from + to) >>> 1;
  c.get(pc).i32(starts[middle] | 0).op('i32.lt_u').if();
  blockIndex(c, pc, into, starts, from, middle);
  c.else();
  blockIndex(c, pc, into, starts, middle, to);
  c.end();
}
