/**
 * The recorder: runs a program on a machine whose outside world is recorded, and appends the recording
 * file as it goes (header first, then events and checkpoints every slice), so that a recorder killed at
 * any moment leaves a readable prefix.
 */
import { DEFAULT_CONFIG, Machine, MachineConfig, StopReason } from '../machine';
import { parseElf } from '../elf';
import { ConsoleSink, OutsideWorld } from '../outside';
import { InputEvent } from './recording-format';
import { RecordingOutside } from './recording-outside';
import { nextCheckpointStep, RecordingWriter } from './recording-writer';
import { sha256Hex } from './sha256';
import { StateHasher } from './state-hash';
import { IndexRecorder, IndexSink } from './index-recorder';

export { CHECKPOINT_INTERVAL } from './recording-writer';

export class Recorder {
  readonly machine: Machine;
  private readonly hasher: StateHasher;
  private readonly writer: RecordingWriter;
  private pending: InputEvent[] = [];
  /** Input arrived since the last checkpoint (the program is not quiet). */
  private heard = false;
  private index?: IndexRecorder;
  private readonly programHash: string;
  /** Pages kept dirty since the last checkpoint (see `hash`): they may have been written since. */
  private busyPages: number[] = [];

  constructor(
    program: Uint8Array,
    programName: string,
    live: OutsideWorld,
    console: ConsoleSink,
    append: (bytes: Uint8Array) => void,
    config: MachineConfig = DEFAULT_CONFIG,
    /** What the guest reads as its command line; the program name unless given. */
    commandLine = programName,
  ) {
    const image = parseElf(program);
    // Each input is written at once: a recorder killed while waiting for more input keeps what was typed.
    const outside = new RecordingOutside(live, (event) => {
      this.pending.push(event);
      this.heard = true;
      this.flushEvents();
    });
    const tee: ConsoleSink = { write: (stream, bytes) => { console.write(stream, bytes); this.index?.output(stream, bytes); } };
    this.machine = new Machine(config, outside, tee);
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
      const quiet = this.machine.ram.dirtyCount === 0 && this.busyPages.length === 0 && !this.heard;
      if (reason.kind === 'limit' && this.writer.wantsCheckpoint(this.machine.step, quiet)) this.checkpoint();
      if (reason.kind !== 'limit' || this.machine.step >= end) return reason;
    }
  }

  /** Writes the end chunk: the recording is complete. */
  finish(reason: StopReason): void {
    if (this.writer.finished) return;
    this.flushEvents();
    const core = JSON.stringify(this.machine.saveCore());
    const hash = this.hash(core);
    this.writer.end({ step: this.machine.step, hash }, reason);
    this.index?.end(hash, core);
  }

  /** Appends a checkpoint at the current step (how far the recording is known to reach). */
  checkpoint(): void {
    // The core state as JSON once, for the hash and the index entry.
    const core = JSON.stringify(this.machine.saveCore());
    const hash = this.hash(core);
    this.heard = false;
    this.writer.checkpoint({ step: this.machine.step, hash });
    this.index?.checkpoint(hash, core);
  }

  private flushEvents(): void {
    this.writer.events(this.pending);
    this.pending = [];
  }

  /**
   * The state hash now. Pages written in the interval stay dirty for the next one (their stores go on
   * unnoted) and are hashed again then; only a page that hashed as before goes back to having its
   * first store noted. A page a program writes in every interval (a table, a stack) thus costs no
   * exit from compiled code at each checkpoint's first store to it (long.elf: 64 pages, 75 times).
   */
  private hash(core: string): string {
    const ram = this.machine.ram;
    const written = ram.takeDirtyPages(true);
    const pages = this.busyPages.length === 0 ? written : [...this.busyPages, ...written];
    const same: number[] = [];
    this.hasher.update(pages, same);
    this.index?.written(pages);
    ram.clean(same);
    const quiet = new Set(same);
    this.busyPages = quiet.size === 0 ? pages : pages.filter((page) => !quiet.has(page));
    return this.hasher.digest(core);
  }
}
