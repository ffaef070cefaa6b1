/**
 * Idle loops: code that goes round and round doing nothing until an interrupt comes, such as an RTOS's
 * idle task (`1: wfi; j 1b`) or a `j .` that waits for the timer. Run instruction by instruction, such a
 * loop costs a block dispatch per instruction (and, at each `wfi`, a look at every interrupt source)
 * for the whole time between two ticks: an RTOS that idles 90% of the time ran at 5 MIPS.
 *
 * A loop is idle when every one of its instructions changes nothing but the pc: `wfi`, `fence`,
 * instructions that write x0 without touching memory (nops), and jumps that link nothing (`j`). Then
 * every turn leaves the machine exactly as the one before, apart from the step count (and what follows
 * from it: mtime, mcycle, minstret), so the run loop may add whole turns to the step count at once, up
 * to the end of its run slice (the next interrupt, stop or step limit): the machine is then in the very
 * state the interpreter reaches after as many turns. Conditional branches and `jalr` are left out: their
 * way depends on registers, which a loop found once could find changed later.
 *
 * The loop is found once from the block where it starts and kept on that block (Block.idleLoop); it is
 * used again only while all its blocks are valid (a store into one, or a breakpoint set in its page,
 * drops them). A loop with a breakpoint on any of its blocks is never skipped.
 */
import { Block, IdleLoop } from './block';
import { Decoded } from '../isa/decode';

/** A loop of more blocks or steps is not an idle loop worth finding (idle tasks are two instructions). */
const MAX_BLOCKS = 4;
const MAX_STEPS = 16;

/** Instructions that, writing x0, compute a value and drop it. */
const ARITHMETIC = new Set([
  'lui', 'auipc', 'addi', 'slti', 'sltiu', 'xori', 'ori', 'andi', 'slli', 'srli', 'srai',
  'add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and',
  'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu',
]);

/** Whether `d` changes nothing but the pc (jumps count: the caller follows them). */
export function changesNothing(d: Decoded | undefined): boolean {
  if (d === undefined) return false;
  const name = d.spec.name;
  if (name === 'wfi' || name === 'fence' || name === 'fence.i') return true;
  return (name === 'jal' || ARITHMETIC.has(name)) && d.rd === 0;
}

/**
 * The idle loop that starts at `first`, following the blocks `cache.blockAt` gives (the code cache: a
 * closure made for this at every block's first run was ~100 bytes of garbage a block), or null if the code from
 * there is not one (or has a breakpoint).
 */
export function findIdleLoop(first: Block, cache: { blockAt(pc: number): Block }): IdleLoop | null {
  // Asked at every block's first run (the run loop's skipIdleTurns), nearly always of a block whose first
  // instruction does something: no array made, no iterator run (most blocks run it in V8's first tiers).
  if (first.decoded === null || !changesNothing(first.decoded[0])) return null;
  const blocks: Block[] = [];
  let steps = 0;
  let waits = 0;
  let block = first;
  for (;;) {
    const decoded = block.decoded;
    if (decoded === null || block.breakpoint || !block.valid) return null;
    for (const d of decoded) {
      if (!changesNothing(d)) return null;
      if (d!.spec.name === 'wfi') waits++;
    }
    blocks.push(block);
    steps += decoded.length;
    const last = decoded[decoded.length - 1]!;
    const next = last.spec.name === 'jal' ? (block.pcs[decoded.length - 1] + last.imm) >>> 0 : block.end;
    if (next === first.start) return { blocks, steps, waits };
    if (blocks.length >= MAX_BLOCKS || steps >= MAX_STEPS) return null;
    block = cache.blockAt(next);
  }
}

/** Whether the loop's code is still what it was found in (no store or breakpoint has dropped a block). */
export function stillIdle(loop: IdleLoop): boolean {
  return loop.blocks.every((b) => b.valid);
}
