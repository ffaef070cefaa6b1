/**
 * The dispatch at the head of a region's function (wasm-region.ts): a branch to the label of the block
 * that starts at the pc (label j for the j-th block by start), or to label n when none does.
 *
 * A table indexed by the pc's halfword within the blocks' span takes one step, but Liftoff's code for it
 * is a binary search over every entry, so it grows with the span: a region of blocks scattered over a
 * page (library code: 500-1000 halfwords for 10-30 blocks) made 8 times more machine code than it had
 * instructions, which V8 also counts against the region when it decides to optimize it. Those find
 * their block by a binary search over the starts instead, code in proportion to the blocks, whose
 * leaves branch to their block's label. A warm case (warm-cases.ts) is entered at its first block,
 * almost always (or at a later one of its blocks where a region's jump or the run loop goes): a compare
 * for each block, that one first (a binary search made ~40 bytes of wasm a block, for 1-6 blocks).
 */
import { Code, Op, VOID } from './wasm-binary';

/**
 * Dispatch tables up to this many halfwords stay tables (a dense interpreter loop or jump table: one
 * step where a binary search would be several); beyond, a binary search over the block starts.
 */
const MAX_DISPATCH_SPAN = 256;

/**
 * A binary search ends in a compare and a branch for each of at most this many blocks. TurboFan's time
 * on a region grows with its branches and merges more than with its compares: mathlib's 27 modules
 * compiled alone (cachegrind, --no-liftoff) 333M instructions with the search's leaves setting a local
 * for a table of one entry per block, 296M with leaves branching to their block, 279M with linear leaves
 * of up to 3 (mathlib, softfloat, tree, qrcode, jpeg together: 1100M, 979M, 921M with 4, 918M with 8);
 * a steady run of those programs within the noise either way.
 */
const LINEAR_LEAF = 4;

/** The opcodes of br_if and if: the compares' branches, written with them (Bytes.getConstOpThen). */
const BR_IF = 0x0d, IF = 0x04;

/**
 * Emits the dispatch on the local `pc` over the blocks whose `starts` are sorted (block j's label j).
 * `entry` is the index of a warm case's first block, or -1 for a region of hot code.
 */
export function emitDispatch(c: Code, pc: number, starts: readonly number[], entry: number): void {
  const n = starts.length;
  // A warm case of one block is entered at its start only (the chain's region map has its id there and
  // nowhere else; the run loop enters a region at one of its blocks): no compare. (Both compares are
  // made on hot regions too: a compare V8 had never seen run would throw this code away.)
  if (n === 1 && entry >= 0) return;
  // The table spans the blocks' starts, no more: Liftoff's code for it grows with its length.
  const low = starts[0];
  const span = (((starts[n - 1] + 2) >>> 0) - low) >>> 1;
  if (entry < 0 && (span <= MAX_DISPATCH_SPAN || span <= 4 * n)) {
    const table = new Uint32Array(span).fill(n);
    for (let j = 0; j < n; j++) table[(starts[j] - low) >>> 1] = j;
    c.get(pc).i32(low | 0).op(Op.I32Sub).i32(1).op(Op.I32ShrU).brTable(table, n);
    return;
  }
  branchToBlock(c, pc, starts, 0, n, 0, entry);
  // None of the blocks: to $default (n), or for a warm case (never, unless an invariant broke) to
  // $return, past $default and $dispatch, with no step taken (wasm-region.ts: a warm case chains on
  // only from $chain). The same calls and arithmetic either way (see branchToBlock).
  c.br(n + (entry >= 0 ? 2 : 0));
}

/**
 * Branches to label j when the pc is starts[j], j in [from, to) (starts sorted, unsigned),
 * from inside `nesting` ifs; falls through when it is none of them: a binary search, unrolled into nested
 * ifs, whose leaves branch to their block's label themselves; a warm case's (`entry` its first block, -1
 * for none) a compare for each block, the entry's first. The warm case's compares are the leaves' (the
 * same calls): V8 optimizes this on hot regions, and calls it had never seen run, in a branch of warm
 * cases' own, threw that code away at a process's first warm case.
 */
function branchToBlock(c: Code, pc: number, starts: readonly number[], from: number, to: number, nesting: number, entry: number): void {
  if (to - from <= LINEAR_LEAF || entry >= 0) {
    // k = from - 1 is the entry (if any), then every block but it.
    for (let k = entry >= 0 ? from - 1 : from; k < to; k++) {
      const j = k < from ? entry : k;
      if (k >= from && j === entry) continue;
      c.body.getConstOpThen(pc, starts[j] | 0, Op.I32Eq, BR_IF, j + nesting);
    }
    return;
  }
  const middle = (from + to) >>> 1;
  c.body.getConstOpThen(pc, starts[middle] | 0, Op.I32LtU, IF, VOID);
  branchToBlock(c, pc, starts, from, middle, nesting + 1, -1);
  c.else();
  branchToBlock(c, pc, starts, middle, to, nesting + 1, -1);
  c.end();
}
