/**
 * The replay engine: the one runtime behind every front end (debug adapter, GDB stub, CLI). It owns a
 * machine replaying a recording, the snapshots, and the stop conditions, and answers travel requests:
 * seek to a step, run forward or backward until something happens, find the last or next write to
 * memory.
 *
 * Positions: the engine is always "at step n": n steps have run, and the instruction at pc is next.
 * A breakpoint, a step breakpoint and every reverse stop are positions before the step that matters;
 * a forward stop on a watchpoint or a trap is the position just after it (the access has happened).
 *
 * Long operations are async: they run in slices, report progress and check for cancellation between
 * slices, and always leave the engine at a consistent step.
 */
import { DEFAULT_CONFIG, Machine, MachineConfig, StopReason, Watchpoint } from '../machine';
import { parseElf } from '../elf';
import { ConsoleSink, OutsideWorld } from '../outside';
import { encodeCheckpoint, encodeEnd, encodeEvents, encodeHeader, InputEvent, Recording } from './recording-format';
import { LiveOutside } from './live-outside';
import { ReplayOutside } from './replay-outside';
import { sha256Hex } from './sha256';
import { ReplayDivergenceError, Snapshot, SnapshotStore } from './snapshots';

export interface EngineOptions {
  /** Memory for snapshots (default 512 MiB). */
  snapshotMemoryBytes?: number;
  /** Steps between automatic snapshots while running forward (default 2,000,000). */
  snapshotInterval?: number;
  /**
   * Where the guest's console output goes. Output is passed on once per step of history: replaying steps
   * that already ran (after going back) prints nothing again.
   */
  console?: ConsoleSink;
}

/** A live session: the program runs, is recorded as it runs, and can be travelled back at any moment. */
export interface LiveOptions extends EngineOptions {
  program: Uint8Array;
  programName: string;
  /** What the guest reads as its command line (semihosting); the program name unless given. */
  commandLine?: string;
  config?: MachineConfig;
  /** Console input known in advance (a file given as stdin): fed first, then end of input. */
  stdin?: Uint8Array;
  /** Receives the recording file as it grows (header, events, checkpoints, and the end at `finishLive`). */
  append?: (bytes: Uint8Array) => void;
  /** The host clock, in seconds since the epoch (for tests). */
  clock?: () => number;
}

/** Progress and cancellation for a long operation. */
export interface Control {
  progress?(done: number, total: number): void;
  cancelled?(): boolean;
}

export type EngineStop =
  | { reason: 'step' }
  | { reason: 'breakpoint'; address: number }
  | { reason: 'stepBreakpoint'; step: number }
  | { reason: 'watchpoint'; address: number; size: number; access: 'read' | 'write'; pc: number; watch: Watchpoint }
  | { reason: 'trap'; mcause: number; pc: number }
  | { reason: 'start' }
  | { reason: 'end'; exit?: StopReason }
  /** Live only: the program waits for input the user has not typed yet. */
  | { reason: 'input' }
  | { reason: 'cancelled' };

/** A hit found while scanning history: the position to stop at, and what it was. */
interface Hit {
  position: number;
  stop: EngineStop;
}

export class EngineError extends Error {}

const SLICE = 10_000_000;
/** While seeking backwards, a gap wider than this gets a snapshot in its middle (repeated reverse steps get cheap). */
const MIN_SNAPSHOT_GAP = 100_000;

export class ReplayEngine {
  readonly machine: Machine;
  readonly snapshots: SnapshotStore;
  private readonly outside: ReplayOutside | LiveOutside;
  private readonly interval: number;
  /** Live sessions only: appends to the recording file being written. */
  private readonly append?: (bytes: Uint8Array) => void;
  private lastAppendedEventStep = 0;
  /** The furthest step any run has reached: console output below it has been shown already. */
  private highWater = 0;
  private readonly stepBreakpointSet = new Set<number>();
  private breakpointAddresses: number[] = [];
  private watchpoints: Watchpoint[] = [];
  private trapCauses: number[] = [];
  /**
   * The last step of the recording (where the program exited or the recorder stopped). In a live
   * session, the furthest step run so far: it grows as the program runs on.
   */
  lastStep: number;
  /** True while the program can run on past `lastStep` (a live session whose program has not ended). */
  live: boolean;

  /** Opens a live session on a program: nothing has run yet; the recording grows as it runs. */
  static live(options: LiveOptions): ReplayEngine {
    const recording: Recording = {
      config: options.config ?? DEFAULT_CONFIG,
      programName: options.programName,
      commandLine: options.commandLine ?? options.programName,
      recordedAt: new Date().toISOString(),
      program: options.program,
      programHash: sha256Hex(options.program),
      events: [],
      checkpoints: [],
      lastStep: 0,
      recovery: '',
      sizeBytes: 0,
    };
    return new ReplayEngine(recording, options, options);
  }

  constructor(readonly recording: Recording, options: EngineOptions = {}, live?: LiveOptions) {
    const image = parseElf(recording.program);
    const console = options.console ?? { write: () => undefined };
    const once: ConsoleSink = { write: (stream, bytes) => { if (this.machine.step >= this.highWater) console.write(stream, bytes); } };
    let outside: ReplayOutside | LiveOutside;
    if (live) {
      const liveOutside = new LiveOutside(recording.events, (event) => this.recordEvent(event), live.clock);
      if (live.stdin) {
        liveOutside.sendInput(live.stdin);
        liveOutside.endInput();
      }
      outside = liveOutside;
      this.append = live.append;
      this.append?.(encodeHeader(recording));
    } else {
      outside = new ReplayOutside(recording.events, recording.lastStep);
    }
    this.outside = outside;
    this.live = live !== undefined;
    this.machine = new Machine(recording.config, outside satisfies OutsideWorld, once);
    this.machine.loadProgram(image);
    this.machine.semihosting.commandLine = recording.commandLine;
    this.snapshots = new SnapshotStore(this.machine, options.snapshotMemoryBytes ?? 512 * 1024 * 1024);
    this.interval = options.snapshotInterval ?? 2_000_000;
    this.lastStep = recording.lastStep;
    for (const c of [...recording.checkpoints, ...(recording.end ? [recording.end] : [])]) this.recordedHashes.set(c.step, c.hash);
    this.uncheckedSteps = [...this.recordedHashes.keys()].sort((a, b) => a - b);
    this.snapshots.take();
  }

  get step(): number {
    return this.machine.step;
  }

  // ---- stop conditions ----

  setBreakpoints(addresses: number[]): void {
    this.breakpointAddresses = [...addresses];
    this.machine.setBreakpoints(addresses);
  }

  setWatchpoints(watchpoints: Watchpoint[]): void {
    this.watchpoints = [...watchpoints];
    this.machine.setWatchpoints(watchpoints);
  }

  setTrapStops(mcauses: number[]): void {
    this.trapCauses = [...mcauses];
    this.machine.setTrapStops(mcauses);
  }

  /**
   * Step breakpoints (QEMU's replay-break, but any number). Adding one that exists changes nothing and
   * says so (returns false); one in the past is fine, since we can travel back to it.
   */
  addStepBreakpoint(step: number): boolean {
    this.checkStep(step);
    if (this.stepBreakpointSet.has(step)) return false;
    this.stepBreakpointSet.add(step);
    return true;
  }

  /** Removing a step breakpoint that does not exist is an error, not a silent no-op. */
  removeStepBreakpoint(step: number): void {
    if (!this.stepBreakpointSet.delete(step)) {
      throw new EngineError(`there is no step breakpoint at step ${step.toLocaleString('en-US')}`);
    }
  }

  stepBreakpoints(): number[] {
    return [...this.stepBreakpointSet].sort((a, b) => a - b);
  }

  // ---- travel ----

  /** Goes to step `n` exactly. */
  async seek(n: number, control: Control = {}): Promise<EngineStop> {
    this.checkStep(n);
    if (n < this.step || this.nearestSnapshotBeats(n)) await this.restoreFor(n);
    return this.advance(n, 'plain', control);
  }

  /** One instruction forward. */
  async stepForward(): Promise<EngineStop> {
    if (this.step >= this.lastStep && !this.live) return this.endStop();
    return this.advance(this.step + 1, 'plain', {});
  }

  /** One instruction back (QEMU's reverse-stepi: restore a snapshot, replay to the step before). */
  async stepBack(): Promise<EngineStop> {
    if (this.step === 0) return { reason: 'start' };
    await this.seek(this.step - 1);
    return { reason: 'step' };
  }

  /** Runs forward until a stop condition, a step breakpoint or the end of the recording. */
  async continueForward(control: Control = {}): Promise<EngineStop> {
    return this.advance(this.live ? Infinity : this.lastStep, 'stop', control);
  }

  // ---- live sessions ----

  /** Console input typed by the user, for the program's next reads (live sessions). */
  sendInput(bytes: Uint8Array): void {
    if (!(this.outside instanceof LiveOutside) || !this.live) {
      throw new EngineError('this session replays a recording: its input is the recorded input and cannot change');
    }
    this.outside.sendInput(bytes);
  }

  /** True when the live program is waiting for input at the frontier. */
  get waitingForInput(): boolean {
    return this.outside instanceof LiveOutside && this.live && this.step === this.lastStep && this.inputWait;
  }
  private inputWait = false;

  /**
   * Ends the live part of a session: the recording is complete up to `lastStep` and gets its end chunk
   * (with the state hash there). The engine stays usable for travel within the recording.
   */
  async finishLive(): Promise<void> {
    if (!(this.outside instanceof LiveOutside)) return;
    if (this.recording.end) return;
    const at = this.step;
    if (this.step !== this.lastStep) await this.seek(this.lastStep);
    this.writeEnd();
    if (at !== this.step) await this.seek(at);
  }

  /** At `lastStep`: closes the recording with its end chunk. */
  private writeEnd(): void {
    const hash = this.snapshots.take().hash;
    const reason = this.machine.halted ?? { kind: 'stopped', message: 'the live session ended here' };
    this.recording.end = { step: this.lastStep, hash, reason };
    this.append?.(encodeEnd({ step: this.lastStep, hash }, reason));
    this.live = false;
  }

  /** The whole recording so far as a `.rewind` file (complete once `finishLive` has run). */
  recordingBytes(): Uint8Array {
    const r = this.recording;
    const parts = [encodeHeader(r)];
    if (r.events.length) parts.push(encodeEvents(r.events, 0));
    for (const c of r.checkpoints) parts.push(encodeCheckpoint(c));
    if (r.end) parts.push(encodeEnd(r.end, r.end.reason));
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) { out.set(p, offset); offset += p.length; }
    return out;
  }

  private recordEvent(event: InputEvent): void {
    this.recording.events.push(event);
    this.append?.(encodeEvents([event], this.lastAppendedEventStep));
    this.lastAppendedEventStep = event.step;
  }

  /**
   * Reverse continue: walks the snapshot intervals backwards from here, replays each once, and stops at
   * the last hit before the current step; with none, stops at step 0 ("start of recording").
   */
  async continueBackward(control: Control = {}): Promise<EngineStop> {
    const from = this.step;
    if (from === 0) return { reason: 'start' };
    let segmentEnd = from;
    let scanned = 0;
    for (;;) {
      if (control.cancelled?.()) return this.cancelledAt(from);
      // Give the event loop a turn between intervals, so that a front end sees a cancel request in time.
      await new Promise((resolve) => setImmediate(resolve));
      if (control.cancelled?.()) return this.cancelledAt(from);
      const snapshot = this.snapshots.atOrBefore(segmentEnd - 1)!;
      const last = await this.lastHitIn(snapshot, segmentEnd, control);
      if (last === 'cancelled') return this.cancelledAt(from);
      scanned += segmentEnd - snapshot.step;
      control.progress?.(scanned, from);
      if (last) {
        await this.seek(last.position);
        return last.stop;
      }
      if (snapshot.step === 0) {
        await this.seek(0);
        return { reason: 'start' };
      }
      segmentEnd = snapshot.step;
    }
  }

  /** The last step before now that wrote to `[address, address + length)`, and go there. */
  async lastWrite(address: number, length: number, control: Control = {}): Promise<EngineStop> {
    return this.withOnlyWatchpoint({ address, length, access: 'write' }, () => this.continueBackward(control));
  }

  /** The next step after now that writes to `[address, address + length)`; stops after it. */
  async nextWrite(address: number, length: number, control: Control = {}): Promise<EngineStop> {
    return this.withOnlyWatchpoint({ address, length, access: 'write' }, () => this.continueForward(control));
  }

  // ---- internals ----

  private checkStep(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) throw new EngineError(`a step is a whole number from 0, not ${n}`);
    if (n > this.lastStep) {
      const ends = this.live ? 'the program has run to step' : 'the recording ends at step';
      throw new EngineError(`cannot go to step ${n.toLocaleString('en-US')}: ${ends} ${this.lastStep.toLocaleString('en-US')}`);
    }
  }

  private nearestSnapshotBeats(n: number): boolean {
    const s = this.snapshots.atOrBefore(n);
    return s !== undefined && s.step > this.step;
  }

  /** Restores the best snapshot for reaching `n`, leaving a snapshot midway if the gap is wide. */
  private async restoreFor(n: number): Promise<void> {
    const snapshot = this.snapshots.atOrBefore(n)!;
    this.snapshots.restore(snapshot);
    const gap = n - snapshot.step;
    if (gap > 2 * MIN_SNAPSHOT_GAP) {
      await this.advance(snapshot.step + Math.floor(gap / 2), 'plain', {});
      this.takeSnapshot();
    }
  }

  /**
   * Runs forward to step `target`, taking snapshots on the way. Modes: 'plain' ignores stop conditions;
   * 'stop' stops at breakpoints, watchpoints, trap stops, step breakpoints and the end of the
   * recording; 'scan' stops at the first three only (a reverse search handles step breakpoints itself).
   */
  private async advance(target: number, mode: 'plain' | 'stop' | 'scan', control: Control): Promise<EngineStop> {
    const start = this.step;
    let lastYield = start;
    for (;;) {
      // A step breakpoint on the last step is still a step breakpoint, not the end of the recording.
      if (mode === 'stop' && this.step !== start && this.stepBreakpointSet.has(this.step)) {
        return { reason: 'stepBreakpoint', step: this.step };
      }
      if (this.step >= target) return mode === 'stop' && this.step >= this.lastStep ? this.endStop() : { reason: 'step' };
      let limit = Math.min(target, this.nextSnapshotPoint(), this.nextUncheckedCheckpoint(), this.step + SLICE);
      if (mode === 'stop') limit = Math.min(limit, this.nextStepBreakpoint(this.step + 1, limit) ?? limit);
      const stop = this.runMachine(limit - this.step, mode !== 'plain', this.step === start);
      this.noteProgress();
      if (this.step >= this.nextSnapshotPoint() || this.recordedHashes.has(this.step)) this.takeSnapshot();
      if (stop) return stop;
      if (this.live && this.step === this.lastStep && (this.inputWait || (this.outside as LiveOutside).waitingForUart)) {
        this.inputWait = true;
        return { reason: 'input' };
      }
      if (this.step < limit) {
        // The program ended, or waits for input the recording does not have: the end of the recording.
        this.lastStep = Math.min(this.lastStep, this.step);
        if (this.live && this.machine.halted) this.writeEnd();
        return this.endStop();
      }
      if (this.step - lastYield >= SLICE) {
        lastYield = this.step;
        // A live run has no known end: total 0 means "unknown".
        control.progress?.(this.step - start, Number.isFinite(target) ? Math.max(1, target - start) : 0);
        await new Promise((resolve) => setImmediate(resolve));
        if (control.cancelled?.()) return { reason: 'cancelled' };
      }
    }
  }

  /** Runs the machine; returns a stop if a condition was met (only when they are enabled). */
  private runMachine(steps: number, conditions: boolean, resuming: boolean): EngineStop | undefined {
    const r = this.machine.run(steps, resuming, conditions);
    this.inputWait = r.kind === 'input';
    switch (r.kind) {
      case 'breakpoint':
        this.lastHitPosition = this.step;
        return { reason: 'breakpoint', address: r.address };
      case 'watchpoint':
        this.lastHitPosition = r.hitStep;
        return { reason: 'watchpoint', address: r.address, size: r.size, access: r.access, pc: r.pc, watch: r.watch };
      case 'trap':
        this.lastHitPosition = r.hitStep;
        return { reason: 'trap', mcause: r.mcause, pc: r.pc };
      default:
        return undefined;
    }
  }

  /** Where a reverse search stops for the last condition met: before the step that met it. */
  private lastHitPosition = 0;

  /** After a run: moves the high-water mark, and in a live session the frontier of the recording. */
  private noteProgress(): void {
    if (this.step <= this.highWater) return;
    this.highWater = this.step;
    if (this.outside instanceof LiveOutside && this.step > this.lastStep) {
      this.lastStep = this.step;
      this.recording.lastStep = this.step;
      this.outside.frontier = this.step;
    }
  }

  /** Takes a snapshot; in a live session one past the last checkpoint also goes in the file as one. */
  private takeSnapshot(): void {
    const snapshot = this.snapshots.take();
    this.checkRecordedHash(snapshot);
    const checkpoints = this.recording.checkpoints;
    if (this.append && this.live && snapshot.step > (checkpoints[checkpoints.length - 1]?.step ?? 0)) {
      const checkpoint = { step: snapshot.step, hash: snapshot.hash };
      checkpoints.push(checkpoint);
      this.append(encodeCheckpoint(checkpoint));
    }
  }

  /**
   * The state hashes the recorder wrote (checkpoints and the end), by step, until each is checked once.
   * A replay reaching one takes a snapshot there and compares: a replay that diverged from the recording
   * (a bug of ours, or a tampered file) is reported with the step, never followed silently.
   */
  private readonly recordedHashes = new Map<number, string>();
  private uncheckedSteps: number[] = [];

  private nextUncheckedCheckpoint(): number {
    while (this.uncheckedSteps.length && this.uncheckedSteps[0] <= this.step && !this.recordedHashes.has(this.uncheckedSteps[0])) this.uncheckedSteps.shift();
    for (const step of this.uncheckedSteps) if (step > this.step) return step;
    return Infinity;
  }

  private checkRecordedHash(snapshot: Snapshot): void {
    const expected = this.recordedHashes.get(snapshot.step);
    if (expected === undefined) return;
    this.recordedHashes.delete(snapshot.step);
    if (snapshot.hash !== expected) {
      throw new ReplayDivergenceError(`the replay diverged from the recording at step ${snapshot.step.toLocaleString('en-US')}: ` +
        `the machine state there differs from the one recorded (the recording may be damaged or made by another version of Rewind)`);
    }
  }

  private nextSnapshotPoint(): number {
    const s = this.snapshots.atOrBefore(this.step)!;
    return s.step + this.interval;
  }

  private nextStepBreakpoint(from: number, to: number): number | undefined {
    let best: number | undefined;
    for (const s of this.stepBreakpointSet) if (s >= from && s <= to && (best === undefined || s < best)) best = s;
    return best;
  }

  /** Replays `[snapshot.step, end)` once and returns the last hit in it (before `end`). */
  private async lastHitIn(snapshot: Snapshot, end: number, control: Control): Promise<Hit | undefined | 'cancelled'> {
    this.snapshots.restore(snapshot);
    let last: Hit | undefined;
    const note = (hit: Hit): void => {
      if (hit.position < end && (!last || hit.position > last.position)) last = hit;
    };
    for (const s of this.stepBreakpointSet) {
      if (s >= snapshot.step) note({ position: s, stop: { reason: 'stepBreakpoint', step: s } });
    }
    // A run never stops at a breakpoint where it starts; the snapshot's own position is checked here.
    if (this.breakpointAddresses.includes(this.machine.pc)) {
      note({ position: this.step, stop: { reason: 'breakpoint', address: this.machine.pc } });
    }
    while (this.step < end) {
      const stop = await this.advance(end, 'scan', control);
      if (stop.reason === 'cancelled') return 'cancelled';
      if (stop.reason === 'step' || stop.reason === 'end') break;
      note({ position: this.lastHitPosition, stop });
      // The next run passes by a breakpoint here, but after a watchpoint or trap stop it is a hit of its own.
      if (stop.reason !== 'breakpoint' && this.breakpointAddresses.includes(this.machine.pc)) note({ position: this.step, stop: { reason: 'breakpoint', address: this.machine.pc } });
      // A hit far from the last snapshot gets one, so that going back to it replays little.
      if (this.step - this.snapshots.atOrBefore(this.step)!.step >= MIN_SNAPSHOT_GAP) this.takeSnapshot();
    }
    return last;
  }

  private async withOnlyWatchpoint(watch: Watchpoint, run: () => Promise<EngineStop>): Promise<EngineStop> {
    const saved = { bps: this.breakpointAddresses, wps: this.watchpoints, traps: this.trapCauses, steps: new Set(this.stepBreakpointSet) };
    this.setBreakpoints([]);
    this.setWatchpoints([watch]);
    this.setTrapStops([]);
    this.stepBreakpointSet.clear();
    try {
      return await run();
    } finally {
      this.setBreakpoints(saved.bps);
      this.setWatchpoints(saved.wps);
      this.setTrapStops(saved.traps);
      for (const s of saved.steps) this.stepBreakpointSet.add(s);
    }
  }

  private endStop(): EngineStop {
    return { reason: 'end', exit: this.machine.halted ?? undefined };
  }

  private async cancelledAt(from: number): Promise<EngineStop> {
    await this.seek(from);
    return { reason: 'cancelled' };
  }
}
