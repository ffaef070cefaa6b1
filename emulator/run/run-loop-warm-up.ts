/**
 * The run loop's warm-up, once per process (beside the block interpreter's: cpu/interpreter-warm-up.ts).
 * V8 optimizes `runSlice` early (its loop turns once per block) and compiles every path it has not seen
 * run as a bail-out: the first slice that ends inside a block (one instruction at a time, through the
 * closures of more than one kind of instruction), the first block that gets hot, the first that gets warm
 * (its runs come farther apart than HOT_BLOCK_WINDOW), the first block reached through its second
 * successor link, the first slice that starts at a block looked up before (and at one not), the first
 * idle loop whose turns it skips. Each first one threw the optimized loop away, and it ran unoptimized
 * until V8 had compiled it again (~17 ms of compiling, 1-3 times per program).
 *
 * So when the first block gets hot, a scratch machine runs a few steps through its own run loop (the same
 * class: the feedback V8 keeps is the function's, shared by every machine) down each of those paths; V8
 * then optimizes the loop with all of them. Nothing of the real machine is touched. The path of an
 * instruction that leaves its block by throwing is trained with the guest's exit (a store to the test
 * finisher, which ends the run inside its block); left out: a trap inside a block, an interrupt a store
 * makes due (training those costs a short run more, the trap, CSR and timer code compiled for the first
 * time, than it saves).
 */
import { BLOCK_WARM_UP_PAGES, warmUpBlockInterpreter } from '../cpu/interpreter-warm-up';
import { BlockStore } from '../cpu/block-store';
import { Block, HOT_BLOCK_RUNS, HOT_BLOCK_WINDOW, HOT_REGION_RUNS, WARM_ASKED_RUNS } from '../cpu/block';
import { ExecContext } from '../cpu/compile';
import { PAGE_SIZE, Ram } from '../memory/ram';
import { b, i, jal, r, s, u } from '../cpu/rv32-encode';
import { StopReason } from './stop-reason';
import { besideYouth } from './youth';

/**
 * What the warm-ups need of the scratch machine (a Machine with SCRATCH_PAGES pages of RAM, used by
 * nothing else): the block interpreter's keeps its training blocks in its code cache's store.
 */
export interface ScratchMachine extends ExecContext {
  readonly ram: Ram;
  readonly x: Int32Array;
  readonly code: { readonly store: BlockStore<Block> };
  pc: number;
  step: number;
  run(maxSteps: number): StopReason;
}

const T0 = 5, T1 = 6, T2 = 7, A2 = 12, T3 = 28, T4 = 29;
const WFI = 0x10500073;

/** The training code, from the start of RAM: each loop starts at the word index named beside it. */
const HOT_LOOP = 0, WARM_LOOP = 2, TWO_WAY_LOOP = 4, IDLE_LOOP = 9, EXIT = 11;
const CODE = [
  // A loop that gets hot: addi; bne back (t2 is never reached).
  i(0x13, 0, T1, T1, 1), b(1, T1, T2, -4),
  // A loop that gets warm: the step count jumps between its runs.
  r(0, 0, T0, T0, T1) /* add */, jal(0, -4),
  // A loop whose first block goes on to its two others in turn (both successor links): addi t3; andi t4,
  // t3, 1; beq t4, x0 to the second; j back; j back.
  i(0x13, 0, T3, T3, 1), i(0x13, 7, T4, T3, 1), b(0, T4, 0, 8), jal(0, -12), jal(0, -16),
  // An idle loop (an RTOS's idle task): wfi; j back. Its turns are added at once (cpu/idle-loop.ts).
  WFI, jal(0, -4),
  // The guest's exit as crt0.S makes it (every bench program's): 0x5555 stored to the test finisher
  // (lui a2, 0x100; lui t0, 5; addi t0, 0x555; sw t0, 0(a2)), inside a block that goes on after it.
  u(0x37, A2, 0x100), u(0x37, T0, 5), i(0x13, 0, T0, T0, 0x555), s(2, A2, T0, 0), i(0x13, 0, T1, T1, 1), jal(0, -20),
];

/**
 * Turns of the run loop's training, each on a page of its own of the scratch machine (after the block
 * interpreter's), so that each builds its blocks afresh. V8 gives a function somewhere to keep what it
 * sees run only after the function has run a while: the first turn's calls of the code cache's methods
 * (`op`, `compileHotBlock`, called a few times each) went unseen, and V8 optimized the loop without
 * those paths; the first chunk of a long run (which ends inside a block) or the first block that got
 * warm threw it away again (mathlib, qrcode: 1-3 times a run, each ~15-40 ms of compiling).
 */
const TURNS = 2;

/**
 * Pages of RAM the scratch machine needs: the block interpreter's, then one a turn of the run loop's.
 * One machine for both warm-ups: until session 18 each turn had a machine of its own, three in all
 * (~0.7 ms and ~30 page faults each, mostly its code cache's store of blocks).
 */
export const SCRATCH_PAGES = BLOCK_WARM_UP_PAGES + TURNS;

/**
 * The scratch machine, kept for the process's life (~0.1 MB of heap and 1.5 MB of untouched RAM). V8
 * holds the object shapes (maps) its optimized code checks for only weakly, as it does the transitions
 * that lead to them: when a process's last machine is gone and a major GC runs before the next one is
 * made (a debug session restarted, a test runner's next test, the memory reducer of an idle adapter),
 * the shapes of the block interpreter's and run loop's objects die with it, V8 throws away every
 * optimized function that checks for them ('weak objects': runBlock, runSlice, buildBlock, the block
 * accessors, ~20-40 functions), and the next machine's objects get new shapes: its JavaScript is cold
 * again, and the warm-ups, done once per process, do not run again. This machine's blocks, store, code
 * cache and run loop have the same shapes as every machine's, so they keep them alive.
 * Measured (bench/LOG.md, session 20): a process running bench/core, a major GC, tree, a major GC,
 * rtos (callgrind --single-threaded, each program's instructions) tree 1,089 -> 1,000M, rtos 1,512 ->
 * 1,330M; the emulation section's 16 programs with a major GC after each (--single-threaded main-thread
 * CPU, 3 interleaved pairs, load ~18) 3,768-4,431 -> 2,641-3,297 ms in all, tree 142-179 -> 88-94, rtos
 * 309-411 -> 153-191, kernel 473-569 -> 330-441; 'weak objects' deopts over the first five programs 26 ->
 * 1. Still thrown away there: the region emitter's functions (its objects live only while a region is
 * written) and the devices' (kernel, rtos).
 */
let kept: ScratchMachine | undefined;

/**
 * Both warm-ups, on the scratch machine `scratch` makes (SCRATCH_PAGES of RAM), the first time code gets
 * hot in this process.
 */
export function warmUpInterpreterAndRunLoop(scratch: () => ScratchMachine): void {
  if (kept === undefined) warmUpOnce(scratch);
}

/**
 * Apart from the check above, which the code cache makes every time a block is asked about (bench/bigcode
 * ~46K times a run): V8 made this closure's context at every call of a function that holds it, before
 * its first line, 40 bytes each (bigcode: 1.9 MB of its ~13.5 MB of young allocations).
 */
function warmUpOnce(scratch: () => ScratchMachine): void {
  besideYouth(() => {
    const m = kept = scratch();
    warmUpBlockInterpreter(m, m.code.store);
    for (let turn = 0; turn < TURNS; turn++) trainRunLoop(m, (BLOCK_WARM_UP_PAGES + turn) * PAGE_SIZE);
    // Last, as it ends the scratch machine's run for good: a store that ends the run slice inside its
    // block (the block ends early by throwing: the run loop's catch). Every bench program's exit does
    // that, and the first (bigcode's) threw the optimized loop away, compiled twice again in the next
    // program (~50M instructions of TurboFan each).
    m.pc = (m.ram.base + (BLOCK_WARM_UP_PAGES + TURNS - 1) * PAGE_SIZE + 4 * EXIT) >>> 0;
    m.run(16);
  });
}

/** A turn of the run loop's training, its code at `offset` into RAM, from registers at zero as in a new machine. */
function trainRunLoop(m: ScratchMachine, offset: number): void {
  const ram = m.ram;
  CODE.forEach((word, k) => ram.write(offset + 4 * k, 4, word));
  const at = (word: number): number => (ram.base + offset + 4 * word) >>> 0;
  m.x.fill(0);
  m.x[T2] = 1 << 20;
  // Slices that end inside a block: its first instruction alone, an addi, then an add (a few times: the
  // code cache's op is called by nothing else).
  for (let k = 0; k < 4; k++) {
    m.pc = at(HOT_LOOP);
    m.run(1);
    m.pc = at(WARM_LOOP);
    m.run(1);
  }
  // Enough runs to get hot (well under a region's: the warm-up compiles nothing).
  m.pc = at(HOT_LOOP);
  m.run(2 * HOT_BLOCK_RUNS + 1);
  // A loop that is warm at every question (the step count jumps between them) until it has run more
  // times than a region needs, then hot at the next: its count starts again (a kernel's would go into
  // a region at its next run, which stays under the warm-up's few).
  m.pc = at(WARM_LOOP);
  m.run(HOT_BLOCK_RUNS);
  // (Warm blocks asked every WARM_ASKED_RUNS runs are asked over a window as many times longer.)
  for (let runs = HOT_BLOCK_RUNS / 2; runs <= HOT_REGION_RUNS; runs += HOT_BLOCK_RUNS) {
    m.step += HOT_BLOCK_WINDOW * (WARM_ASKED_RUNS / HOT_BLOCK_RUNS) + 1;
    m.run(2 * HOT_BLOCK_RUNS);
  }
  m.run(2 * WARM_ASKED_RUNS);
  // Blocks that run after one of two others, in turn; slices that start at a block looked up before, and
  // at one never looked up (the run loop's table of recent blocks), once V8 keeps feedback for them.
  for (let k = 0; k < 2 * HOT_BLOCK_RUNS; k++) {
    m.pc = at(k % 2 === 0 ? TWO_WAY_LOOP : TWO_WAY_LOOP + 2);
    m.run(5);
  }
  for (let word = TWO_WAY_LOOP + 1; word < IDLE_LOOP; word++) {
    m.pc = at(word);
    m.run(2);
  }
  // An idle loop skipped: found, then known, in slices of an even and an odd number of steps (a
  // fractional count of turns; bench/kernel's idle task threw the optimized loop away at its first skip).
  for (let k = 0; k < 8; k++) {
    m.pc = at(IDLE_LOOP);
    m.run(64 - (k & 1));
  }
  // The idle loop's block run whole in slices too short to skip a turn: a block that has an object (not
  // a plain one) asked whether it got hot (the code cache's compileHotBlock; bench/kernel's first such
  // block threw the optimized loop away).
  for (let k = 0; k < 2 * HOT_BLOCK_RUNS; k++) {
    m.pc = at(IDLE_LOOP);
    m.run(2);
  }
}

