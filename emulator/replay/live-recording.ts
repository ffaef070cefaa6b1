/**
 * The recording of a live session as it grows: the program runs at the frontier with the real outside
 * world (input the user types, the host clock), every outside value is recorded, and the file is written
 * as it goes by the one recording writer, with the same checkpoint rule as `rewind record`.
 */
import { DEFAULT_CONFIG, MachineConfig, StopReason } from '../machine';
import { ConsoleSink } from '../outside';
import { InputEvent, Recording } from './recording-format';
import { LiveOutside } from './live-outside';
import { encodeRecording, nextCheckpointStep, RecordingWriter } from './recording-writer';
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
  /** The host clock, in seconds since the epoch (for tests). */
  clock?: () => number;
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
    this.outside = new LiveOutside(recording.events, (event) => this.recordEvent(event), options.clock);
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

  wantsCheckpoint(step: number): boolean {
    return this.running && step > (this.recording.checkpoints[this.recording.checkpoints.length - 1]?.step ?? 0) && nextCheckpointStep(step - 1) === step;
  }

  /** A snapshot was taken at `step`: a checkpoint step goes in the file. */
  noteSnapshot(step: number, hash: string): void {
    if (!this.wantsCheckpoint(step)) return;
    const checkpoint = { step, hash };
    this.recording.checkpoints.push(checkpoint);
    this.writer?.checkpoint(checkpoint);
  }

  /** Closes the recording at `step` with its end chunk; the session then only replays. */
  end(step: number, hash: string, halted: StopReason | null): void {
    const reason = halted ?? { kind: 'stopped', message: 'the live session ended here' };
    this.recording.end = { step, hash, reason };
    this.writer?.end({ step, hash }, reason);
    this.running = false;
  }

  private recordEvent(event: InputEvent): void {
    this.recording.events.push(event);
    this.writer?.events([event]);
  }
}
