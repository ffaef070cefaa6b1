/**
 * The recording of a live session as it grows: the program runs at the frontier with the real outside
 * world (input the user types, the date), every outside value is recorded, and the file is written
 * as it goes by the one recording writer, with the same checkpoint rule as `rewind record` (but for
 * its checkpoints two intervals apart while many pages are written: a live session counts no pages per interval).
 */
import { DEFAULT_CONFIG, MachineConfig, StopReason } from '../machine';
import { ConsoleSink } from '../outside';
import { InputEvent, Recording } from './recording-format';
import { LiveOutside } from './live-outside';
import { checkpointDue, encodeRecording, nextCheckpointStep, RecordingWriter } from './recording-writer';
import { sha256Hex } from './sha256';

/** A live session: the program runs, is recorded as it runs, and can be travelled back at any moment. */
export interface LiveOptions {
  program: Uint8Array;
  programName: string;
  /** What the guest reads as its command line (semihosting); the program name unless given. */
  commandLine?: string;
  config?: MachineConfig;
  /** Console input known in advance (a file given as stdin): fed first, then end of input. */
  stdin?: Uint8Array;
  /** Receives the recording file as it grows (header, events, checkpoints, and the end at `finishLive`). */
  append?: (bytes: Uint8Array) => void;
  /** The guest's date at the start, in seconds since the epoch (`--date`); 2000-01-01 unless given. */
  date?: number;
  /** Memory for snapshots, console sink: as for a replay (EngineOptions). */
  snapshotMemoryBytes?: number;
  snapshotInterval?: number;
  console?: ConsoleSink;
}

export class LiveRecording {
  readonly outside: LiveOutside;
  private readonly writer?: RecordingWriter;
  /** True until the recording gets its end (the program ended, or the session finished it). */
  running = true;
  /** Input arrived since the last checkpoint (the program is not quiet). */
  private heard = false;
  /** The count of pages written (the engine's) at the last checkpoint: another count means the program is not quiet. */
  private writtenAtCheckpoint = 0;

  static emptyRecording(options: LiveOptions): Recording {
    return {
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
  }

  /** The whole recording so far as a `.rewind` file. */
  static bytes(recording: Recording): Uint8Array {
    return encodeRecording(recording);
  }

  constructor(private readonly recording: Recording, options: LiveOptions) {
    this.outside = new LiveOutside(recording.events, (event) => this.recordEvent(event), options.date);
    if (options.stdin) {
      this.outside.sendInput(options.stdin);
      this.outside.endInput();
    }
    if (options.append) this.writer = new RecordingWriter(options.append, recording);
  }

  /** The program ran to a new furthest step. */
  advanceFrontier(step: number): void {
    this.recording.lastStep = step;
    this.outside.frontier = step;
  }

  /** Where the engine must pause so that a checkpoint can be taken (Infinity once the recording ended). */
  nextCheckpoint(step: number): number {
    return this.running ? nextCheckpointStep(step) : Infinity;
  }

  /**
   * Whether a checkpoint belongs at `step`, the rule of `rewind record`; `pagesWritten` counts the pages
   * the program wrote so far (a count unchanged since the last checkpoint: it is quiet).
   */
  wantsCheckpoint(step: number, pagesWritten: number): boolean {
    const c = this.recording.checkpoints;
    const quiet = pagesWritten === this.writtenAtCheckpoint && !this.heard;
    return this.running && checkpointDue(step, c.at(-1)?.step ?? 0, c.at(-2)?.step ?? 0, quiet);
  }

  /** The state hash at `step`: it goes in the file when a checkpoint belongs there. */
  noteHash(step: number, hash: string, pagesWritten: number): void {
    if (!this.wantsCheckpoint(step, pagesWritten)) return;
    const checkpoint = { step, hash };
    this.recording.checkpoints.push(checkpoint);
    this.writer?.checkpoint(checkpoint);
    this.heard = false;
    this.writtenAtCheckpoint = pagesWritten;
  }

  /** Closes the recording at `step` with its end chunk; the session then only replays. */
  end(step: number, hash: string, halted: StopReason | null): void {
    const reason = halted ?? { kind: 'stopped', message: 'the live session ended here' };
    this.recording.end = { step, hash, reason };
    this.writer?.end({ step, hash }, reason);
    this.running = false;
  }

  private recordEvent(event: InputEvent): void {
    this.heard = true;
    this.recording.events.push(event);
    this.writer?.events([event]);
  }
}
