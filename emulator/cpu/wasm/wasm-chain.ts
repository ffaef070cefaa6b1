/**
 * Chaining: control passes from one wasm region to the next without coming back to JavaScript. Code that
 * calls across pages (a library's functions, a soft-float call, a `switch` whose cases fill many pages)
 * leaves its region every few instructions; a return to the run loop costs more than those instructions.
 *
 * Every wasm region's function is in one table (its id is its index), and the region map in memory
 * (memory/ram.ts) says, for each RAM halfword where a block of a region starts, that region's id. A
 * region that jumps to a pc outside it (a call, a return, a jump table's case, a function pointer) looks
 * up the region at that pc itself and tail-calls it (`return_call_indirect`, as QEMU's generated code
 * jumps to the next translation block through `lookup_tb_ptr`): no return to a dispatch loop, no stack
 * growth, and the steps taken so far passed along as an argument. The chain returns to the run loop, by
 * one return from the last region, when there is no region at the target (cold code, a breakpoint:
 * blocks that start at one are never in a region), when a region leaves an instruction to the
 * interpreter, when the next block does not fit in the slice, or when a CSR instruction moved the slice
 * end. So the run loop sees every stop it saw before, at the same steps.
 *
 * Measured and left out (bench/LOG.md, session 15): calls kept as wasm calls, so that a return goes back
 * to the caller's frame instead of chaining into its function anew (no faster, TurboFan's work up).
 *
 * The JavaScript around each entry (`run` below: exit words set and read, the call into wasm and back) is
 * not where bigcode's 879K entries a run go: ~8 ns a round trip where the map has no region (5M calls in
 * a loop), ~7 ms of its ~600; what an entry costs is the run loop's next block after it (cache misses).
 * Still ~270 x64 instructions of runSlice's a warm entry, ~220 since chainRun (bench/LOG.md, session 25).
 */
import { EXIT_WORDS, REGISTERS_BYTES, Ram } from '../../memory/ram';
import { RegionBlock, RegionHost } from '../region';
import { STEP_CAP } from '../region-instructions';

/**
 * At most this many steps per entry from JavaScript (a millisecond or two): V8 swaps a region's quick
 * Liftoff code for its optimized code only when the function is called again, so a hot loop that
 * never leaves its region ran unoptimized to the end (bench/replay/long.elf: 340 or 190 ms, depending
 * on whether the swap came before its loop started). A return to the run loop costs a microsecond.
 */
const ENTRY_STEPS = Math.min(STEP_CAP, 1 << 21);
import { Bytes, Code, I32, Mem, Op } from './wasm-binary';
import { MemoryImport, memoryImport, ModuleBuilder } from './wasm-module';

/**
 * Exit words (after the registers in memory) that regions and the chain share. A const enum for the
 * chain's own reads and writes at every entry (`run` below), which are literals then: an `export const`
 * is read from its module at every use (in tsc's CommonJS output, which the bench's emulation section
 * runs, a property of the module's exports; see block-encoding.ts Mask). Exported one by one for the
 * code that emits regions; the sites regions call (wasm-csr.ts, wasm-timer.ts) use the enum.
 */
export const enum Exit { Steps = 0, Slow = 1, Csr = 2, Privilege = 3, Quiet = 4, Switch = 5, Idle = 6, Traps = 7, TrapStops = 8 }
export const EXIT_STEPS = Exit.Steps;
export const EXIT_SLOW = Exit.Slow;
/** A CSR call's outcome (wasm-csr.ts): 0 done, 1 left to the interpreter, 2 done and the slice end moved. */
export const EXIT_CSR = Exit.Csr;
/** The privilege while the chain runs (3: machine mode), for the CSR accesses regions make themselves. */
export const EXIT_PRIVILEGE = Exit.Privilege;
/** Whether regions may set MIE in mstatus themselves (wasm-csr.ts). */
export const EXIT_QUIET = Exit.Quiet;
/** 1 when the chain returned at the target of a switch in a region (a case no compiled code runs yet). */
export const EXIT_SWITCH = Exit.Switch;
/** 1 when a `wfi` here would change nothing, so regions skip its call (wasm-csr.ts waitAccess). */
export const EXIT_IDLE = Exit.Idle;
/**
 * Traps taken by regions themselves since the chain's entry (wasm-csr-inline.ts emitEcallInline): the
 * machine's `unretired` does not count them yet (flushTraps).
 */
export const EXIT_TRAPS = Exit.Traps;
/** 1 while the run stops at traps of some causes (run-loop.ts): every trap is then taken by a call. */
export const EXIT_TRAP_STOPS = Exit.TrapStops;

/**
 * The type of every region's function: (pc, steps the chain has taken, steps the slice allows the
 * chain) -> pc to continue at; the steps taken by then are in the exit word EXIT_STEPS.
 */
export const REGION_TYPE = { params: [I32, I32, I32], results: [I32] };

const NO_REGION = 0;
/** The map holds 16-bit ids. */
const MAX_ID = 0xffff;

export class WasmChain {
  readonly table = new WebAssembly.Table({ element: 'anyfunc', initial: 64 });
  /** Region ids by RAM halfword (ram.ts's region map). */
  private readonly map: Uint16Array;
  private readonly free: number[] = [];
  private next = 1;
  /** Blocks of each live region, to clear its map entries when it goes. */
  private readonly live = new Map<number, readonly RegionBlock[]>();
  /**
   * Told where a region's switch (a jump through a register that is no return) went to code that no
   * region runs: the cases of a hot `switch` that are warm, not hot (warm-cases.ts compiles them). The pc
   * as a signed 32-bit value (`pc | 0`, as regions return it).
   */
  switched: (pc: number) => void = () => {};
  /** The machine's step and slice end when the chain was entered (CSR calls need them). */
  readonly entry = { s0: 0, e0: 0 };
  /**
   * How regions' modules import RAM: worked out once (each look at a shared memory's `buffer` makes a
   * new SharedArrayBuffer object, ~0.1 ms here, two for every module compiled).
   */
  readonly memory: MemoryImport;
  /**
   * Runs regions from `pc` (the start of a block of one, which must fit in the slice) until control
   * reaches code no region runs, or must return (see above); returns the pc to continue at (both signed: Region.run), with the
   * machine's step, registers and `slowExit` up to date. Every wasm region's `run`.
   */
  readonly run: (pc: number) => number;
  private readonly ram: Ram;

  constructor(m: RegionHost) {
    if (EXIT_WORDS < 9) throw new Error('internal error: too few exit words');
    const ram = this.ram = m.ram;
    this.memory = memoryImport('m', 'memory', ram.memory);
    this.map = new Uint16Array(ram.memory.buffer, ram.regionMapOffset, ram.size >>> 1);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(this.dispatcher()), { m: { memory: ram.memory, table: this.table } });
    const enter = instance.exports.enter as (pc: number, end: number, privilege: number) => number;
    const exits = ram.exitWords;
    // A switch's exit, run here with two callbacks in turn: V8 optimizes the run loop with the chain
    // inlined long before a region's first switch to a warm case (bench/core), and the call it had never
    // seen run there threw the run loop away (a third TurboFan compile of runSlice, ~50M instructions of a
    // fresh run). Seen with two callees the call is a plain one, whatever `switched` is later; 16 runs,
    // for V8 keeps no feedback for a function before its 8th call.
    const switchExit = (next: number): void => {
      if (exits[Exit.Switch] !== 0) this.switched(next);
    };
    const switched = this.switched, word = exits[Exit.Switch];
    const callees = [(): void => {}, (): void => {}];
    exits[Exit.Switch] = 1;
    for (let i = 0; i < 16; i++) {
      this.switched = callees[i & 1];
      switchExit(0);
    }
    this.switched = switched;
    exits[Exit.Switch] = word;
    this.run = chainRun(m, exits, this.entry, enter, switchExit);
  }

  /** A new region's function: returns its id, or undefined when all ids are taken (it then runs alone). */
  add(run: unknown, blocks: readonly RegionBlock[]): number | undefined {
    let id = this.free.pop();
    if (id === undefined) {
      if (this.next > MAX_ID) return undefined;
      id = this.next++;
      if (id >= this.table.length) this.table.grow(this.table.length);
    }
    this.table.set(id, run);
    this.live.set(id, blocks);
    for (const b of blocks) this.map[((b.start - this.ram.base) >>> 0) >>> 1] = id;
    return id;
  }

  /**
   * Ids for `count` new functions in a row (an instance then puts them in the table itself, in order:
   * ModuleBuilder.placeInTable), or undefined when there are not that many left.
   */
  reserve(count: number): number | undefined {
    const first = this.next;
    if (first + count - 1 > MAX_ID) return undefined;
    this.next += count;
    if (this.next > this.table.length) this.table.grow(Math.max(this.table.length, this.next - this.table.length));
    return first;
  }

  /** A reserved id's function is in the table: `blocks` start there. */
  placed(id: number, blocks: readonly RegionBlock[]): void {
    this.live.set(id, blocks);
    for (const b of blocks) this.map[((b.start - this.ram.base) >>> 0) >>> 1] = id;
  }

  /** The region is gone (its blocks were invalidated, or moved to a bigger region). */
  remove(id: number): void {
    const blocks = this.live.get(id);
    if (blocks === undefined) return;
    for (const b of blocks) {
      const half = ((b.start - this.ram.base) >>> 0) >>> 1;
      if (this.map[half] === id) this.map[half] = NO_REGION;
    }
    this.live.delete(id);
    this.table.set(id, null);
    this.free.push(id);
  }

  /** Every region is gone (the code cache was flushed). */
  clear(): void {
    for (const id of [...this.live.keys()]) this.remove(id);
    // Every id is free again: start from the first, so that ids reserved in a row (warm blocks) do not
    // run out after many flushes (each change of read watchpoints flushes).
    this.free.length = 0;
    this.next = 1;
  }

  /** The chain's entry from JavaScript: `enter(pc, end)` tail-calls the region at pc, if there is one. */
  private dispatcher(): Uint8Array {
    const ram = this.ram;
    const builder = new ModuleBuilder(this.memory);
    builder.importTable('m', 'table', 1);
    const type = builder.typeIndex(REGION_TYPE);
    const c = new Code(3);
    const PC = 0, END = 1, PRIVILEGE = 2;
    // steps: a local left at 0, since the chain has taken none yet.
    const offset = c.local(I32), id = c.local(I32), steps = c.local(I32);
    const exits = ram.size + REGISTERS_BYTES;
    // The exit words every entry starts from (see chainRun): stores here need no bounds check each.
    for (const word of ENTRY_ZEROS) c.i32(0).i32(0).mem(Mem.I32Store, exits + 4 * word);
    c.i32(0).get(PRIVILEGE).mem(Mem.I32Store, exits + 4 * EXIT_PRIVILEGE);
    chainOn(c, ram, type, { pc: PC, steps, end: END, offset, id });
    c.i32(0).i32(0).mem(Mem.I32Store, exits + 4 * EXIT_STEPS);
    c.get(PC);
    builder.define('enter', { params: [I32, I32, I32], results: [I32] }, c);
    return builder.encode();
  }
}

/** Exit words the chain's entry clears (the dispatcher, in wasm), before it stores the privilege. */
const ENTRY_ZEROS = [Exit.Slow, Exit.Csr, Exit.Quiet, Exit.Switch, Exit.Idle, Exit.Traps];

/**
 * WasmChain.run: the entry from the run loop (bench/bigcode 0.88M a run). Its values are parameters
 * here, not `const`s of the constructor: a closure reads a `const` of its outer scope with a check that
 * it is initialized at every use; flushTraps gets the exit words, not the machine to reach them through
 * two objects; the exit words an entry starts from are stored by the dispatcher in wasm, without a bounds
 * check each.
 */
function chainRun(m: RegionHost, exits: Int32Array, entry: { s0: number; e0: number },
  enter: (pc: number, end: number, privilege: number) => number, switchExit: (next: number) => void): (pc: number) => number {
  return (pc: number): number => {
    const s0 = m.step;
    const e0 = m.sliceEnd;
    entry.s0 = s0;
    entry.e0 = e0;
    const next = enter(pc | 0, Math.min(e0 - s0, ENTRY_STEPS), m.privilege);
    switchExit(next);
    const steps = exits[Exit.Steps];
    m.step = s0 + steps;
    flushTraps(m, exits);
    // No step taken (the map has no region there: never, unless an invariant broke): the interpreter
    // goes first, so the run loop cannot enter the chain at the same pc for ever.
    m.slowExit = exits[Exit.Slow] !== 0 || steps === 0;
    return next;
  };
}

/** Locals (or parameters) of the function that chains on. */
export interface ChainLocals { readonly pc: number; readonly steps: number; readonly end: number; readonly offset: number; readonly id: number }

/**
 * Emits: if a region starts a block at the pc in `pc`, tail-call it with the steps taken and the slice's
 * end; otherwise go on after this code (with `offset` and `id` overwritten). `type` is REGION_TYPE's
 * index in the module, which must import the chain's table as table 0.
 */
export function chainOn(c: Code, ram: Ram, type: number, l: ChainLocals): void {
  c.block();
  c.get(l.pc).i32(ram.base | 0).op(Op.I32Sub).tee(l.offset).i32(ram.size).op(Op.I32GeU).brIf(0);
  c.get(l.offset).i32(1).op(Op.I32And).brIf(0);
  c.get(l.offset).mem(Mem.I32Load16U, ram.regionMapOffset).tee(l.id).op(Op.I32Eqz).brIf(0);
  c.get(l.pc).get(l.steps).get(l.end).get(l.id).returnCallIndirect(type);
  c.end();
}

/**
 * chainOut's inline chain-on (chainOn), by its locals, for one RAM's base, size and region map and one REGION_TYPE index:
 * the same bytes for every function with the same locals, written once (~25 calls of Code's methods in
 * cold code, for each of bench/statemachine's ~600 warm cases, which mostly copy the call instead).
 */
const INLINES = { base: 0, size: -1, map: 0, type: -1, byLocals: new Map<number, Bytes>() };
/** chainOut's call of the shared chain-on, and both sequences, the inline one set by chainOut; one is copied. */
const CALL = new Code(0);
const SEQUENCES = [CALL.body, CALL.body];
/** The locals and callee CALL's bytes are for (-1: none yet). */
const CALL_OF = { pc: -1, steps: -1, end: -1, callee: -1 };

/**
 * A region's chain-on (`l` as for chainOn): inline (chainOn), or, where `chainer` is a function index
 * (>= 0), a tail call to it (`return_call`: chainFunction, which warm modules import from the chain's one
 * shared module, warm-chainer.ts, so that it reaches TurboFan): a case's own chain-on was ~216 of its ~870 bytes of Liftoff's
 * code (the region map's lookup, the table's checks, the frame's shuffle), and a case runs from a cold
 * instruction cache, once in thousands of steps. bench/statemachine (a fresh process running it twice,
 * cachegrind --cache-sim=yes --single-threaded): I1 misses 49.8M -> 42.7M, instructions 4,339M ->
 * 4,327M; a batch of 128 of its cases 111 -> 89 KB of Liftoff's code. Both sequences made every time
 * (the inline one found by its locals, INLINES), one copied by index: no branch only warm cases take
 * (V8 optimizes the writer on hot regions first, and threw regionFunction away at a program's first
 * warm case for a call it had never seen).
 */
export function chainOut(c: Code, ram: Ram, type: number, l: ChainLocals, chainer: number): void {
  // By RAM's numbers, not its object: a module-wide reference would keep a finished machine's RAM alive.
  if (ram.base !== INLINES.base || ram.size !== INLINES.size || ram.regionMapOffset !== INLINES.map || type !== INLINES.type) {
    INLINES.byLocals.clear(); INLINES.base = ram.base; INLINES.size = ram.size; INLINES.map = ram.regionMapOffset; INLINES.type = type;
  }
  // By the locals, six bits each (a function has at most ~45 locals; -1, none kept, beyond).
  const key = ((l.pc | l.steps | l.end | l.offset | l.id) >>> 0) < 64 ? l.pc | l.steps << 6 | l.end << 12 | l.offset << 18 | l.id << 24 : -1;
  let inline = INLINES.byLocals.get(key);
  if (inline === undefined) {
    const code = new Code(0);
    chainOn(code, ram, type, l);
    inline = code.body;
    if (key >= 0) INLINES.byLocals.set(key, inline);
  }
  SEQUENCES[0] = inline;
  // The call's bytes (local.get of pc, steps and end, return_call), made again only when they change
  // (a module's warm cases share them: six calls of Code's methods each, in cold code).
  const callee = chainer >= 0 ? chainer : 0;
  if (l.pc !== CALL_OF.pc || l.steps !== CALL_OF.steps || l.end !== CALL_OF.end || callee !== CALL_OF.callee) {
    CALL.reset();
    CALL.get(l.pc).get(l.steps).get(l.end).body.byte(0x12).u32(callee);
    CALL_OF.pc = l.pc; CALL_OF.steps = l.steps; CALL_OF.end = l.end; CALL_OF.callee = callee;
  }
  const call = chainer >= 0;
  c.body.bytes(SEQUENCES[call ? 1 : 0]);
  c.callsByIndex = c.callsByIndex || call;
}

/**
 * The chain-on warm modules share (warm-chainer.ts), of REGION_TYPE (`type` its index): chainOn from its parameters
 * (pc, steps, end); where no region runs at pc, the steps to the exit word and pc returned, as a case's
 * own epilogue does on that path (no slow flag there: a slow exit never chains; nor a switch's target:
 * cases with a switch chain on inline).
 */
export function chainFunction(ram: Ram, type: number): Code {
  const c = new Code(3);
  const offset = c.local(I32), id = c.local(I32);
  chainOn(c, ram, type, { pc: 0, steps: 1, end: 2, offset, id });
  c.i32(0).get(1).mem(Mem.I32Store, ram.size + REGISTERS_BYTES + 4 * EXIT_STEPS);
  c.get(0);
  return c;
}

/**
 * The traps regions took themselves (EXIT_TRAPS) go to the machine's count: before anything reads it.
 * `exits` is the machine's `ram.exitWords`, which each caller holds already (one load fewer an entry).
 * Like every trap, they drop the LR/SC reservation (trap-entry.ts); LR and SC run in the interpreter.
 */
export function flushTraps(m: RegionHost, exits: Int32Array): void {
  const traps = exits[Exit.Traps];
  // Stored at every call, trap or not: V8 optimizes the chain (and the run loop it is inlined into)
  // long before a region takes its first ecall, and a store it had never seen run threw them away there
  // (bench/rtos, kernel: runSlice, WasmChain.run and flushTraps optimized twice).
  m.reservation = traps !== 0 ? -1 : m.reservation;
  m.unretired += traps;
  exits[Exit.Traps] = 0;
}
