/**
 * The RV32IMAC machine on QEMU's `virt` memory map: one hart, RAM, CLINT, UART, test finisher,
 * semihosting and HTIF. A step is one retired instruction, or one trap or interrupt taken (so that every
 * step changes visible state and a debugger can stop on the first instruction of a handler).
 *
 * Execution, in tiers: every instruction is decoded once into a closure (cpu/compile.ts, the reference
 * semantics); closures are grouped in basic blocks (cpu/block.ts) cached per RAM page by start address.
 * A block that ran HOT_BLOCK_RUNS times becomes one JavaScript function (cpu/block-compiler.ts); one
 * that ran HOT_REGION_RUNS times gets its whole page compiled as a region (cpu/region.ts): the page's
 * hot blocks in one function, registers in locals, so hot loops never return to this run loop. A store
 * into a page that holds decoded code invalidates the blocks (and regions) that contain the written
 * words, so self-modifying code works without fence.i, at word granularity. With `compile: false`
 * everything runs as closures: the reference that test/speed compares the compiled tiers against.
 */
import { decode } from './isa/decode';
import { compile, ExecContext, Op } from './cpu/compile';
import { CsrContext, CsrFile, CsrState, MSTATUS_MIE, MSTATUS_MPIE, MSTATUS_MPP } from './cpu/csr-file';
import { Cause, causeName, EndOfBlock, GuestTrap, INTERRUPT_BIT, InputWait, Interrupt } from './cpu/traps';
import { Block, endsBlock, HOT_BLOCK_RUNS, HOT_REGION_RUNS, MAX_BLOCK_LENGTH } from './cpu/block';
import { compileBlock } from './cpu/block-compiler';
import { MAX_REGION_COMPILES, MAX_REGION_INSTRUCTIONS, REGION_SHIFT, RegionHost } from './cpu/region';
import { compileRegion } from './cpu/region-compiler';
import { Decoded } from './isa/decode';
import { PAGE_SHIFT, Ram } from './memory/ram';
import { Device, DeviceState } from './devices/device';
import { Clint } from './devices/clint';
import { Uart } from './devices/uart';
import { FinisherOutcome, TestFinisher } from './devices/test-finisher';
import { Semihosting, SEMIHOSTING_ENTRY, SEMIHOSTING_EXIT, SemihostingGuest } from './semihosting';
import { ConsoleSink, OutsideWorld } from './outside';
import { ElfImage } from './elf';

export interface MachineConfig {
  readonly ramBase: number;
  readonly ramSize: number;
  /** Steps per CLINT timer tick. 100 matches QEMU's 10 MHz `virt` timer under `-icount shift=0`. */
  readonly stepsPerTick: number;
}

/** How the machine runs guest code; not part of a recording (every mode gives the same steps). */
export interface MachineOptions {
  /**
   * Compile hot code to JavaScript (the default). False runs everything through the interpreter, the
   * reference the compiled code is tested against.
   */
  readonly compile?: boolean;
}

export const DEFAULT_CONFIG: MachineConfig = { ramBase: 0x80000000, ramSize: 128 * 1024 * 1024, stepsPerTick: 100 };

/** Everything but RAM, as plain data: what a snapshot stores besides memory pages. */
export interface CoreState {
  x: number[];
  pc: number;
  privilege: number;
  step: number;
  unretired: number;
  reservation: number;
  halted: StopReason | null;
  csr: CsrState;
  clint: DeviceState;
  uart: DeviceState;
  semihosting: ReturnType<Semihosting['save']>;
}

/** A data watchpoint: stop after an access to `[address, address + length)`. */
export interface Watchpoint {
  readonly address: number;
  readonly length: number;
  readonly access: 'read' | 'write' | 'readWrite';
}

/**
 * Why `run` returned. For breakpoints the machine stops before the instruction at `address`; for
 * watchpoints and traps it stops after the step that hit them, and `hitStep` is that step (the position
 * just before it, where a reverse search stops).
 */
export type StopReason =
  | { kind: 'limit' }
  | { kind: 'breakpoint'; address: number }
  | { kind: 'watchpoint'; address: number; size: number; access: 'read' | 'write'; pc: number; hitStep: number; watch: Watchpoint }
  | { kind: 'trap'; mcause: number; pc: number; hitStep: number }
  | { kind: 'exit'; code: number; via: 'semihosting' | 'test-finisher' | 'htif' }
  | { kind: 'input' }
  | { kind: 'reset' }
  | { kind: 'stuck'; message: string };

const MIP_MSIP = 1 << Interrupt.MachineSoftware;
const MIP_MTIP = 1 << Interrupt.MachineTimer;
const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

export class Machine implements ExecContext, CsrContext, RegionHost {
  /** Integer registers; entry 32 absorbs writes to x0. */
  readonly x = new Int32Array(33);
  pc = 0;
  privilege = 3;
  /** Steps taken since reset. */
  step = 0;
  /** Steps that retired no instruction (traps and interrupts taken); minstret excludes them. */
  unretired = 0;
  reservation = -1;
  readonly ram: Ram;
  readonly csr: CsrFile;
  readonly clint: Clint;
  readonly uart: Uart;
  readonly semihosting: Semihosting;
  private readonly devices: Device[];
  /** Why the machine stopped for good (exit, reset, stuck); null while it can run. */
  halted: StopReason | null = null;
  /** Blocks by start address: one array per RAM page, one slot per halfword. */
  private readonly blockPages: Array<Array<Block | undefined> | undefined>;
  /** Every block that has an instruction in a page, for invalidation. */
  private readonly pageBlocks: Array<Block[] | undefined>;
  /** The block being executed, and whether as a whole (true) or one instruction at a time. */
  private current: Block | null = null;
  /** A store changed an instruction of the running block: it must stop after that store. */
  private runningBlockChanged = false;
  private batch = false;
  accessPc = 0;
  /**
   * The run loop's slice ends at this step; setting it to 0 ends the slice after the current step.
   * Public for compiled regions, which read it when they start; nothing else should.
   */
  sliceEnd = 0;
  /** A compiled region returned before an instruction it leaves to the interpreter (see region.ts). */
  slowExit = false;
  /** Regions compiled so far (tests check that compiled code really ran). */
  regionsCompiled = 0;
  /** Region compiles per page, to stop compiling pages whose code keeps changing. */
  private readonly regionCompiles: Uint16Array;
  /** Compile hot code (blocks, then regions); false: interpret everything. */
  private readonly compiling: boolean;
  private tohostOffset = -1;
  private readonly breakpoints = new Set<number>();
  private watchpoints: Watchpoint[] = [];
  private readonly trapStops = new Set<number>();
  /** Loads check `ram.readWatchedPages` (compiled in only while a read watchpoint exists). */
  watchingReads = false;
  /** A stop condition met during the current step: the run returns it once the step completes. */
  private pendingStop: StopReason | null = null;
  /** A breakpoint at the pc where a run starts does not stop that run: it is where the last one stopped. */
  private runStartStep = -1;
  private conditionsOn = true;
  private imageEnd: number;

  constructor(
    readonly config: MachineConfig,
    readonly outside: OutsideWorld,
    sink: ConsoleSink,
    options: MachineOptions = {},
  ) {
    this.compiling = options.compile !== false;
    this.ram = new Ram(config.ramBase, config.ramSize);
    this.regionCompiles = new Uint16Array(this.ram.pageCount);
    this.imageEnd = config.ramBase;
    this.blockPages = new Array(this.ram.pageCount).fill(undefined);
    this.pageBlocks = new Array(this.ram.pageCount).fill(undefined);
    this.csr = new CsrFile(this);
    this.clint = new Clint(this, config.stepsPerTick);
    this.clint.onChange = () => this.recheckInterrupts();
    this.uart = new Uart({
      transmit: (byte) => sink.write('stdout', Uint8Array.of(byte)),
      receive: () => outside.pollUart(this.exactStep()),
    });
    const finisher = new TestFinisher((outcome) => this.finish(outcome));
    this.devices = [this.clint, this.uart, finisher];
    this.semihosting = new Semihosting(outside, sink);
    this.ram.onCodeWrite = (offset, size) => this.invalidateCode(offset, size);
    this.ram.onWatchedWrite = (offset, size) => {
      this.checkTohost(offset, size);
      if (this.watchpoints.length !== 0) this.checkWatchpoints(this.ram.base + offset, size, 'write', this.accessPc);
    };
  }

  /** Loads an ELF's PT_LOAD segments at their physical addresses (as QEMU's `-kernel` does). */
  /**
   * RAM pages the program loader wrote. The loader does not go through the write barrier (nothing has
   * run yet), so the state hash and the first snapshot take these pages from here.
   */
  readonly loadedPages: number[] = [];

  loadProgram(image: ElfImage): void {
    for (const segment of image.segments) {
      if (segment.memsz === 0) continue;
      const offset = this.ram.offsetOf(segment.paddr, Math.max(segment.memsz, 1));
      if (offset < 0) {
        throw new RangeError(`cannot load the program: a segment at ${hex(segment.paddr)} (${segment.memsz} bytes) ` +
          `is outside RAM (${hex(this.ram.base)}–${hex(this.ram.base + this.ram.size - 1)})`);
      }
      this.ram.u8.set(segment.data, offset);
      this.ram.u8.fill(0, offset + segment.data.length, offset + segment.memsz);
      for (let page = offset >>> PAGE_SHIFT; page <= (offset + segment.memsz - 1) >>> PAGE_SHIFT; page++) {
        if (!this.loadedPages.includes(page)) this.loadedPages.push(page);
      }
      this.imageEnd = Math.max(this.imageEnd, segment.paddr + segment.memsz);
    }
    const tohost = image.symbol('tohost');
    if (tohost) {
      this.tohostOffset = this.ram.offsetOf(tohost.value, 4);
      if (this.tohostOffset >= 0) this.setWatchpoints(this.watchpoints);
    }
    this.pc = image.entry >>> 0;
  }

  /**
   * Runs until `maxSteps` more steps are taken, the guest ends (exit, reset), waits for input, is stuck
   * in a trap loop that can never make progress, or meets a stop condition. A breakpoint at the pc
   * where the run starts does not stop it unless `ignoreBreakpointHere` is false (a run continuing
   * another, rather than resuming from a stop). With `stopConditions` false, breakpoints, watchpoints
   * and trap stops are ignored (a seek passes them by) without recompiling anything.
   */
  run(maxSteps = Infinity, ignoreBreakpointHere = true, stopConditions = true): StopReason {
    const end = this.step + maxSteps;
    this.conditionsOn = stopConditions;
    this.runStartStep = ignoreBreakpointHere ? this.step : -1;
    this.pendingStop = null;
    for (;;) {
      if (this.pendingStop) return this.takePendingStop();
      if (this.halted) return this.halted;
      if (this.step >= end) return { kind: 'limit' };
      if (this.conditionsOn && this.breakpoints.size !== 0 && this.breakpoints.has(this.pc) && this.step !== this.runStartStep) {
        return { kind: 'breakpoint', address: this.pc };
      }
      if (this.nextInterruptStep() <= this.step) {
        this.takeInterrupt();
        this.step++;
        continue;
      }
      this.sliceEnd = Math.min(end, this.nextInterruptStep());
      if (this.runSlice()) return { kind: 'input' };
    }
  }

  private takePendingStop(): StopReason {
    const stop = this.pendingStop!;
    this.pendingStop = null;
    return stop;
  }

  // ---- stop conditions ----

  /** Code breakpoints: the machine stops before executing an instruction at one of these addresses. */
  setBreakpoints(addresses: Iterable<number>): void {
    this.breakpoints.clear();
    for (const a of addresses) this.breakpoints.add(a >>> 0);
    // Blocks end before a breakpoint address, so that the check between blocks sees every one.
    this.flushDecodedCode();
  }

  setWatchpoints(watchpoints: readonly Watchpoint[]): void {
    this.watchpoints = [...watchpoints];
    const pagesOf = (w: Watchpoint): number[] => {
      const pages: number[] = [];
      const first = this.ram.offsetOf(w.address);
      if (first < 0 && this.ram.offsetOf(w.address + w.length - 1) < 0) return pages;
      const start = Math.max(0, (w.address - this.ram.base)) >>> 0;
      const last = Math.min(this.ram.size - 1, (w.address + w.length - 1 - this.ram.base) >>> 0);
      for (let p = start >>> PAGE_SHIFT; p <= last >>> PAGE_SHIFT; p++) pages.push(p);
      return pages;
    };
    const written = this.watchpoints.filter((w) => w.access !== 'read').flatMap(pagesOf);
    if (this.tohostOffset >= 0) written.push(this.tohostOffset >>> PAGE_SHIFT);
    const read = this.watchpoints.filter((w) => w.access !== 'write').flatMap(pagesOf);
    this.ram.setWatchedPages(written, read);
    const watchingReads = read.length > 0;
    if (watchingReads !== this.watchingReads) {
      this.watchingReads = watchingReads;
      this.flushDecodedCode();
    }
  }

  /** Stop after taking a trap with one of these mcause values. */
  setTrapStops(causes: Iterable<number>): void {
    this.trapStops.clear();
    for (const c of causes) this.trapStops.add(c >>> 0);
  }

  private checkWatchpoints(address: number, size: number, access: 'read' | 'write', pc: number): void {
    if (!this.conditionsOn) return;
    for (const w of this.watchpoints) {
      if (w.access !== 'readWrite' && w.access !== access) continue;
      if (address + size <= w.address || address >= w.address + w.length) continue;
      if (this.pendingStop === null) {
        this.pendingStop = { kind: 'watchpoint', address, size, access, pc, hitStep: this.exactStep(), watch: w };
      }
      // The run loop stops after this instruction: the store path ends the block after it, and loads
      // end their blocks while reads are watched.
      this.sliceEnd = 0;
      return;
    }
  }

  /** Runs steps until `sliceEnd`; returns true when an instruction has to wait for input. */
  private runSlice(): boolean {
    let pc = this.pc;
    let previous: Block | null = null;
    while (this.step < this.sliceEnd) {
      // Most blocks are followed by the same block as last time: try that before the page lookup.
      let block: Block;
      if (previous !== null && previous.successor !== null && previous.successor.start === pc && previous.successor.valid) {
        block = previous.successor;
      } else if (previous !== null && previous.otherSuccessor !== null && previous.otherSuccessor.start === pc && previous.otherSuccessor.valid) {
        block = previous.otherSuccessor;
      } else {
        block = this.blockAt(pc);
        if (previous !== null) {
          previous.otherSuccessor = previous.successor;
          previous.successor = block;
        }
      }
      previous = block;
      if (block.breakpoint && this.conditionsOn && this.step !== this.runStartStep) {
        this.pendingStop = { kind: 'breakpoint', address: pc };
        break;
      }
      const ops = block.ops;
      const n = ops.length;
      const region = block.region;
      if (region !== null && !this.slowExit && this.sliceEnd - this.step >= n) {
        pc = region.run(pc);
        previous = null;
        continue;
      }
      // After a region left an instruction to the interpreter, this block starts with it.
      this.slowExit = false;
      this.current = block;
      try {
        if (this.sliceEnd - this.step >= n) {
          this.batch = true;
          if (block.compiled !== null) {
            pc = block.compiled();
            if (++block.runs === HOT_REGION_RUNS) this.compileRegionAround(block);
          } else {
            for (let i = 0; i < n; i++) pc = ops[i]();
            if (++block.runs === HOT_BLOCK_RUNS && this.compiling) this.compileHotBlock(block);
          }
          this.batch = false;
          this.step += n;
        } else {
          // The slice ends inside this block: one instruction at a time, so the stop is exact.
          for (let i = 0; i < n && this.step < this.sliceEnd; i++) {
            pc = ops[i]();
            this.step++;
          }
        }
      } catch (e) {
        const next = this.endBlockEarly(e, block);
        if (next === undefined) return true;
        pc = next;
        previous = null;
      }
      this.current = null;
    }
    this.pc = pc;
    return false;
  }

  /**
   * An instruction inside `block` left the straight path by throwing: account for the steps the block
   * took before it, then continue after a trap, after a completed instruction, or (undefined) stop for
   * input with the instruction not executed.
   */
  private endBlockEarly(e: unknown, block: Block): number | undefined {
    if (!(e instanceof GuestTrap || e instanceof EndOfBlock || e instanceof InputWait)) {
      this.current = null;
      this.batch = false;
      throw e;
    }
    const index = block.pcs.indexOf(e.pc);
    if (this.batch) this.step += index;
    this.batch = false;
    this.current = null;
    if (e instanceof InputWait) {
      this.pc = e.pc;
      return undefined;
    }
    this.step++;
    if (e instanceof GuestTrap) return this.trap(e.cause, e.tval, e.pc);
    return index + 1 < block.pcs.length ? block.pcs[index + 1] : block.end;
  }

  /** The first tier: one JavaScript function per block, cheap to make and quick for V8 to optimize. */
  private compileHotBlock(block: Block): void {
    if (block.decoded === null) return;
    block.compiled = compileBlock(block.decoded, block.pcs, block.ops, block.end, this);
  }

  /**
   * Compiles (again) the region of the page where `block` starts: every hot block (compiled on its own
   * already) starting in that page, most-run first, up to the size V8 still optimizes. Colder blocks
   * stay out: a jump to one leaves the region, which costs less than V8 throwing away optimized code
   * that reaches a path it never saw run.
   */
  private compileRegionAround(block: Block): void {
    const page = ((block.start - this.ram.base) >>> 0) >>> REGION_SHIFT;
    if (this.regionCompiles[page] >= MAX_REGION_COMPILES) return;
    this.regionCompiles[page]++;
    this.regionsCompiled++;
    const candidates = (this.blockPages[page] ?? []).filter((b): b is Block =>
      b !== undefined && b.valid && b.runs >= HOT_BLOCK_RUNS && !b.breakpoint && b.decoded !== null);
    candidates.sort((a, b) => b.runs - a.runs);
    const chosen: Block[] = [];
    let instructions = 0;
    for (const b of candidates) {
      if (instructions + b.ops.length > MAX_REGION_INSTRUCTIONS) break;
      chosen.push(b);
      instructions += b.ops.length;
    }
    for (const b of candidates) b.region = null;
    const region = compileRegion(this.ram.base + (page << REGION_SHIFT), chosen, this);
    for (const b of chosen) b.region = region;
  }

  /** Steps taken before the instruction now executing (exact inside a block, too). */
  exactStep(): number {
    return this.batch && this.current ? this.step + this.current.pcs.indexOf(this.accessPc) : this.step;
  }

  /** The cached block that starts at `pc`, or a new one. */
  private blockAt(pc: number): Block {
    const offset = (pc - this.ram.base) >>> 0;
    if (offset < this.ram.size) {
      const cached = this.blockPages[offset >>> PAGE_SHIFT]?.[(offset & 0xfff) >>> 1];
      if (cached !== undefined && cached.valid) return cached;
    }
    return this.buildBlock(pc);
  }

  private buildBlock(start: number): Block {
    const ops: Op[] = [];
    const pcs: number[] = [];
    const decodedList: Array<Decoded | undefined> = [];
    let pc = start;
    for (;;) {
      const offset = (pc - this.ram.base) >>> 0;
      const fits = offset < this.ram.size && ((this.ram.u16[offset >>> 1] & 3) !== 3 || offset + 4 <= this.ram.size);
      if (ops.length > 0 && this.breakpoints.has(pc)) break;
      if (!fits) {
        // Fetching outside RAM faults; a block that already has instructions ends before it.
        if (ops.length > 0) break;
        const at = pc;
        const faultAt = offset < this.ram.size ? at + 2 : at;
        return { ops: [() => this.trap(Cause.InstructionAccessFault, faultAt, at)], pcs: [at], start: at, end: at + 2, valid: true, successor: null, otherSuccessor: null, runs: 0, compiled: null, decoded: null, region: null, breakpoint: this.breakpoints.has(at) };
      }
      const low = this.ram.u16[offset >>> 1];
      const length = (low & 3) === 3 ? 4 : 2;
      const raw = length === 4 ? (low | (this.ram.u16[(offset >>> 1) + 1] << 16)) >>> 0 : low;
      const decoded = decode(raw);
      const at = pc;
      ops.push(decoded ? compile(decoded, at, this) : () => this.trap(Cause.IllegalInstruction, raw, at));
      decodedList.push(decoded);
      pcs.push(at);
      this.ram.markCode(offset, length);
      pc = (pc + length) >>> 0;
      if (endsBlock(decoded?.spec.name, this.watchingReads) || ops.length >= MAX_BLOCK_LENGTH || (((pc - this.ram.base) >>> 0) & 0xfff) === 0) break;
    }
    const block: Block = {
      ops, pcs, start, end: pc, valid: true, successor: null, otherSuccessor: null, runs: 0, compiled: null,
      decoded: decodedList, region: null, breakpoint: this.breakpoints.has(start),
    };
    const first = ((start - this.ram.base) >>> 0);
    const page = first >>> PAGE_SHIFT;
    const slots = this.blockPages[page] ?? (this.blockPages[page] = new Array(1 << (PAGE_SHIFT - 1)).fill(undefined));
    slots[(first & 0xfff) >>> 1] = block;
    const lastPage = (((pc - 1 - this.ram.base) >>> 0) >>> PAGE_SHIFT);
    for (let p = page; p <= lastPage; p++) (this.pageBlocks[p] ??= []).push(block);
    return block;
  }

  /**
   * Drops the blocks that contain the words a store touched (a 4-byte instruction starting 2 bytes before
   * counts too). If the running block is one of them, it stops after the storing instruction.
   */
  private invalidateCode(offset: number, size: number): void {
    const low = this.ram.base + Math.max(0, (offset & ~3) - 2);
    const high = this.ram.base + ((offset + size - 1) | 3) + 1;
    let hitRunning = false;
    for (let page = offset >>> PAGE_SHIFT; page <= (offset + size - 1) >>> PAGE_SHIFT; page++) {
      const blocks = this.pageBlocks[page];
      // Data next to code in one page: most stores there touch no block, and must stay cheap.
      if (!blocks || !blocks.some((block) => block.end > low && block.start < high)) continue;
      this.pageBlocks[page] = blocks.filter((block) => {
        if (block.end <= low || block.start >= high) return true;
        block.valid = false;
        if (block === this.current) hitRunning = true;
        const region = block.region;
        if (region !== null) {
          // The whole region goes (its code has this block inlined); its other blocks heat up again.
          for (const other of region.blocks) {
            if (other.region === region) { other.region = null; other.runs = HOT_BLOCK_RUNS; }
          }
        }
        return false;
      });
    }
    if (hitRunning) this.runningBlockChanged = true;
  }

  /**
   * The instruction at `pc` (now completing its last effect) changed something the rest of its block
   * must see: stop the block after it. The last instruction of a block needs no stop; every instruction
   * that has effects after a store (sc, AMOs) ends its block, so this never cuts one short.
   */
  private endBlockAfter(pc: number): void {
    const block = this.current;
    if (block !== null && block.pcs[block.pcs.length - 1] !== pc) throw new EndOfBlock(pc);
  }

  /** RAM pages were rewritten behind the machine's back (a snapshot restore): drop code decoded from them. */
  memoryReplaced(pages: Iterable<number>): void {
    // A restore rewrites a page that holds code and data for its data, and leaves the code as it was:
    // keep the blocks (and regions) whose instructions are still there, so a seek stays compiled.
    for (const page of pages) {
      if (!this.ram.codePages[page]) continue;
      for (const block of [...(this.pageBlocks[page] ?? [])]) {
        if (block.valid && !this.codeUnchanged(block)) {
          this.invalidateCode((block.start - this.ram.base) >>> 0, block.end - block.start);
        }
      }
    }
    this.runningBlockChanged = false;
  }

  /** Whether RAM still holds the instructions `block` was decoded from. */
  private codeUnchanged(block: Block): boolean {
    const decoded = block.decoded;
    if (decoded === null) return false;
    const u16 = this.ram.u16;
    for (let i = 0; i < decoded.length; i++) {
      const d = decoded[i];
      const half = ((block.pcs[i] - this.ram.base) >>> 0) >>> 1;
      if (d === undefined || half + (d.length >>> 1) > u16.length) return false;
      const raw = d.length === 4 ? (u16[half] | (u16[half + 1] << 16)) >>> 0 : u16[half];
      if (raw !== d.raw >>> 0) return false;
    }
    return true;
  }

  /** Forgets every decoded instruction (after memory is replaced wholesale, e.g. a snapshot restore). */
  flushDecodedCode(): void {
    this.blockPages.fill(undefined);
    for (const blocks of this.pageBlocks) blocks?.forEach((block) => { block.valid = false; });
    this.pageBlocks.fill(undefined);
    this.regionCompiles.fill(0);
    this.ram.clearCodeMarks();
  }

  // ---- traps and interrupts ----

  trap(cause: Cause, tval: number, pc: number): number {
    this.accessPc = pc;
    const handler = this.enterTrap(cause, tval, pc);
    // A handler whose first instruction raises the same exception loops forever without changing
    // anything but counters: say so instead of spinning (a guest that executes garbage ends here).
    if (handler === pc) {
      this.halt({ kind: 'stuck', message: `the guest is stuck: the trap handler at ${hex(pc)} itself raises ${causeName(cause)} (mtvec = ${hex(this.csr.mtvec)})` });
    }
    return handler;
  }

  private enterTrap(mcause: number, tval: number, pc: number): number {
    if (this.conditionsOn && this.trapStops.size !== 0 && this.trapStops.has(mcause >>> 0) && this.pendingStop === null) {
      this.pendingStop = { kind: 'trap', mcause: mcause >>> 0, pc, hitStep: this.exactStep() };
    }
    this.unretired++;
    const csr = this.csr;
    csr.mepc = pc & ~1;
    csr.mcause = mcause | 0;
    csr.mtval = tval | 0;
    const mie = (csr.mstatus & MSTATUS_MIE) !== 0;
    csr.mstatus = (csr.mstatus & ~(MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP)) | (mie ? MSTATUS_MPIE : 0) | (this.privilege << 11);
    this.privilege = 3;
    this.recheckInterrupts();
    const base = (csr.mtvec & ~3) >>> 0;
    const vectored = (csr.mtvec & 3) === 1 && (mcause & INTERRUPT_BIT) !== 0;
    return vectored ? (base + 4 * (mcause & 0x7fffffff)) >>> 0 : base;
  }

  mret(): number {
    const csr = this.csr;
    this.privilege = (csr.mstatus & MSTATUS_MPP) >>> 11;
    const mpie = (csr.mstatus & MSTATUS_MPIE) !== 0;
    // MPP becomes the least-privileged mode (U), MPIE becomes 1, MIE takes MPIE.
    csr.mstatus = (csr.mstatus & ~(MSTATUS_MIE | MSTATUS_MPP)) | MSTATUS_MPIE | (mpie ? MSTATUS_MIE : 0);
    this.recheckInterrupts();
    return csr.mepc >>> 0;
  }

  ebreak(pc: number): number {
    this.accessPc = pc;
    if (this.isSemihostingCall(pc)) {
      this.x[10] = this.semihosting.call(this.x[10] >>> 0, this.x[11] >>> 0, this.semihostingGuest(pc));
      return (pc + 4) >>> 0;
    }
    return this.trap(Cause.Breakpoint, pc, pc);
  }

  private isSemihostingCall(pc: number): boolean {
    const before = this.ram.offsetOf(pc - 4, 4);
    const after = this.ram.offsetOf(pc + 4, 4);
    return before >= 0 && after >= 0
      && this.ram.read(before, 4) >>> 0 === SEMIHOSTING_ENTRY && this.ram.read(after, 4) >>> 0 === SEMIHOSTING_EXIT;
  }

  recheckInterrupts(): void {
    this.sliceEnd = 0;
  }

  pendingInterrupts(): number {
    return (this.clint.msip ? MIP_MSIP : 0) | (this.clint.timerPending() ? MIP_MTIP : 0);
  }

  mtime(): number {
    return this.clint.mtime();
  }

  /** The first step at which an enabled interrupt will be taken, given the state now. */
  private nextInterruptStep(): number {
    if (this.privilege === 3 && (this.csr.mstatus & MSTATUS_MIE) === 0) return Infinity;
    const enabled = this.csr.mie;
    if ((enabled & MIP_MSIP) !== 0 && this.clint.msip) return this.step;
    if ((enabled & MIP_MTIP) !== 0) return Math.max(this.step, this.clint.timerStep());
    return Infinity;
  }

  private takeInterrupt(): void {
    const pending = this.pendingInterrupts() & this.csr.mie;
    // Priority order of the privileged spec: external, software, timer.
    const code = pending & (1 << Interrupt.MachineExternal) ? Interrupt.MachineExternal
      : pending & MIP_MSIP ? Interrupt.MachineSoftware : Interrupt.MachineTimer;
    this.pc = this.enterTrap(INTERRUPT_BIT | code, 0, this.pc);
  }

  // ---- memory outside the fast path ----

  load(address: number, size: 1 | 2 | 4, signed: boolean, pc: number): number {
    address >>>= 0;
    this.accessPc = pc;
    let value: number;
    const offset = this.ram.offsetOf(address, size);
    if (offset >= 0) {
      value = this.ram.read(offset, size);
      if (this.watchingReads) this.checkWatchpoints(address, size, 'read', pc);
    } else {
      const device = this.deviceAt(address, size);
      if (!device) throw new GuestTrap(Cause.LoadAccessFault, address, pc);
      value = device.read(address - device.base, size);
    }
    if (size === 4) return value | 0;
    const shift = size === 1 ? 24 : 16;
    return signed ? (value << shift) >> shift : (value << shift) >>> shift;
  }

  store(address: number, size: 1 | 2 | 4, value: number, pc: number): void {
    address >>>= 0;
    this.accessPc = pc;
    const offset = this.ram.offsetOf(address, size);
    if (offset >= 0) {
      this.ram.write(offset, size, value);
    } else {
      const device = this.deviceAt(address, size);
      if (!device) throw new GuestTrap(Cause.StoreAccessFault, address, pc);
      device.write(address - device.base, size, value);
    }
    // The store ended the run (exit, watchpoint), changed when interrupts come or rewrote code of this
    // block: nothing after it may run first.
    if (this.sliceEnd === 0 || this.runningBlockChanged) {
      this.runningBlockChanged = false;
      this.endBlockAfter(pc);
    }
  }

  private deviceAt(address: number, size: number): Device | undefined {
    return this.devices.find((d) => address >= d.base && address + size <= d.base + d.size);
  }

  /** Reads guest RAM for tools (debuggers, semihosting); bytes outside RAM read as zero. */
  peek(address: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      const offset = this.ram.offsetOf(address + i);
      if (offset >= 0) out[i] = this.ram.u8[offset];
    }
    return out;
  }

  private poke(address: number, bytes: Uint8Array): void {
    bytes.forEach((byte, i) => {
      const offset = this.ram.offsetOf(address + i);
      if (offset >= 0) this.ram.write(offset, 1, byte);
    });
  }

  private semihostingGuest(pc: number): SemihostingGuest {
    return {
      step: this.exactStep(),
      readWord: (address) => new DataView(this.peek(address, 4).buffer).getInt32(0, true),
      readBytes: (address, length) => this.peek(address, Math.min(length, 1 << 20)),
      writeBytes: (address, bytes) => this.poke(address, bytes),
      heapInfo: () => {
        const heapBase = (this.imageEnd + 15) & ~15;
        const ramEnd = this.ram.base + this.ram.size;
        return [heapBase, ramEnd, ramEnd, heapBase];
      },
      exit: (code) => this.halt({ kind: 'exit', code, via: 'semihosting' }),
      waitForInput: () => { throw new InputWait(pc); },
    };
  }

  // ---- state for snapshots ----

  saveCore(): CoreState {
    return {
      x: Array.from(this.x.subarray(0, 32)), pc: this.pc, privilege: this.privilege, step: this.step,
      unretired: this.unretired, reservation: this.reservation, halted: this.halted, csr: this.csr.save(),
      clint: this.clint.save(), uart: this.uart.save(), semihosting: this.semihosting.save(),
    };
  }

  restoreCore(s: CoreState): void {
    this.x.set(s.x);
    this.x[32] = 0;
    this.pc = s.pc;
    this.privilege = s.privilege;
    this.step = s.step;
    this.unretired = s.unretired;
    this.reservation = s.reservation;
    this.halted = s.halted;
    this.csr.restore(s.csr);
    this.clint.restore(s.clint);
    this.uart.restore(s.uart);
    this.semihosting.restore(s.semihosting);
  }

  // ---- ending the run ----

  private finish(outcome: FinisherOutcome): void {
    this.halt(outcome.kind === 'exit' ? { kind: 'exit', code: outcome.code, via: 'test-finisher' } : { kind: 'reset' });
  }

  private checkTohost(offset: number, size: number): void {
    const t = this.tohostOffset;
    if (t < 0 || offset + size <= t || offset >= t + 4) return;
    const value = this.ram.read(t, 4) >>> 0;
    if (value === 0) return;
    if (value & 1) this.halt({ kind: 'exit', code: value >>> 1, via: 'htif' });
    else this.halt({ kind: 'stuck', message: `unsupported HTIF request ${hex(value)} written to tohost (only exit codes are handled)` });
  }

  private halt(reason: StopReason): void {
    if (!this.halted) this.halted = reason;
    this.sliceEnd = 0;
  }
}
