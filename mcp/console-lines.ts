/**
 * The program's console output as lines with their steps (the core's whole-run timeline), asked once per
 * open recording: history does not change, so the answer is kept.
 */
import { Control } from '../emulator/replay/engine';
import { OutputLine } from '../debugger/whole-run';
import { Replay } from './session';

const known = new WeakMap<Replay, OutputLine[]>();

export async function consoleLines(replay: Replay, control: Control): Promise<OutputLine[]> {
  let lines = known.get(replay);
  if (!lines) {
    lines = (await replay.wholeRun.timeline({ breakpoints: [], logpoints: [] }, control)).output;
    known.set(replay, lines);
  }
  return lines;
}
