/**
 * The RV32IMAC machine on QEMU's `virt` memory map: one hart, RAM, CLINT, PLIC, UART, test finisher,
 * semihosting and HTIF. A step is one retired instruction, or one trap or interrupt taken (so that every
 * step changes visible state and a debugger can stop on the first instruction of a handler).
 *
 * This file holds the machine's state and public API, and wires its parts together; each part is one
 * concept in its own file, and talks to the machine through a small interface it declares:
 * - run/run-loop.ts: the run loop (slices between interrupts, block chaining, exact stops);
 * - cpu/code-cache.ts: decoded blocks per page and the compiled tiers (blocks, regions), invalidation;
 * - run/stop-conditions.ts: breakpoints, watchpoints, trap stops;
 * - cpu/trap-entry.ts: taking traps and interrupts, mret;
 * - memory/bus.ts: RAM and memory-mapped devices (the slow path of loads and stores);
 * - devices/virt-board.ts: the devices, their interrupt lines, and when console input arrives;
 * - semihosting-call.ts and devices/htif.ts: the two ways a guest talks to the host besides devices;
 * - core-state.ts: its state besides RAM, taken and put back for recordings and snapshots.
 * With `compile: false` everything runs as closures: the reference that test/speed compares the
 * compiled tiers against.
 */
import { ExecContext } from './cpu/compile';
import { CsrContext, CsrFile } from './cpu/csr-file';
import { Cause, causeName } from './cpu/traps';
import { enterTrap, nextInterruptStep, returnFromSupervisorTrap, returnFromTrap } from './cpu/trap-entry';
import { Access, lookup, translate, translates } from './memory/sv32';
import { TranslatedRun } from './run/translated-run';
import { RegionHost } from './cpu/region';
import { CodeCache } from './cpu/code-cache';
import { SCRATCH_PAGES, warmUpInterpreterAndRunLoop } from './run/run-loop-warm-up';
import { markMutable } from './mutable-fields';
import { PAGE_SHIFT, Ram } from './memory/ram';
import { Bus } from './memory/bus';
import { loadAcrossPages, peekVirtual, storeAcrossPages } from './memory/virtual-access';
import { Clint } from './devices/clint';
import { Uart } from './devices/uart';
import { Plic } from './devices/plic';
import { VirtBoard } from './devices/virt-board';
import { Htif } from './devices/htif';
import { Semihosting } from './semihosting';
import { isSemihostingCall, semihostingGuest } from './semihosting-call';
import { ConsoleSink, OutsideWorld, ScriptedOutside } from './outside';
import { ElfImage } from './elf';
import { RunHost, RunLoop } from './run/run-loop';
import { StopConditions } from './run/stop-conditions';
import { StopReason, Watchpoint } from './run/stop-reason';
import { CoreState, DEFAULT_REGION_COMPILER, MachineConfig, MachineOptions } from './machine-config';
import { loadSegments, startAddress } from './program-loader';
import { pagesWatched } from './run/watched-pages';
import { coreStateOf, restoreCoreState } from './core-state';
import { hexAddress as hex } from './hex';

export type { StopReason, Watchpoint } from './run/stop-reason';
export { DEFAULT_CONFIG } from './machine-config';
export type { CoreState, MachineConfig, MachineOptions, RegionCompiler } from './machine-config';

export class Machine implements ExecContext, CsrContext, RegionHost, RunHost {
  /** Integer registers; entry 32 absorbs writes to x0. In RAM's memory, for compiled code (ram.ts). */
  readonly x: Int32Array;
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
  readonly plic: Plic;
  readonly semihosting: Semihosting;
  private readonly board: VirtBoard;
  private readonly bus: Bus;
  private readonly htif: Htif;
  /** Why the machine stopped for good (exit, reset, stuck); null while it can run. */
  halted: StopReason | null = null;
  /** Address of the instruction now in a slow path (for the exact step and for early block ends). */
  accessPc = 0;
  /**
   * The run loop's slice ends at this step; setting it to 0 ends the slice after the current step.
   * Public for compiled regions, which read it when they start; nothing else should.
   */
  sliceEnd = 0;
  /** A compiled region returned before an instruction it leaves to the interpreter (see region.ts). */
  slowExit = false;
  /** Loads check `ram.readWatchedPages` (compiled in only while a read watchpoint exists). */
  watchingReads = false;
  private readonly stops = new StopConditions();
  readonly code: CodeCache;
  private readonly loop: RunLoop;
  private readonly translated: TranslatedRun;
  private imageEnd: number;
  /**
   * RAM pages the program loader wrote. The loader does not go through the write barrier (nothing has
   * run yet), so the state hash and the first snapshot take these pages from here.
   */
  readonly loadedPages: number[] = [];

  constructor(
    readonly config: MachineConfig,
    readonly outside: OutsideWorld,
    sink: ConsoleSink,
    readonly options: MachineOptions = {},
  ) {
    this.ram = new Ram(config.ramBase, config.ramSize);
    this.x = this.ram.registers;
    this.imageEnd = config.ramBase;
    this.csr = new CsrFile(this, this.ram.csrWords);
    this.board = new VirtBoard(this, this.ram, sink, config.stepsPerTick);
    ({ clint: this.clint, uart: this.uart, plic: this.plic, bus: this.bus } = this.board);
    this.htif = new Htif(this.ram, sink, (reason) => this.halt(reason));
    // The run loop and the chain of regions read it (bench/kernel's first trap threw both away).
    markMutable(this, { privilege: 0 });
    this.semihosting = new Semihosting(outside, sink);
    // When code gets hot, the block interpreter and the run loop see their every path run before V8 optimizes them.
    const scratch = (): Machine => new Machine({ ...config, ramSize: SCRATCH_PAGES << PAGE_SHIFT }, new ScriptedOutside(), { write: () => undefined });
    this.code = new CodeCache(this, this.stops.breakpoints, options.compile !== false, options.compiler ?? DEFAULT_REGION_COMPILER, () => warmUpInterpreterAndRunLoop(scratch));
    this.loop = new RunLoop(this, this.code, this.stops);
    this.translated = new TranslatedRun(this, this.stops);
    this.ram.onCodeWrite = (offset, size) => {
      this.code.invalidate(offset, size);
      this.loop.codeInvalidated();
    };
    this.ram.onWatchedWrite = (offset, size) => {
      this.htif.written(offset, size);
      if (this.stops.watchpoints.length !== 0) this.checkWatchpoints(this.ram.base + offset, size, 'write', this.accessPc);
    };
  }

  /** Regions compiled so far, and how many to WebAssembly (tests check that compiled code really ran). */
  get regionsCompiled(): number { return this.code.regionsCompiled; }
  get wasmRegionsCompiled(): number { return this.code.wasmRegionsCompiled; }
  /** Warm blocks compiled to WebAssembly outside regions of hot code (the cases of hot switches: cpu/wasm/warm-cases.ts). */
  get warmBlocksCompiled(): number { return this.code.warmBlocksCompiled; }
  /** Steps of idle loops taken at once, without running their turns (run/run-loop.ts). */
  get idleStepsSkipped(): number { return this.loop.idleStepsSkipped; }

  /** Loads an ELF's PT_LOAD segments at their physical addresses and starts where QEMU's `-kernel` with `-bios none` does (program-loader.ts), on a machine that has not run yet. */
  loadProgram(image: ElfImage): void {
    if (this.step !== 0 || this.loadedPages.length !== 0) throw new Error('a program can only be loaded into a machine that has not run');
    const loaded = loadSegments(this.ram, image.segments);
    this.loadedPages.push(...loaded.pages);
    this.imageEnd = Math.max(this.imageEnd, loaded.imageEnd);
    // Writes to tohost are watched (RAM's write barrier).
    if (this.htif.locate(image)) this.setWatchpoints(this.stops.watchpoints);
    this.pc = startAddress(this.ram, image.segments, image.entry);
  }

  /**
   * Runs until `maxSteps` more steps are taken, the guest ends (exit, reset), waits for input, is stuck
   * in a trap loop that can never make progress, or meets a stop condition. A breakpoint at the pc
   * where the run starts does not stop it unless `ignoreBreakpointHere` is false (a run continuing
   * another, rather than resuming from a stop). With `stopConditions` false, breakpoints, watchpoints
   * and trap stops are ignored (a seek passes them by) without recompiling anything.
   */
  run(maxSteps = Infinity, ignoreBreakpointHere = true, stopConditions = true): StopReason {
    return this.loop.run(maxSteps, ignoreBreakpointHere, stopConditions);
  }

  /**
   * While true, a UART poll that finds no byte after the input has ended (OutsideWorld.uartInputEnded)
   * ends the run there (`endRun`). The command line's first, long slice (cli/run-slices.ts) sets it.
   */
  endRunAtEndedInput = false;

  /**
   * Ends the run in progress after the instruction now executing (its block, if it runs whole): `run`
   * returns 'ended' unless another stop came in the same step. For the command line's checks between
   * slices (cli/run-slices.ts); a slice ends at any step with the same guest behaviour.
   */
  endRun(): void {
    if (this.stops.pending === null) this.stops.pending = { kind: 'ended' };
    this.sliceEnd = 0;
  }

  /** Steps taken before the instruction now executing (exact inside a block, too). */
  exactStep(): number {
    return this.loop.exactStep(this.accessPc);
  }

  // ---- stop conditions ----

  /** Code breakpoints: the machine stops before executing an instruction at one of these addresses. */
  setBreakpoints(addresses: Iterable<number>): void {
    // Blocks end before a breakpoint address: recompile the pages where breakpoints came or went.
    this.code.breakpointsChanged(this.stops.setBreakpoints(addresses));
  }

  setWatchpoints(watchpoints: readonly Watchpoint[]): void {
    this.stops.watchpoints = [...watchpoints];
    const { written, read } = pagesWatched(this.ram, watchpoints);
    if (this.htif.offset >= 0) written.push(this.htif.offset >>> PAGE_SHIFT);
    this.ram.setWatchedPages(written, read);
    const watchingReads = read.length > 0;
    if (watchingReads !== this.watchingReads) {
      // Loads compile differently while reads are watched (they check the watched pages).
      this.watchingReads = watchingReads;
      this.code.flush();
      this.translated.flush();
    }
  }

  /** Stop after taking a trap with one of these mcause values. */
  setTrapStops(causes: Iterable<number>): void {
    this.stops.setTrapStops(causes);
  }

  private checkWatchpoints(address: number, size: number, access: 'read' | 'write', pc: number): void {
    // On a hit, the run loop stops after this instruction: the store path ends the block after it, and
    // loads end their blocks while reads are watched.
    if (this.stops.checkWatchpoints(address, size, access, pc, () => this.exactStep())) this.sliceEnd = 0;
  }

  // ---- decoded code ----

  /** RAM pages were rewritten behind the machine's back (a snapshot restore): drop code decoded from them. */
  memoryReplaced(pages: Iterable<number>): void {
    this.code.memoryReplaced(pages);
    this.loop.memoryReplaced();
  }

  /** Forgets every decoded instruction. */
  flushDecodedCode(): void {
    this.code.flush();
  }

  // ---- traps and interrupts (cpu/trap-entry.ts) ----

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

  takeInterrupt(mcause: number): void {
    this.pc = this.enterTrap(mcause, 0, this.pc);
  }

  private enterTrap(mcause: number, tval: number, pc: number): number {
    this.stops.trapTaken(mcause, pc, () => this.exactStep());
    // A trap stop ends the run after this step (a trap ends its block, so the slice end is enough).
    if (this.stops.pending !== null) this.sliceEnd = 0;
    this.unretired++;
    return enterTrap(this, mcause, tval, pc);
  }

  mret(): number {
    return returnFromTrap(this);
  }

  sret(): number {
    return returnFromSupervisorTrap(this);
  }

  /** sfence.vma: nothing is cached across page-table walks (see memory/sv32.ts), so nothing to drop. */
  fenceTranslations(): void {
    // Intentionally empty.
  }

  // ---- address translation (memory/sv32.ts, run/translated-run.ts) ----

  /** Sv32 paging applies to fetches or data accesses now: the run loop runs translated code. */
  get translating(): boolean {
    return translates(this, Access.Fetch) || translates(this, Access.Load);
  }

  /** Runs a slice of translated code (see run/translated-run.ts); true when waiting for input. */
  runTranslatedSlice(): boolean {
    return this.translated.runSlice(() => this.translating);
  }

  /**
   * The physical address of a data access of `size` bytes at virtual `address`; an access that crosses
   * a page is split by the caller (each page may map anywhere).
   */
  private physical(address: number, access: Access, pc: number): number {
    return translates(this, access) ? translate(this, address, access, pc) : address;
  }

  ebreak(pc: number): number {
    this.accessPc = pc;
    if (isSemihostingCall(this.bus, pc)) {
      const guest = semihostingGuest(this.bus, pc, this.exactStep(), this.imageEnd, (reason) => this.halt(reason));
      this.x[10] = this.semihosting.call(this.x[10] >>> 0, this.x[11] >>> 0, guest);
      return (pc + 4) >>> 0;
    }
    return this.trap(Cause.Breakpoint, pc, pc);
  }

  /**
   * Interrupt enables or pending bits may have changed (a CSR instruction, mret, a trap: each ends its
   * block). The slice ends early only if an interrupt now comes before its end: clearing mstatus.MIE
   * (entering a critical section) never needs that, and setting it again needs it only when an enabled
   * interrupt is due; one due later just moves the slice end to that step, without leaving compiled code.
   * `idle`: asked from `wfi` (see nextInterruptStep).
   */
  recheckInterrupts(idle = 0): void {
    // nextInterruptStep counts from `step`, which inside a block is its first step: an early bound.
    const next = nextInterruptStep(this, idle);
    if (next >= this.sliceEnd) return;
    this.sliceEnd = next <= this.exactStep() + 1 ? 0 : next;
  }

  /**
   * Address translation may have turned on (satp, mstatus, or a change of privilege): code that runs
   * untranslated from the physical code cache must stop after this instruction, so that the run loop
   * goes on with translated code (run/translated-run.ts checks the other way after every instruction).
   */
  addressingChanged(): void {
    if (this.translating) this.sliceEnd = 0;
  }

  pendingInterrupts(): number {
    return this.board.pendingInterrupts();
  }

  inputInterruptStep(enabled: number, timerDue: boolean, idle: number): number {
    return this.board.input.arrivalStep(enabled, idle, timerDue);
  }

  receiveDueInput(): void { this.board.input.receiveDue(); }
  /** The idle `wfi`s that run-loop.ts may skip at once before input the guest awaits arrives (uart-input.ts). */
  idleWaitsBeforeInput(): number { return this.board.input.idleWaitsBeforeArrival(); }

  interruptSourcesChanged(): void {
    // nextInterruptStep counts from `step`, which inside a block is its first step: an early bound.
    if (nextInterruptStep(this) < this.sliceEnd) this.sliceEnd = 0;
  }

  waitForInterrupt(pc: number): void {
    this.accessPc = pc;
    this.recheckInterrupts(1);
  }

  timerStep(): number {
    return this.clint.timerStep();
  }

  mtimeHalf(upper: boolean): number {
    return this.clint.mtimeHalves()[upper ? 'hi' : 'lo'];
  }

  // ---- memory outside the fast path (memory/bus.ts) ----

  load(address: number, size: 1 | 2 | 4, signed: boolean, pc: number): number {
    address >>>= 0;
    this.accessPc = pc;
    if (this.csr.satp < 0 && translates(this, Access.Load)) {
      // A misaligned load that crosses a page goes byte by byte through each page's translation.
      if ((address & 0xfff) + size > 4096) return loadAcrossPages(this.bus, (va) => this.physical(va, Access.Load, pc), address, size, signed, pc);
      address = translate(this, address, Access.Load, pc);
    }
    const value = this.bus.load(address, size, signed, pc);
    if (this.watchingReads && this.ram.offsetOf(address, size) >= 0) this.checkWatchpoints(address, size, 'read', pc);
    return value;
  }

  store(address: number, size: 1 | 2 | 4, value: number, pc: number): void {
    address >>>= 0;
    this.accessPc = pc;
    if (this.csr.satp < 0 && translates(this, Access.Store)) {
      if ((address & 0xfff) + size > 4096) {
        storeAcrossPages(this.bus, (va) => this.physical(va, Access.Store, pc), address, size, value, pc);
        this.loop.afterStore(pc);
        return;
      }
      address = translate(this, address, Access.Store, pc);
    }
    this.bus.store(address, size, value, pc);
    this.loop.afterStore(pc);
  }

  /**
   * Reads guest RAM for tools (debuggers); bytes outside RAM read as zero. Addresses are what the code
   * now running uses: virtual while S- or U-mode code runs with paging on (unmapped bytes read as zero).
   */
  peek(address: number, length: number): Uint8Array {
    if (!translates(this, Access.Fetch)) return this.bus.peek(address, length);
    return peekVirtual(this.bus, (va) => lookup(this, va), address, length);
  }

  // ---- state for snapshots (core-state.ts) ----

  saveCore(): CoreState { return coreStateOf(this); }
  restoreCore(s: CoreState): void { restoreCoreState(this, this.board, s); }

  /** The guest ended (exit, reset) or cannot go on: the run returns this from now on. */
  halt(reason: StopReason): void {
    if (!this.halted) this.halted = reason;
    this.sliceEnd = 0;
  }
}
