/**
 * The replay engine: the one runtime under the time-travel core (debugger/). It owns a machine replaying
 * a recording and the snapshots, and answers three requests: seek to a step, step one instruction either
 * way, and run either way until something in a stop set (`Until`, a value passed with each run) happens.
 * It keeps no stop conditions of its own: every run says what it stops at.
 *
 * Positions: the engine is always "at step n": n steps have run, and the instruction at pc is next.
 * A breakpoint, a step breakpoint and every reverse stop are positions before the step that matters;
 * a forward stop on a watchpoint or a trap is the position just after it (the access has happened).
 *
 * Long operations are async: they run in slices, report progress and check for cancellation between
 * slices, and always leave the engine at a consistent step.
 */
import { Machine } from '../machine';
import { codeBytes } from '../elf';
import { ConsoleSink, OutsideWorld } from '../outside';
import { programImage, Recording } from './recording-format';
import { LiveRecording, LiveOptions } from './live-recording';
import { ReplayOutside } from './replay-outside';
import { RecordedHashes } from './recorded-hashes';
import { Snapshot, SnapshotStore, stoppedBeforeRecorded } from './snapshots';
import { IndexedSnapshots } from './indexed-snapshots';
import { SnapshotSpacing } from './snapshot-spacing';
import { Control, EngineOptions, EngineStop } from './engine-types';
import { Direction, firstStepBreakpoint, lastStepBreakpoint, MachineStops, NOTHING, nothingStops, onlyStepBreakpoints, onlyWatchedWrites, PreparedUntil, prepareUntil, Until } from './until';

export type { Direction, Until } from './until';
export type { Control, EngineOptions, EngineStop } from './engine-types';
export type { LiveOptions } from './live-recording';

/** A hit found while scanning history: the position to stop at, and what it was. */
interface Hit { position: number; stop: EngineStop }

export class EngineError extends Error {}

/** Runs go PIECE steps at a time, with a turn for the event loop every SLICE steps or TURN_MS (slow steps, a flood of output, say, must not keep `pause` waiting); Date.now(), as `performance` loads perf_hooks (~0.8 ms of a fresh `rewind replay`). */
const SLICE = 10_000_000, PIECE = 1_000_000, TURN_MS = 50;
/**
 * While seeking, a gap wider than twice this gets a snapshot in its middle (repeated reverse steps get
 * cheap) and one this far before the target (a reverse step or a statement step back from there replays little).
 */
const MIN_SNAPSHOT_GAP = 100_000;
const PLAIN: PreparedUntil = prepareUntil(NOTHING);

export class ReplayEngine {
  readonly machine: Machine;
  readonly snapshots: SnapshotStore;
  private readonly outside: OutsideWorld;
  private readonly spacing: SnapshotSpacing;
  private readonly stops: MachineStops;
  /** A live session's recording as it grows (undefined when replaying a file). */
  private readonly liveRecording?: LiveRecording;
  readonly index?: IndexedSnapshots;
  private readonly console: ConsoleSink;
  /** Steps the machine ran for this engine, replays included (what the snapshot index spares shows here). */
  stepsRun = 0;
  /** The recorder's state hashes, each checked when a replay first reaches its step. */
  private readonly recordedHashes: RecordedHashes;
  /** The furthest step any run has reached: console output below it has been shown already. */
  private highWater = 0;
  /** The recording's last step (where the program exited or the recorder stopped); live, the furthest step run so far. */
  lastStep: number;

  /** Opens a live session on a program: nothing has run yet; the recording grows as it runs. */
  static live(options: LiveOptions): ReplayEngine {
    return new ReplayEngine(LiveRecording.emptyRecording(options), options, options);
  }

  constructor(readonly recording: Recording, options: EngineOptions = {}, live?: LiveOptions) {
    const image = programImage(recording.program);
    const console = this.console = options.console ?? { write: () => undefined };
    const once: ConsoleSink = { write: (stream, bytes) => { this.liveRecording?.outside.noteOutput(); if (this.machine.step >= this.highWater) console.write(stream, bytes); } };
    if (live) {
      this.liveRecording = new LiveRecording(recording, live);
      this.outside = this.liveRecording.outside;
    } else {
      this.outside = new ReplayOutside(recording.events, recording.lastStep);
    }
    this.machine = new Machine(recording.config, this.outside, once, { codeBytes: codeBytes(image) });
    this.machine.loadProgram(image);
    this.machine.semihosting.commandLine = recording.commandLine;
    this.stops = new MachineStops(this.machine);
    this.snapshots = new SnapshotStore(this.machine, options.snapshotMemoryBytes ?? 512 * 1024 * 1024, options.maxSnapshots ?? 10_000);
    this.spacing = new SnapshotSpacing(this.snapshots, options.snapshotInterval ?? 2_000_000);
    this.lastStep = recording.lastStep;
    this.recordedHashes = new RecordedHashes(recording);
    this.snapshots.take();
    if (options.snapshotIndex && !live) {
      this.index = new IndexedSnapshots(options.snapshotIndex, recording, this.snapshots, options.say ?? (() => undefined), this.machine.ram.pageCount);
    }
  }

  get step(): number { return this.machine.step; }

  /** The furthest step any run has reached (all of history up to it has been shown). */
  get furthestRun(): number { return this.highWater; }

  /** True while the program can run on past `lastStep` (a live session whose program has not ended). */
  get live(): boolean { return this.liveRecording?.running ?? false; }

  /** Checks that `n` is a step of the recording; the error says what the valid steps are. */
  checkStep(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) throw new EngineError(`a step is a whole number from 0, not ${n}`);
    if (n > this.lastStep) {
      const ends = this.live ? 'the program has run to step' : 'the recording ends at step';
      throw new EngineError(`cannot go to step ${n.toLocaleString('en-US')}: ${ends} ${this.lastStep.toLocaleString('en-US')}`);
    }
  }

  // ---- travel ----

  /** Goes to step `n` exactly. */
  async seek(n: number, control: Control = {}): Promise<EngineStop> {
    this.checkStep(n);
    this.fromIndex(n, n < this.step ? -1 : this.step);
    if (n < this.step || this.nearestSnapshotBeats(n)) await this.restoreFor(n);
    return this.advance(n, PLAIN, 'plain', control, n);
  }

  /**
   * One instruction forward or back, ignoring every stop condition (QEMU's stepi / reverse-stepi: back is
   * a restore of a snapshot and a replay to the step before).
   */
  async stepInstruction(direction: Direction): Promise<EngineStop> {
    if (direction === 'forward') {
      if (this.step >= this.lastStep && !this.live) return this.endStop();
      return this.advance(this.step + 1, PLAIN, 'plain', {});
    }
    if (this.step === 0) return { reason: 'start' };
    await this.seek(this.step - 1);
    return { reason: 'step' };
  }

  /**
   * Runs until something in `until` happens, or the end of the recording (forward; in a live session the
   * program runs on) or its start (backward: "start of recording"). Going back, the stop is the last hit
   * before the current step, found by replaying the snapshot intervals backwards, each once.
   */
  run(direction: Direction, until: Until = NOTHING, control: Control = {}): Promise<EngineStop> {
    const prepared = prepareUntil(until);
    // Nothing can stop a run forward before the end: it may start from the latest state there is.
    if (direction === 'forward' && !this.live && nothingStops(prepared)) {
      this.fromIndex(this.lastStep, this.step);
      if (this.nearestSnapshotBeats(this.lastStep)) this.restore(this.snapshots.atOrBefore(this.lastStep)!);
    }
    const focus = !this.live && nothingStops(prepared) ? this.lastStep : undefined; // where the user will be
    return direction === 'forward' ? this.advance(this.live ? Infinity : this.lastStep, prepared, 'stop', control, focus) : this.runBackward(prepared, control);
  }

  // ---- live sessions ----

  /** Console input typed by the user, for the program's next reads (live sessions). */
  sendInput(bytes: Uint8Array): void {
    if (!this.liveRecording || !this.live) {
      throw new EngineError('this session replays a recording: its input is the recorded input and cannot change');
    }
    this.liveRecording.outside.sendInput(bytes);
  }

  /** True when the live program is waiting for input at the frontier. */
  get waitingForInput(): boolean { return this.live && this.step === this.lastStep && this.inputWait; }
  private inputWait = false;

  /**
   * Ends the live part of a session: the recording is complete up to `lastStep` and gets its end chunk
   * (with the state hash there). The engine stays usable for travel within the recording.
   */
  async finishLive(): Promise<void> {
    if (!this.liveRecording || this.recording.end) return;
    const at = this.step;
    if (this.step !== this.lastStep) await this.seek(this.lastStep);
    this.writeEnd();
    if (at !== this.step) await this.seek(at);
  }

  /** The whole recording so far as a `.rewind` file (complete once `finishLive` has run). */
  recordingBytes(): Uint8Array {
    return LiveRecording.bytes(this.recording);
  }

  /** At `lastStep`: closes the live recording with its end chunk. */
  private writeEnd(): void {
    const hash = this.snapshots.take().hash;
    this.liveRecording!.end(this.lastStep, hash, this.machine.halted);
  }

  // ---- internals ----

  private nearestSnapshotBeats(n: number): boolean {
    const s = this.snapshots.atOrBefore(n);
    return s !== undefined && s.step > this.step;
  }

  private restore(snapshot: Snapshot): void { this.snapshots.restore(snapshot); this.passOutput(); }

  /** Loads the index state nearest `step` (if later than `after`): the machine may have moved there. */
  private fromIndex(step: number, after: number): void {
    if (this.index?.loadBefore(step, after)) this.passOutput();
  }

  /** At a step past every one run so far (a state from the index): passes on the output printed before it. */
  private passOutput(): void {
    if (this.step <= this.highWater) return;
    this.index?.replayOutput(this.highWater, this.step, this.console);
    this.highWater = this.step;
  }

  /**
   * Restores the best snapshot for reaching `n`; when the gap is wide, leaves snapshots midway and a
   * little before `n` (where they are cheap to take).
   */
  private async restoreFor(n: number): Promise<void> {
    const snapshot = this.snapshots.atOrBefore(n)!;
    this.restore(snapshot);
    const gap = n - snapshot.step;
    if (gap <= 2 * MIN_SNAPSHOT_GAP) return;
    for (const at of [snapshot.step + Math.floor(gap / 2), n - MIN_SNAPSHOT_GAP]) {
      if (at - this.step < MIN_SNAPSHOT_GAP) continue;
      await this.advance(at, PLAIN, 'plain', {}, n);
      if (this.spacing.affordable(this.step)) this.takeSnapshot();
    }
  }

  /**
   * Runs forward to step `target`, taking snapshots on the way. Modes: 'plain' ignores stop conditions;
   * 'stop' stops at everything in `until` and the end of the recording; 'scan' stops at breakpoints,
   * watchpoints and traps only (a reverse search handles step breakpoints itself). Snapshots far from
   * `focus` (where the user will be afterwards, if known) are spaced wider: SnapshotSpacing.
   */
  private async advance(target: number, until: PreparedUntil, mode: 'plain' | 'stop' | 'scan', control: Control, focus?: number): Promise<EngineStop> {
    const start = this.step;
    let lastYield = start, lastTurn = Date.now();
    for (;;) {
      // A step breakpoint on the last step is still a step breakpoint, not the end of the recording.
      if (mode === 'stop' && this.step !== start && until.stepBreakpoints.has(this.step)) {
        return { reason: 'stepBreakpoint', step: this.step };
      }
      if (this.step >= target) return mode === 'stop' && this.step >= this.lastStep ? this.endStop() : { reason: 'step' };
      let limit = Math.min(target, this.spacing.next(this.step, focus), this.recordedHashes.nextAfter(this.step), this.step + PIECE);
      if (this.liveRecording) limit = Math.min(limit, this.liveRecording.nextCheckpoint(this.step));
      if (mode === 'stop') limit = Math.min(limit, firstStepBreakpoint(until, this.step + 1, limit) ?? limit);
      const stop = this.runMachine(limit - this.step, mode === 'plain' ? undefined : until, this.step === start);
      this.noteProgress();
      if (this.step >= this.spacing.next(this.step, focus)) this.takeSnapshot();
      else if (this.recordedHashes.at(this.step) || this.liveRecording?.wantsCheckpoint(this.step, this.snapshots.pagesWritten)) this.checkpointHere(focus);
      if (stop) return stop;
      if (this.live && this.step === this.lastStep && (this.inputWait || this.liveRecording!.outside.waitingForUart)) {
        this.inputWait = true;
        return { reason: 'input' };
      }
      if (this.step < limit) {
        // The program ended or waits for input the log lacks: the end, unless a recorded hash lies beyond.
        const diverged = this.live ? undefined : stoppedBeforeRecorded(this.recording, this.step);
        this.lastStep = Math.min(this.lastStep, this.step);
        if (diverged) throw diverged;
        if (this.live && this.machine.halted) this.writeEnd();
        return this.endStop();
      }
      if (this.step - lastYield >= SLICE || Date.now() - lastTurn >= TURN_MS) {
        lastYield = this.step;
        // A live run has no known end: total 0 means "unknown".
        control.progress?.(this.step - start, Number.isFinite(target) ? Math.max(1, target - start) : 0);
        lastTurn = await new Promise<number>((resolve) => setImmediate(() => resolve(Date.now())));
        if (control.cancelled?.()) return { reason: 'cancelled' };
      }
    }
  }

  /** Runs the machine (with `until` on it, or none); returns a stop if a condition was met. */
  private runMachine(steps: number, until: PreparedUntil | undefined, resuming: boolean): EngineStop | undefined {
    if (until) this.stops.apply(until);
    const from = this.step;
    const r = this.machine.run(steps, resuming, until !== undefined);
    this.stepsRun += this.step - from;
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
    if (this.liveRecording && this.step > this.lastStep) {
      this.lastStep = this.step;
      this.liveRecording.advanceFrontier(this.step);
    }
  }

  /** Takes a snapshot; in a live session, one on a checkpoint step also goes in the file as one. */
  private takeSnapshot(): void {
    this.spacing.taken(this.step);
    // One larger than the whole budget would be dropped at once: only its hash is taken.
    this.checked(this.snapshots.fits() ? this.snapshots.take() : { step: this.step, hash: this.snapshots.hashNow() });
  }

  /** Checks the recorded hash at this step (or writes one, live): a snapshot when it is cheap, else just the hash. */
  private checkpointHere(focus: number | undefined): void {
    if (this.spacing.affordable(this.step, focus)) this.takeSnapshot();
    else this.checked({ step: this.step, hash: this.snapshots.hashNow() });
  }

  private checked(state: { step: number; hash: string }): void {
    this.recordedHashes.check(state);
    if (this.live) this.liveRecording!.noteHash(state.step, state.hash, this.snapshots.pagesWritten);
  }

  /**
   * Reverse run: walks the snapshot intervals backwards from here, replays each once, and stops at the
   * last hit before the current step; with none, stops at step 0 ("start of recording"). Step breakpoints
   * need no replay, nor an interval where only writes stop and no watched page was written (by the next snapshot).
   */
  private async runBackward(until: PreparedUntil, control: Control): Promise<EngineStop> {
    const from = this.step;
    if (from === 0) return { reason: 'start' };
    // Only step breakpoints (or nothing) can stop it: the answer is known exactly without replaying.
    if (onlyStepBreakpoints(until)) {
      const hit = lastStepBreakpoint(until, 0, from);
      await this.seek(hit?.position ?? 0);
      return hit?.stop ?? { reason: 'start' };
    }
    const watched = onlyWatchedWrites(until, this.machine.ram);
    let segmentEnd = from, scanned = 0;
    for (;;) {
      if (control.cancelled?.()) return this.cancelledAt(from);
      // Give the event loop a turn between intervals, so that a front end sees a cancel request in time.
      await new Promise((resolve) => setImmediate(resolve));
      if (control.cancelled?.()) return this.cancelledAt(from);
      this.fromIndex(segmentEnd - 1, -1);
      const snapshot = this.snapshots.atOrBefore(segmentEnd - 1)!;
      // The scan of one interval reports in the whole operation's terms (its runs would report their own
      // slice as done/total, and the progress bar would jump back and forth).
      const scan: Control = { cancelled: control.cancelled, progress: control.progress && (() => control.progress!(scanned + this.step - snapshot.step, from)) };
      const after = watched && this.snapshots.writtenAfter(snapshot);
      const untouched = watched && after && after.to >= segmentEnd && !watched.some((page) => after.pages.has(page));
      const last = untouched ? lastStepBreakpoint(until, snapshot.step, segmentEnd) : await this.lastHitIn(snapshot, segmentEnd, until, scan, from);
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
      // A state from the index far from where the search started leaves the store (it is read again if
      // needed): the next state loaded reuses its memory instead of pages the process never touched.
      if (this.spacing.far(snapshot.step, from) && this.index?.release(snapshot.step)) this.snapshots.drop(snapshot);
      segmentEnd = snapshot.step;
    }
  }

  /** Replays `[snapshot.step, end)` once and returns the last hit in it (before `end`); the search started at `from`. */
  private async lastHitIn(snapshot: Snapshot, end: number, until: PreparedUntil, control: Control, from: number): Promise<Hit | undefined | 'cancelled'> {
    this.snapshots.restore(snapshot);
    let last: Hit | undefined;
    const note = (hit: Hit | undefined): void => {
      if (hit && hit.position < end && (!last || hit.position > last.position)) last = hit;
    };
    note(lastStepBreakpoint(until, snapshot.step, end));
    // A run never stops at a breakpoint where it starts; the snapshot's own position is checked here.
    if (until.breakpoints.has(this.machine.pc >>> 0)) note({ position: this.step, stop: { reason: 'breakpoint', address: this.machine.pc } });
    while (this.step < end) {
      const stop = await this.advance(end, until, 'scan', control, from);
      if (stop.reason === 'cancelled') return 'cancelled';
      if (stop.reason === 'step' || stop.reason === 'end') break;
      note({ position: this.lastHitPosition, stop });
      // The next run passes by a breakpoint here, but after a watchpoint or trap stop it is a hit of its own.
      if (stop.reason !== 'breakpoint' && until.breakpoints.has(this.machine.pc >>> 0)) note({ position: this.step, stop: { reason: 'breakpoint', address: this.machine.pc } });
      // A hit far from the last snapshot gets one, so that going back to it replays little.
      if (this.step - this.snapshots.atOrBefore(this.step)!.step >= MIN_SNAPSHOT_GAP) this.takeSnapshot();
    }
    return last;
  }

  private endStop(): EngineStop { return { reason: 'end', exit: this.machine.halted ?? undefined }; }

  private async cancelledAt(from: number): Promise<EngineStop> {
    await this.seek(from);
    return { reason: 'cancelled' };
  }
}
