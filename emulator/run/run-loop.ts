/**
 * The run loop: runs the machine until a step limit, a stop condition, the guest's end or an input wait.
 * Between blocks it checks breakpoints and takes interrupts at their exact step; within a run slice (up
 * to the next step an interrupt can come) it chains blocks through their successor links, runs them
 * (block interpreter, compiled block or region), promotes hot blocks to the next tier (code-cache.ts),
 * and when fewer steps remain than a block holds, runs that block one instruction at a time so that
 * every stop is exact.
 *
 * Instructions leave the straight path by throwing (traps.ts): a guest trap, an early end of the block
 * (a store changed something the rest of the block must see), or an input wait.
 *
 * An idle loop (cpu/idle-loop.ts: `wfi; j` and the like) is not run turn by turn: the run loop adds as
 * many whole turns as fit in the slice to the step count, which leaves the machine as running them would.
 */
import { Block, HOT_BLOCK_RUNS, WARM_ASKED_RUNS } from '../cpu/block';
import { BlockStore, Field, Flag, Recent } from '../cpu/block-store';
import { Mstatus } from '../cpu/csr-file';
import { findIdleLoop, stillIdle } from '../cpu/idle-loop';
import { CodeCache } from '../cpu/code-cache';
import { Cause, EndOfBlock, GuestTrap, InputWait } from '../cpu/traps';
import { interruptToTake, nextInterruptStep, TrapHost } from '../cpu/trap-entry';
import { StopConditions } from './stop-conditions';
import { StopReason } from './stop-reason';
import { Ram } from '../memory/ram';
import { EXIT_TRAP_STOPS } from '../cpu/wasm/wasm-chain';
import { growUp, youth } from './youth';

/** The machine as the run loop sees it. */
export interface RunHost extends TrapHost {
  readonly ram: Ram;
  pc: number;
  step: number;
  sliceEnd: number;
  slowExit: boolean;
  readonly halted: StopReason | null;
  trap(cause: Cause, tval: number, pc: number): number;
  /** Takes an interrupt with this mcause at the current pc (not counted as a step here). */
  takeInterrupt(mcause: number): void;
  /** Between instructions, where an interrupt is due: input that arrives by itself at this step does. */
  receiveDueInput(): void;
  /** Idle `wfi`s that may pass before input the guest awaits arrives (OutsideWorld.idleWaitsBeforeInput). */
  idleWaitsBeforeInput(): number;
  /** Sv32 paging is on: code runs through run/translated-run.ts instead of the physical code cache. */
  readonly translating: boolean;
  runTranslatedSlice(): boolean;
}

/** Turns of an idle loop skipped at once at most: a loop no interrupt can end still returns now and then. */
const MAX_IDLE_TURNS = 1 << 24;

export class RunLoop {
  /**
   * The record (block-store.ts) of the block being executed in `currentStore` (-1: none), and whether
   * one instruction at a time (`stepping`) rather than as a whole. Its object is looked up only where
   * needed: for warm code, the blocks' array is one more cache miss a block (bench/bigcode: ~10% of
   * runSlice's samples). Within a slice `current` is left at the last interpreted block until a region
   * runs or the slice ends (between two blocks nothing asks for it), and `stepping` is set only around
   * the one-at-a-time path: three stores fewer a plain block run (bench/bigcode 2.14M a run).
   */
  private current = -1;
  private currentStore: BlockStore<Block> | null = null;
  private stepping = false;
  /** A store changed an instruction of the running block: it must stop after that store. */
  private runningBlockChanged = false;
  /** Steps of idle loops added without running them (tests check that the skip really happened). */
  idleStepsSkipped = 0;

  constructor(private readonly m: RunHost, private readonly cache: CodeCache, private readonly stops: StopConditions) {}

  run(maxSteps: number, ignoreBreakpointHere: boolean, stopConditions: boolean): StopReason {
    const m = this.m;
    const stops = this.stops;
    const end = m.step + maxSteps;
    stops.begin(m.step, ignoreBreakpointHere, stopConditions);
    // Compiled code takes an ecall itself only while no trap stops the run (wasm/wasm-csr-inline.ts).
    m.ram.exitWords[EXIT_TRAP_STOPS] = stops.on && stops.trapStops.size !== 0 ? 1 : 0;
    for (;;) {
      if (stops.pending) return stops.take();
      if (m.halted) return m.halted;
      if (m.step >= end) return { kind: 'limit' };
      if (stops.breakpointAt(m.pc, m.step)) return { kind: 'breakpoint', address: m.pc };
      const interruptStep = nextInterruptStep(m);
      if (interruptStep <= m.step) {
        m.receiveDueInput();
        m.takeInterrupt(interruptToTake(m));
        m.step++;
        continue;
      }
      // A young process (youth.ts) ends a slice where its youth ends, then lets V8 optimize.
      if (m.step >= youth.end) growUp();
      m.sliceEnd = Math.min(end, interruptStep, youth.end);
      // Between slices, no block is running: the code cache may start a new block store.
      this.cache.reclaimDroppedBlocks();
      if (m.translating ? m.runTranslatedSlice() : this.runSlice()) return { kind: 'input' };
    }
  }

  /** Steps taken before the instruction now executing (exact inside a block, too). */
  exactStep(accessPc: number): number {
    const block = this.runningBlock();
    return !this.stepping && block !== null ? this.m.step + block.pcs.indexOf(accessPc) : this.m.step;
  }

  /** Code was invalidated: if the running block was, it must end after the instruction that stored. */
  codeInvalidated(): void {
    const block = this.runningBlock();
    if (block !== null && !block.valid) this.runningBlockChanged = true;
  }

  private runningBlock(): Block | null {
    return this.current < 0 || this.currentStore === null ? null : this.currentStore.blockOf(this.current);
  }

  /** A snapshot restore replaced memory (outside any run). */
  memoryReplaced(): void {
    this.runningBlockChanged = false;
  }

  /**
   * A store at `pc` completed: if it ended the run slice (exit, watchpoint), changed when interrupts
   * come or rewrote code of this block, nothing after it in the block may run first.
   */
  afterStore(pc: number): void {
    if (this.m.sliceEnd === 0 || this.runningBlockChanged) {
      this.runningBlockChanged = false;
      this.endBlockAfter(pc);
    }
  }

  /**
   * The instruction at `pc` (now completing its last effect) changed something the rest of its block
   * must see: stop the block after it. The last instruction of a block needs no stop; every instruction
   * that has effects after a store (sc, AMOs) ends its block, so this never cuts one short.
   */
  endBlockAfter(pc: number): void {
    const block = this.runningBlock();
    if (block !== null && block.pcs[block.pcs.length - 1] !== pc) throw new EndOfBlock(pc);
  }

  /**
   * The record (block-store.ts) of the valid block that starts at this offset into RAM (mod 2^32), from
   * the recent blocks or the code cache: where a region left the chain (it returns no block), or no
   * successor link was the one.
   */
  private blockAt(offset: number): number {
    const store = this.cache.store;
    const slot = (offset >>> 1) & (Recent.Blocks - 1);
    const recent = store.recent[slot];
    const ints = store.ints;
    if (ints[recent + Field.Start] === offset && (ints[recent + Field.Flags] & Flag.Valid) !== 0) return recent;
    return (store.recent[slot] = this.cache.blockAt((this.m.ram.base + offset) >>> 0).at);
  }

  /** Runs steps until `sliceEnd`; returns true when an instruction has to wait for input. */
  private runSlice(): boolean {
    const m = this.m;
    const stops = this.stops;
    const cache = this.cache;
    const store = cache.store;
    this.currentStore = store;
    const hotRegionRuns = cache.policy.hotRuns;
    // Locals, read once a slice: an imported `const` is read from its module at every use (see
    // cpu/block-encoding.ts Mask; the flags and the table's size are const enums).
    const warmAsked = WARM_ASKED_RUNS, hotMask = HOT_BLOCK_RUNS - 1, warmMask = WARM_ASKED_RUNS - 1;
    const base = m.ram.base;
    // RAM's base as a signed 32-bit integer (a small integer to V8, where 0x80000000 is a double): a
    // region's pc in and out computed in integer arithmetic, not in doubles (bench/bigcode 0.88M entries).
    const baseInt = base | 0;
    // Where to go on, as an offset from RAM's base (mod 2^32), not as a pc: RAM starts at 0x80000000
    // on most boards, and a pc there is no small integer. Held across the try block below, a pc became a
    // new heap number at every block and every return from the chain of regions (bench/mathlib: ~13 MB
    // of garbage, 11 scavenges a run); an offset into RAM is a small integer.
    let offset = (m.pc - base) >>> 0;
    // The record of the block before (-1: none, after a region or an early end).
    let previous = -1;
    while (m.step < m.sliceEnd) {
      // Most blocks are followed by the same block as last time: try that before the page lookup, by
      // offset into RAM, a small integer kept in the record before (no read of a linked block that is
      // not the one). Measured and left out: reading both linked blocks' first words before this block
      // runs, so that the next one's misses overlap its run (bigcode main-thread CPU median-of-min 447 ->
      // 482 ms; the loads missed for the link not taken, and cachegrind counted ~4% more instructions);
      // nor Next or Other picked by arithmetic, one compare left (a fresh bigcode +0.3-0.5%, a warm one the same).
      // The linked record's flags are read once, for both its validity and whether it is plain (Plain
      // implies Valid); a link whose block was dropped sends the lookup to the table, not to the other link.
      let ints = store.ints;
      let at = -1;
      let flags = 0;
      if (previous >= 0) {
        if (ints[previous + Field.Next] === offset) {
          at = ints[previous + Field.NextAt];
          flags = ints[at + Field.Flags];
        } else if (ints[previous + Field.Other] === offset) {
          at = ints[previous + Field.OtherAt];
          flags = ints[at + Field.Flags];
        }
      }
      if ((flags & Flag.Valid) === 0) {
        at = this.blockAt(offset);
        // Code that keeps rewriting itself, or a store near its end: end the slice here, so that `run`
        // starts a new store. The getter only where some block was dropped or the store is near its end:
        // runSlice calls it, not inlined (~30 instructions a lookup; bench/bigcode 27M of a warm run's
        // 3,029M under callgrind).
        if ((store.waste !== 0 || store.top > store.renewAt) && store.renewable) break;
        ints = store.ints;
        if (previous >= 0) {
          ints[previous + Field.Other] = ints[previous + Field.Next];
          ints[previous + Field.OtherAt] = ints[previous + Field.NextAt];
          ints[previous + Field.Next] = ints[at + Field.Start];
          ints[previous + Field.NextAt] = at;
        }
        flags = ints[at + Field.Flags];
      }
      previous = at;
      // A plain interpreted block runs from its record; any other from its object (block.ts). A wasm
      // region's block with nothing else to check (Flag.Region) enters the chain when the slice has room
      // for its region's entry (the room in the flags' upper bits), without the block's object.
      const plain = (flags & Flag.Plain) !== 0;
      let block: Block | null = null;
      if (!plain) {
        if ((flags & Flag.Region) !== 0 && !m.slowExit && m.sliceEnd - m.step >= flags >>> Flag.RoomShift) {
          this.current = -1;
          offset = (cache.chain!.run((baseInt + offset) | 0) - baseInt) >>> 0;
          previous = -1;
          continue;
        }
        block = store.blocks[ints[at + Field.Id]];
        if (block.breakpoint && stops.on && m.step !== stops.runStartStep) {
          stops.pending = { kind: 'breakpoint', address: (base + offset) >>> 0 };
          break;
        }
        if (block.idleLoop !== null && cache.compiling) {
          this.skipIdleTurns(block);
          // Looking for an idle loop builds blocks: the store may have grown.
          ints = store.ints;
        }
        const region = block.region;
        if (region !== null && !m.slowExit && m.sliceEnd - m.step >= region.room) {
          this.current = -1;
          offset = (region.run((baseInt + offset) | 0) - baseInt) >>> 0;
          previous = -1;
          continue;
        }
      }
      // `ints` is the store's own until the next block is built (none is, until after the block ran).
      const n = ints[at + Field.Count];
      // After a region left an instruction to the interpreter, this block starts with it.
      m.slowExit = false;
      this.current = at;
      try {
        if (m.sliceEnd - m.step >= n) {
          offset = block === null ? cache.interpretAt(at) : block.compiled !== null ? (block.compiled() - base) >>> 0 : cache.interpret(block);
          if (block !== null && block.hot) {
            if (++block.runs === hotRegionRuns) cache.compileRegionAround(block);
          } else {
            // Every HOT_BLOCK_RUNS runs (a power of two), every WARM_ASKED_RUNS once past them: hot yet?
            const runs = ++ints[at + Field.Runs];
            if ((runs & (runs <= warmAsked ? hotMask : warmMask)) === 0) {
              if (block === null) cache.askPlain(at); else cache.compileHotBlock(block);
            }
          }
          m.step += n;
        } else {
          // The slice ends inside this block: one instruction at a time, so the stop is exact.
          const whole = block ?? store.blockOf(at);
          this.stepping = true;
          for (let i = 0; i < n && m.step < m.sliceEnd; i++) {
            offset = (cache.op(whole, i)() - base) >>> 0;
            m.step++;
          }
          this.stepping = false;
        }
      } catch (e) {
        const next = this.endBlockEarly(e, block ?? store.blockOf(at));
        if (next === undefined) return true;
        offset = (next - base) >>> 0;
        previous = -1;
      }
    }
    this.current = -1;
    m.pc = (base + offset) >>> 0;
    return false;
  }

  /**
   * At the start of `block`, which may start an idle loop: adds the loop's steps for as many whole turns
   * as end before the slice does. Its `wfi`s would each ask when the next interrupt comes (and tell the
   * outside world the guest is idle): that is asked once for all of them, and may end the slice sooner.
   * The machine that only interprets (the reference the compiled tiers are checked against) runs every turn.
   */
  private skipIdleTurns(block: Block): void {
    const m = this.m;
    let loop = block.idleLoop;
    if (loop === undefined || (loop !== null && !stillIdle(loop))) loop = block.idleLoop = findIdleLoop(block, this.cache);
    if (loop === null) return;
    // A wfi that traps (in U-mode; in S-mode with mstatus.TW) is no idle loop: the interpreter takes the trap.
    if (loop.waits > 0 && m.privilege !== 3 && (m.privilege === 0 || (m.csr.mstatus & Mstatus.TW) !== 0)) return;
    let turns = Math.min(Math.floor((m.sliceEnd - m.step) / loop.steps), MAX_IDLE_TURNS);
    if (turns < 2) return;
    if (loop.waits > 0) {
      // Input that comes after a count of idle waits (cli/host-outside.ts) comes right after the `wfi`
      // that makes the count: the turn with that `wfi` runs as is, whatever the slice.
      turns = Math.min(turns, Math.floor((m.idleWaitsBeforeInput() - 1) / loop.waits));
      if (turns < 2) return;
      const next = nextInterruptStep(m, turns * loop.waits);
      if (next < m.sliceEnd) {
        m.sliceEnd = Math.max(next, m.step);
        turns = Math.floor((m.sliceEnd - m.step) / loop.steps);
      }
    }
    m.step += turns * loop.steps;
    this.idleStepsSkipped += turns * loop.steps;
  }

  /**
   * An instruction inside `block` left the straight path by throwing: account for the steps the block
   * took before it, then continue after a trap, after a completed instruction, or (undefined) stop for
   * input with the instruction not executed.
   */
  private endBlockEarly(e: unknown, block: Block): number | undefined {
    const m = this.m;
    if (!(e instanceof GuestTrap || e instanceof EndOfBlock || e instanceof InputWait)) {
      this.current = -1;
      this.stepping = false;
      throw e;
    }
    const index = block.pcs.indexOf(e.pc);
    if (!this.stepping) m.step += index;
    this.stepping = false;
    this.current = -1;
    if (e instanceof InputWait) {
      m.pc = e.pc;
      return undefined;
    }
    m.step++;
    if (e instanceof GuestTrap) return m.trap(e.cause, e.tval, e.pc);
    return index + 1 < block.pcs.length ? block.pcs[index + 1] : block.end;
  }
}
