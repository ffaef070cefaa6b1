/**
 * `rewind replay run.rewind`: re-runs a recording, printing the same console output, and checks the
 * state hash at every checkpoint the recorder wrote and at the end. A replay that diverges stops at the
 * first checkpoint whose hash differs and says which step that is.
 */
import { ParsedArgs, UsageError } from './args';
import { BufferedConsole } from './console-sink';
import { readRecording } from './recording-file';
import { Machine } from '../emulator/machine';
import { parseElf } from '../emulator/elf';
import { ReplayDivergence, ReplayOutside } from '../emulator/replay/replay-outside';
import { Checkpoint } from '../emulator/replay/recording-format';
import { StateHasher } from '../emulator/replay/state-hash';

export function replayCommand(args: ParsedArgs): number {
  const [path] = args.positional;
  if (!path) throw new UsageError('rewind replay needs a recording: rewind replay run.rewind');
  const recording = readRecording(path);
  if (recording.recovery) process.stderr.write(`rewind: ${path}: ${recording.recovery}\n`);
  const sink = new BufferedConsole();
  const machine = new Machine(recording.config, new ReplayOutside(recording.events, recording.lastStep), sink);
  machine.loadProgram(parseElf(recording.program));
  machine.semihosting.commandLine = recording.commandLine;
  const hasher = new StateHasher(machine);
  const checks = [...recording.checkpoints, ...(recording.end ? [recording.end] : [])];
  try {
    return replayChecked(machine, hasher, checks, recording.lastStep, sink, recording.end !== undefined);
  } catch (e) {
    // The program asked the outside world for another kind of value than the recording has there.
    if (!(e instanceof ReplayDivergence)) throw e;
    sink.flush();
    process.stderr.write(`rewind: ${e.message}\n`);
    return 3;
  }
}

function replayChecked(machine: Machine, hasher: StateHasher, checks: Checkpoint[], lastStep: number, sink: BufferedConsole, complete: boolean): number {
  for (const check of checks) {
    machine.run(check.step - machine.step);
    sink.flush();
    hasher.update(machine.ram.takeDirtyPages());
    const hash = hasher.digest();
    if (machine.step !== check.step || hash !== check.hash) {
      const where = machine.step !== check.step ? `the replay stopped at step ${machine.step.toLocaleString('en-US')} before reaching it` : `state hash ${hash}, recorded ${check.hash}`;
      process.stderr.write(`rewind: the replay diverged from the recording at the checkpoint at step ${check.step.toLocaleString('en-US')} (${where})\n`);
      return 3;
    }
  }
  if (machine.step < lastStep) machine.run(lastStep - machine.step);
  sink.flush();
  const verdict = complete ? `final state hash ${checks[checks.length - 1].hash} matches` : `${checks.length} checkpoints match (the recording is incomplete)`;
  process.stderr.write(`rewind: replayed ${machine.step.toLocaleString('en-US')} steps; ${verdict}\n`);
  return 0;
}
