/**
 * The recorder: runs a program on a machine whose outside world is recorded, and appends the recording
 * file as it goes (header first, then events and checkpoints every slice), so that a recorder killed at
 * any moment leaves a readable prefix.
 */
import { CoreState, DEFAULT_CONFIG, Machine, MachineConfig, StopReason } from '../machine';
import { codeBytes, ElfImage, parseElf } from '../elf';
import { ConsoleSink, OutsideWorld } from '../outside';
import { InputEvent, StoppedRun } from './recording-format';
import { RecordingOutside } from './recording-outside';
import { checkpointsApart, nextCheckpointStep, RecordingWriter } from './recording-writer';
import { sha256Hex } from './sha256';
import { StateHasher } from './state-hash';
import { IndexRecorder, IndexSink } from './index-recorder';
import { IndexEntry } from './snapshot-index';

export { CHECKPOINT_INTERVAL } from './recording-writer';

/** Checkpoints at which a busy page must hash as before to be noted again (see `Recorder.hash`). */
const QUIET_CHECKPOINTS = 4;

/** Checkpoints taken before their hashes and chunks are made, together (see `Recorder.settle`). */
export const SETTLE_AFTER = 8;

/** A checkpoint taken: its state kept for the hash, the chunk and the index entry made at `settle`. */
interface Taken {
  step: number;
  core: CoreState;
  /** The RAM's part of the state hash then (StateHasher.sums). */
  sums: readonly [number, number];
  /** The index's entry there, when it took one (its pages are copied already). */
  entry?: IndexEntry;
}

export class Recorder {
  readonly machine: Machine;
  private readonly hasher: StateHasher;
  private readonly writer: RecordingWriter;
  private pending: InputEvent[] = [];
  /** Checkpoints taken and not yet settled, in order. */
  private taken: Taken[] = [];
  /** Input arrived since the last checkpoint (the program is not quiet). */
  private heard = false;
  private index?: IndexRecorder;
  private readonly programHash: string;
  /** Pages kept dirty since the last checkpoint (see `hash`): they may have been written since. */
  private busyPages: number[] = [];
  /**
   * The busy pages that hashed as before at the last checkpoint, each with how many checkpoints in a row
   * it did. A Map of the few such pages, not two tables of a word a RAM page: those (2 x 256 KiB for 256
   * MiB of RAM) cost each recording ~0.5 ms to allocate and fault in.
   */
  private sameRuns = new Map<number, number>();

  constructor(
    program: Uint8Array,
    programName: string,
    live: OutsideWorld,
    console: ConsoleSink,
    append: (bytes: Uint8Array) => void,
    config: MachineConfig = DEFAULT_CONFIG,
    /** What the guest reads as its command line; the program name unless given. */
    commandLine = programName,
    /** `program` parsed, when the caller has it already (parsing a 114 KB ELF again cold: ~1.5 ms). */
    image: ElfImage = parseElf(program),
  ) {
    // Each input is written at once: a recorder killed while waiting for more input keeps what was typed.
    const outside = new RecordingOutside(live, (event) => {
      this.pending.push(event);
      this.heard = true;
      this.flushEvents();
    });
    const tee: ConsoleSink = { write: (stream, bytes) => { console.write(stream, bytes); this.index?.output(stream, bytes); } };
    this.machine = new Machine(config, outside, tee, { codeBytes: codeBytes(image) });
    this.machine.loadProgram(image);
    this.machine.semihosting.commandLine = commandLine;
    this.hasher = new StateHasher(this.machine);
    this.programHash = sha256Hex(program);
    this.writer = new RecordingWriter(append, { config, programName, commandLine, recordedAt: new Date().toISOString(), program, programHash: this.programHash });
  }

  /** Also writes a snapshot index of the recording (before the first run): states at checkpoints and the end. */
  keepIndex(sink: IndexSink): void {
    if (this.machine.step !== 0) throw new Error('an index must be started before the recording runs');
    this.index = new IndexRecorder(sink, this.machine, this.programHash);
  }

  /**
   * Runs up to `maxSteps` more steps (or to the program's end), appending to the file after every
   * checkpoint interval and whenever input arrived. Returns why it stopped.
   */
  run(maxSteps = Infinity): StopReason {
    const end = this.machine.step + maxSteps;
    for (;;) {
      const target = Math.min(end, nextCheckpointStep(this.machine.step));
      const reason = this.machine.run(target - this.machine.step);
      this.flushEvents();
      // Quiet: no page written (the RAM is hashed only at checkpoints) and no input since the last one.
      const pages = this.machine.ram.dirtyCount + this.busyPages.length;
      const quiet = pages === 0 && !this.heard;
      // Ended by its caller (Machine.endRun), the run stops where the guest could go on, as at its limit.
      const goesOn = reason.kind === 'limit' || reason.kind === 'ended';
      if (goesOn && this.writer.wantsCheckpoint(this.machine.step, quiet, checkpointsApart(pages))) this.checkpoint();
      if (reason.kind === 'limit' && this.machine.step < end) continue;
      // Stopped by the program (it may wait for input now, and the recorder be killed meanwhile): the file has every checkpoint.
      if (!goesOn) this.settle();
      return reason;
    }
  }

  /** Writes the end chunk: the recording is complete. */
  finish(reason: StopReason | StoppedRun): void {
    if (this.writer.finished) return;
    this.flushEvents();
    this.settle();
    const core = JSON.stringify(this.machine.saveCore());
    this.hash();
    const hash = this.hasher.digest(core);
    this.writer.end({ step: this.machine.step, hash }, reason);
    this.index?.end(hash, core);
  }

  /**
   * Appends a checkpoint at the current step (how far the recording is known to reach).
   *
   * What a checkpoint costs, measured on bench/replay/long.elf in-process (75 checkpoints, ~200 ms of
   * main thread; medians of 14-16 interleaved runs, loaded machine): ~100 µs each (page hash ~15,
   * digest ~7, JSON ~12, saveCore ~10, the recording's chunk ~15, the index's copy of 64 pages ~24 at
   * every second one); the same calls back to back, with warm caches, take ~20 µs in all: the rest is
   * code and data the guest's 16M steps pushed out of the caches. A recorder whose checkpoints did
   * nothing ran ~3 ms over a plain run, one without its index ~6 ms, with it ~11 ms; the index with its
   * pages not copied cost as much as with them (within ~2 ms of noise). Measured and left out: the
   * digest's fold of the JSON in WebAssembly (TextEncoder.encodeInto into a module's memory): ~12-17 µs
   * a call against the JavaScript's 8-18 (V8 optimizes that loop within a few calls), plus ~1 ms to
   * build the module; `hash`'s sets and filters as marks in a Uint8Array and loops: no faster, and
   * slower while V8 interprets it (Set's builtins are native: 160 against 154 µs a call).
   * Measured again (medians over 7 runs of 75 checkpoints, loaded machine): a checkpoint ~140 µs, of it
   * JSON.stringify(saveCore()) 40-54 cold against 8-10 called again at once, the page hash ~20 either way
   * (it reads the pages), the index ~27, the chunk 17-19 -> 8 since it is written straight. Left out:
   * the PLIC's and CSRs' saves with slice/concat instead of spreads and flat, and the index's pages as
   * marks and a list instead of a Set: the checkpoint's median unchanged within its noise (139/143 µs).
   * (Session 15's perf samples saw the spreads' and flat's builtins in ~40% of saveCore's: now slices.)
   */
  checkpoint(): void {
    // What must be taken now: the core state (as an object: its JSON comes at `settle`), the hashes of
    // the pages written, and the index's copy of them.
    const core = this.machine.saveCore();
    this.hash();
    this.heard = false;
    const step = this.machine.step;
    this.writer.taken(step);
    this.taken.push({ step, core, sums: this.hasher.sums(), entry: this.index?.checkpoint() });
    if (this.taken.length >= SETTLE_AFTER) this.settle();
  }

  /**
   * Makes the checkpoints taken whole: each one's core state as JSON, its state hash, its chunk (appended
   * in order, before any later events: the file is byte for byte what it was when each chunk went out at
   * once) and its index entry's hash and core state. Done for several at a time: at a checkpoint, with the
   * guest's 16-32M steps since the last one, the recorder's code and data are out of the caches, and
   * JSON.stringify, the digest and the chunk cost ~10 times what they cost called again at once
   * (long.elf's checkpoints, perf samples on the main thread: JSON.stringify alone ~19% of them). A
   * recorder killed meanwhile leaves a file whose last checkpoints are missing: it replays to the last
   * one written, as a file cut short does. Settled before events are written, when the run stops for
   * another reason than its step limit (an input wait) and at the end.
   */
  private settle(): void {
    const taken = this.taken;
    if (taken.length === 0) return;
    this.taken = [];
    for (let i = 0; i < taken.length; i++) {
      const t = taken[i];
      const core = JSON.stringify(t.core);
      const hash = this.hasher.digestOf(t.sums, core);
      this.writer.appendCheckpoint({ step: t.step, hash });
      if (t.entry) { t.entry.hash = hash; t.entry.core = core; }
    }
  }

  private flushEvents(): void {
    if (this.pending.length === 0) return;
    this.settle();
    this.writer.events(this.pending);
    this.pending = [];
  }

  /**
   * Brings the page hashes up to date (the RAM's part of the state hash now). Pages written in the interval stay dirty for the next ones (their stores go on
   * unnoted) and are hashed again at each checkpoint; only a page that hashed as before at
   * `QUIET_CHECKPOINTS` checkpoints in a row goes back to having its first store noted. A page a
   * program writes in every interval (a table, a stack: long.elf has 64, 75 times) thus costs no exit
   * from compiled code at each checkpoint's first store to it, nor does one it writes every few
   * intervals with what it held (memory.elf: ~63 pages every third interval, ~10 ms of 135 when each
   * was noted again at once); hashing a page again costs ~2 µs, an exit ~10 times that.
   */
  private hash(): void {
    const ram = this.machine.ram;
    const written = ram.takeDirtyPages(true);
    // The busy list is this recorder's own: the pages written since go on its end (no new array).
    const pages = this.busyPages;
    for (let i = 0; i < written.length; i++) pages.push(written[i]);
    const same: number[] = [];
    this.hasher.update(pages, same);
    // Sets only when some page hashed as before: most checkpoints of a busy program have none.
    const unchanged = same.length === 0 ? undefined : new Set(same);
    // The index takes the pages that changed since the last checkpoint (one that hashed as before holds what it held then).
    this.index?.written(unchanged === undefined ? pages : pages.filter((page) => !unchanged.has(page)));
    const quiet = this.settled(same);
    if (quiet.length > 0) {
      ram.clean(quiet);
      const noted = new Set(quiet);
      this.busyPages = pages.filter((page) => !noted.has(page));
    }
  }

  /**
   * Of the busy pages that hashed as before (`same`), those that have now done so at
   * `QUIET_CHECKPOINTS` checkpoints in a row (a busy page is hashed at every one).
   */
  private settled(same: readonly number[]): number[] {
    const before = this.sameRuns;
    if (same.length === 0) {
      if (before.size > 0) this.sameRuns = new Map();
      return [];
    }
    // A page's run goes on only if it hashed as before at the last checkpoint too.
    const runs = new Map<number, number>();
    const quiet: number[] = [];
    for (let i = 0; i < same.length; i++) {
      const page = same[i];
      const run = (before.get(page) ?? 0) + 1;
      if (run >= QUIET_CHECKPOINTS) quiet.push(page);
      else runs.set(page, run);
    }
    this.sameRuns = runs;
    return quiet;
  }
}
