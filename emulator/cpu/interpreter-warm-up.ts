/**
 * The block interpreter's warm-up, once per process: V8 optimizes `runBlock` (one large `switch`) from
 * what it has seen run, and compiles every case it has not seen run yet as a bail-out. A program reaches
 * its instruction kinds one after another (a first `sltiu`, a first `rem`, a first indirect call, a
 * first store that takes the slow path...), and each first one threw the optimized code away: the
 * interpreter ran unoptimized again until V8 had compiled the whole switch once more (3-5 times per
 * program, in the first millions of steps: much of a short run).
 *
 * So when the first block gets hot, a scratch machine (of the same classes, so that V8 sees the same
 * object shapes as the real one's) runs a few blocks that hold every kind the switch has, on both signs
 * of operands, through their fast and slow paths (loads from a device and misaligned ones, stores into a
 * page the write barrier watches, to a device, misaligned), and every way a block ends: V8 then
 * optimizes the switch once, with all of it. Nothing of the real machine is touched; the decodes shared
 * by encoding (shared-decode.ts) are a pure function of the encoding.
 */
import { ExecContext } from './compile';
import { ramOffset, runBlock, takenTarget } from './block-interpreter';
import { BlockStore } from './block-store';
import { Block, newBlock } from './block';
import { decodeShared } from './shared-decode';
import { b, i, jal, r, s } from './rv32-encode';
import { UART_BASE } from '../devices/uart';
import { CLINT_BASE } from '../devices/clint';
import { PLIC_BASE } from '../devices/plic';

// Registers: a0 points into a data page (its aligned accesses take the fast paths), a1 into a page made
// clean before every turn (the write barrier sends its first store to the slow path), a2 at the UART, a6
// at the CLINT and a7 at the PLIC (devices: loads and stores outside RAM); t0 and t1 are the operands, t2
// and a3-a5 the results.
const A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15, A6 = 16, A7 = 17, T0 = 5, T1 = 6, T2 = 7;
const DATA_PAGE = 1, CLEAN_PAGE = 2;

/** lui a4, 0x87654 */
const LUI_A4 = 0x87654737;

/** Every kind of the switch but branches and jumps, then a branch: the first block. */
const STRAIGHT = [
  0x123453b7 /* lui t2 */, 0x876546b7 /* lui a3 */, i(0x13, 0, A3, A3, -5) /* li a3 (fused) */, i(0x13, 0, T2, T0, 7), i(0x13, 2, T2, T1, -3), i(0x13, 3, A3, T1, 9), i(0x13, 4, A4, T0, 0x55),
  i(0x13, 6, A5, T0, 0x0f0), i(0x13, 7, T2, T0, 0x7ff), i(0x13, 1, A3, T0, 3), i(0x13, 5, A4, T0, 5), i(0x13, 5, A5, T0, 0x400 | 7),
  r(0, 0, T2, T0, T1), r(0x20, 0, A3, T0, T1), r(0, 1, A4, T0, T1), r(0, 2, A5, T0, T1), r(0, 3, T2, T0, T1), r(0, 4, A3, T0, T1),
  r(0, 5, A4, T0, T1), r(0x20, 5, A5, T0, T1), r(0, 6, T2, T0, T1), r(0, 7, A3, T0, T1),
  r(1, 0, A4, T0, T1), r(1, 1, A5, T0, T1), r(1, 2, T2, T0, T1), r(1, 3, A3, T0, T1),
  r(1, 4, A4, T0, T1), r(1, 5, A5, T0, T1), r(1, 6, T2, T0, T1), r(1, 7, A3, T0, T1),
  // The fused runs (block-encoding.ts fuseBlock; in a large program only, else the kinds alone): li a4
  // then add, mul, xor, and; then the pairs.
  LUI_A4, i(0x13, 0, A4, A4, 5), r(0, 0, T2, T0, T1), LUI_A4, i(0x13, 0, A4, A4, 5), r(1, 0, A3, T0, T1),
  LUI_A4, i(0x13, 0, A4, A4, 5), r(0, 4, A5, T0, T1), LUI_A4, i(0x13, 0, A4, A4, 5), r(0, 7, T2, T0, T1),
  i(0x13, 0, A3, T0, 7), r(0, 0, A4, T0, T1), i(0x13, 0, A3, T0, 7), r(1, 0, A4, T0, T1),
  i(0x13, 0, A3, T0, 7), r(0, 7, A4, T0, T1), i(0x13, 0, A3, T0, 7), r(0, 4, A4, T0, T1),
  r(0, 0, A3, T0, T1), r(0, 4, A4, T0, T1), r(0, 4, A3, T0, T1), i(0x13, 7, A4, T0, 0x55),
  i(0x13, 7, A3, T0, 0x55), i(0x13, 0, A4, T0, 7), i(0x13, 5, A3, T0, 5), r(0, 4, A4, T0, T1),
  i(0x13, 1, A3, T0, 3), r(0, 4, A4, T0, T1), LUI_A4, i(0x13, 1, A3, T0, 3),
  // Session 17's: the rotates (srli, slli, or; slli, srli, or), divu+add, addi+divu, add+lw, add+sw,
  // xor+xor, then add+lw and add+sw on the UART (their slow paths).
  i(0x13, 5, A3, T0, 5), i(0x13, 1, A4, T0, 27), r(0, 6, A5, A3, A4), i(0x13, 1, A3, T0, 3), i(0x13, 5, A4, T0, 29), r(0, 6, A5, A3, A4),
  r(1, 5, A3, T0, T1), r(0, 0, A4, T0, T1), i(0x13, 0, A3, T0, 7), r(1, 5, A4, T0, T1),
  r(0, 0, A3, T0, T1), i(0x03, 2, A4, A0, 12), r(0, 0, A3, T0, T1), s(2, A0, T0, 32), r(0, 4, A3, T0, T1), r(0, 4, A4, T0, T1),
  r(0, 0, A3, T0, T1), i(0x03, 2, A5, A2, 1), r(0, 0, A3, T0, T1), s(2, A2, T0, 7),
  // Loads: aligned in RAM, from the UART (its IER), misaligned; from the CLINT (msip) and the PLIC (a
  // priority): the bus's device paths see every class of device a program reaches (a device class seen
  // first later threw the optimized bus paths away: bench/kernel, rtos).
  i(0x03, 0, A4, A0, 5), i(0x03, 4, A5, A0, 6), i(0x03, 1, T2, A0, 8), i(0x03, 5, A3, A0, 10), i(0x03, 2, A4, A0, 12),
  i(0x03, 0, A5, A2, 1), i(0x03, 4, T2, A2, 1), i(0x03, 1, A3, A2, 1), i(0x03, 5, A4, A2, 1), i(0x03, 2, A5, A2, 1),
  i(0x03, 1, A3, A0, 1), i(0x03, 5, A4, A0, 3), i(0x03, 2, A5, A0, 2), i(0x03, 2, A4, A6, 0), i(0x03, 2, A5, A7, 4),
  // Stores: aligned in RAM, into the clean page, misaligned, to the UART's scratch register; zero to
  // the CLINT's msip and the PLIC's priority (as they are: nothing becomes pending). Fused, two sw in
  // RAM, and the UART's with the CLINT's.
  s(0, A0, T0, 16), s(1, A0, T0, 18), s(2, A0, T0, 24), s(2, A0, T1, 28), s(2, A0, T0, 20), s(0, A1, T0, 0), s(1, A0, T0, 17), s(2, A0, T0, 22),
  s(0, A2, T0, 7), s(1, A2, T0, 7), s(2, A2, T0, 7), s(2, A6, 0, 0), s(2, A7, 0, 4),
  // A load into x0 and auipc (both left to their closures), fence (a no-op).
  i(0x03, 2, 0, A0, 0), 0x00000297 /* auipc t0 */, 0x0ff0000f /* fence */,
  b(0, T0, T1, 8),
];

/** The other ways a block ends, each after an instruction of its own (as in real code). */
const ENDINGS = [
  b(1, T0, T1, -4), b(4, T0, T1, 8), b(5, T0, T1, 8), b(6, T0, T1, 8), b(7, T0, T1, 8),
  jal(1, 8), jal(0, 8), i(0x67, 0, 1, A0, 0) /* jalr ra, a0 */, i(0x67, 0, 0, A0, 0) /* jr a0 */,
  0x340022f3 /* csrr t0, mscratch: the block ends in a closure */,
  i(0x13, 0, T2, T1, 1) /* addi: the block ends at a length limit or a page's end and falls through */,
];

/**
 * Blocks that end in a fused kind (andi+beq: block-encoding.ts), and a jr after instructions it does not
 * fuse with, xor and ori (ENDINGS' jr follows an addi: addi+jr is fused).
 */
const FUSED_ENDINGS = [
  [r(0, 4, A3, T0, T1), i(0x67, 0, 0, A0, 0)], [i(0x13, 7, A3, T0, 0x55), b(0, T0, T1, 8)], [i(0x13, 6, A3, T0, 1), i(0x67, 0, 0, A0, 0)],
];

/**
 * Turns over the blocks: V8 allocates the switch's feedback in the first, and both signs show. Three:
 * with the fused runs' 28 instructions in the first block, two left the shifts' cases without feedback
 * in a fresh jpeg run (two deopts of runBlock: its first run ~60 ms more of the process's CPU).
 */
const TURNS = 3;

let warmedUp = false;

/** Pages of the scratch machine's RAM the training blocks use (from its start): code, data, a clean page. */
export const BLOCK_WARM_UP_PAGES = 3;

/**
 * Runs the training blocks on the scratch machine `m` (its first BLOCK_WARM_UP_PAGES pages of RAM, used
 * by nothing else), with their records in `store` (the scratch machine's code cache's: nothing there
 * looks them up), the first time it is called in this process.
 */
export function warmUpBlockInterpreter(m: ExecContext, store: BlockStore<Block>): void {
  if (warmedUp) return;
  warmedUp = true;
  const ram = m.ram;
  const code = [...STRAIGHT, ...ENDINGS.flatMap((ending) => [i(0x13, 0, T1, T1, 1), ending]), ...FUSED_ENDINGS.flat()];
  const blocks = [trainingBlock(code.slice(0, STRAIGHT.length), ram.base, store, m)];
  for (let k = STRAIGHT.length; k < code.length; k += 2) blocks.push(trainingBlock(code.slice(k, k + 2), ram.base + 4 * k, store, m));
  const x = m.x;
  for (let turn = 0; turn < TURNS; turn++) {
    ram.clean([CLEAN_PAGE]);
    x.fill(0);
    x[A0] = ram.base + DATA_PAGE * 4096;
    x[A1] = ram.base + CLEAN_PAGE * 4096;
    x[A2] = UART_BASE;
    x[A6] = CLINT_BASE;
    x[A7] = PLIC_BASE;
    // Operands of both signs: unsigned views of negative ones (sltu, divu, remu) exceed int32.
    x[T0] = turn === 0 ? 11 : -0x1234567;
    x[T1] = turn === 0 ? -7 : 3;
    for (const block of blocks) runBlock(store, block.at, m);
  }
}

/**
 * A block of these 4-byte instructions at `start` (in the first page), as the code cache builds one: its
 * offsets small integers too (`start - ram.base` was a heap number, after which V8 kept every block's
 * startOffset in a box of its own: one more cache miss per block in the run loop's successor check).
 */
function trainingBlock(raws: number[], start: number, store: BlockStore<Block>, m: ExecContext): Block {
  const ram = m.ram;
  const decoded = raws.map((raw) => decodeShared(raw));
  const end = start + 4 * raws.length;
  const taken = takenTarget(decoded, end - 4);
  return newBlock(store, m, {
    ops: null, startPc: start | 0, endPc: end | 0, takenPc: taken | 0, startOffset: ramOffset(start, ram.base, ram.size),
    endOffset: ramOffset(end, ram.base, ram.size), takenOffset: ramOffset(taken, ram.base, ram.size), hotSince: 0, decoded,
    breakpoint: false, idleLoop: undefined,
  }, null);
}
