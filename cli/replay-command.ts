/**
 * `rewind replay run.rewind`: re-runs a recording through the replay engine (the same one every front
 * end travels with), printing the same console output, and checks the state hash at every checkpoint
 * the recorder wrote and at the end. A replay that diverges stops at the first checkpoint whose hash
 * differs and says which step that is. Its stderr is what the recorded run's was (the program's, why the
 * run stopped); the line with the verdict is added at a terminal or with --verbose (terminal-write.ts).
 */
import { ParsedArgs, UsageError } from './args';
import { replayLimit } from './replay-options';
import { NOTHING } from '../emulator/replay/until';
import { BufferedConsole } from './console-sink';
import { readRecording } from './recording-file';
import { expectProgram } from './load-program';
import { programImage } from '../emulator/replay/recording-format';
import { ReplayEngine } from '../emulator/replay/engine';
import { ReplayDivergence } from '../emulator/replay/replay-outside';
import { ReplayDivergenceError } from '../emulator/replay/snapshots';
import { IndexFile, openIndexFile, WRITTEN_AT_ONCE_BY_A_COMMAND } from '../emulator/replay/index-file';
import { OutputTranscript, writeIndexFromReplay } from '../emulator/replay/index-from-replay';
import { writeStatusLine, writeStderr } from './terminal-write';
import { recordedExitStatus, reportRecordedStop } from './stop-report';
import { countText } from '../debugger/count-text';
import { compileProfiled, RegionProfile } from '../emulator/cpu/region-profile';
import { growUp, YOUTH_STEPS } from '../emulator/run/youth';

/** A straight replay needs no snapshots between checkpoints (it never travels back). */
const NO_AUTOMATIC_SNAPSHOTS = Number.MAX_SAFE_INTEGER;

export async function replayCommand(args: ParsedArgs): Promise<number> {
  const [path] = args.positional;
  if (!path) throw new UsageError('rewind replay needs a recording: rewind replay run.rewind');
  const recording = readRecording(path);
  const limit = replayLimit(args, recording);
  const verbose = args.options.has('verbose');
  if (recording.recovery) writeStderr(`rewind: ${path}: ${recording.recovery}\n`);
  if (recording.programMismatch) writeStderr(`rewind: ${path}: ${recording.programMismatch}\n`);
  const altered = recording.damage || recording.programMismatch ? 1 : 0;
  // As `rewind run` of the program would: how blocks are encoded depends on its size.
  expectProgram(programImage(recording.program));
  const sink = new BufferedConsole();
  // A recording without a (usable) index gets one from this replay, so that its next open is fast.
  const transcript = new OutputTranscript(sink, () => engine.machine.exactStep());
  const engine: ReplayEngine = new ReplayEngine(recording, { console: transcript, snapshotInterval: NO_AUTOMATIC_SNAPSHOTS, snapshotMemoryBytes: 64 << 20 });
  const checks = [...recording.checkpoints, ...(recording.end ? [recording.end] : [])];
  const existing = openIndexFile(path);
  const profile = typeof existing !== 'string' && existing.belongsTo(recording) ? existing.regions : [];
  try {
    if (limit !== 0 && await replayYoung(engine, profile, limit)) await engine.run('forward', limit === undefined ? NOTHING : { stepBreakpoints: [limit] });
  } catch (e) {
    sink.flush();
    if (e instanceof ReplayDivergenceError && e.at) {
      writeStderr(`rewind: the replay diverged from the recording at the checkpoint at step ${countText(e.at.step)} (state hash ${e.at.hash}, recorded ${e.at.recorded})\n`);
      return 3;
    }
    // The program asked the outside world for another kind of value than the recording has there, or
    // stopped before a checkpoint the recorder wrote.
    if (!(e instanceof ReplayDivergence || e instanceof ReplayDivergenceError)) throw e;
    writeStderr(`rewind: ${e.message}\n`);
    return 3;
  }
  sink.flush();
  if (limit !== undefined) {
    const matched = checks.filter((c) => c.step <= engine.step).length;
    writeStatusLine(verbose, `rewind: replayed ${countText(engine.step)} of the recording's ${countText(recording.lastStep)} steps (--max-steps; ${matched} checkpoints match)\n`);
    reportRecordedStop({ kind: 'limit' }, engine.machine);
    return altered || recordedExitStatus({ kind: 'limit' });
  }
  const missed = checks.find((c) => c.step > engine.step);
  if (missed) {
    writeStderr(`rewind: the replay diverged from the recording at the checkpoint at step ${countText(missed.step)} (the replay stopped at step ${countText(engine.step)} before reaching it)\n`);
    return 3;
  }
  if (!altered && (typeof existing === 'string' || !existing.belongsTo(recording))) {
    const index = IndexFile.create(path, WRITTEN_AT_ONCE_BY_A_COMMAND);
    if (index) writeIndexFromReplay(engine, transcript, index);
  }
  if (recording.recovery) {
    // Only a prefix was read: say so last, where the eye lands, and fail when the file is damaged.
    const checked = checks.length === 0 ? 'no checkpoint to check' : `${checks.length} checkpoints match`;
    writeStderr(`rewind: replayed ${countText(engine.step)} steps, only the prefix recovered from ${path} (${checked}): ${recording.recovery}\n`);
    return altered;
  }
  const verdict = recording.end ? `final state hash ${recording.end.hash} matches` : `${checks.length} checkpoints match (the recording is incomplete)`;
  writeStatusLine(verbose, `rewind: replayed ${countText(engine.step)} steps; ${verdict}\n`);
  // Then what the recorded run said of its end (a signal, --max-steps, a stuck program), as it said it.
  if (recording.end) reportRecordedStop(recording.end.reason, engine.machine);
  // A replay that matches ends as the run did: with its status (the program's, or 124/125).
  return altered || (recording.end ? recordedExitStatus(recording.end.reason) : 0);
}

/**
 * The recorded run's hot code (its index's region profile, cpu/region-profile.ts): compiled where youth
 * ends (run/youth.ts), with V8 let optimize again first, not after its blocks have run hundreds of times.
 * At step 0 instead, V8 met the region writer and the warm-ups in another order than a run's:
 * bench/bigcode +3.2% instructions (its block interpreter optimized twice), calls +7.5%; at YOUTH_STEPS
 * as without a profile (cachegrind of the whole process, --single-threaded). Returns whether the replay
 * goes on (false: the recording ended before).
 */
async function replayYoung(engine: ReplayEngine, profile: RegionProfile, limit: number | undefined): Promise<boolean> {
  if (profile.length === 0 || (limit !== undefined && limit <= YOUTH_STEPS)) return true;
  const stop = await engine.run('forward', { stepBreakpoints: [YOUTH_STEPS] });
  if (stop.reason !== 'stepBreakpoint') return false;
  growUp();
  compileProfiled(profile, engine.machine.code, engine.machine.ram);
  return true;
}
