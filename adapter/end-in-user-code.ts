/**
 * Where F5 on a recording lands. A program that exits does so in library code (exit, _exit,
 * sys_semihost), whose sources are not on this machine: at the very last step no frame has a source, so
 * VS Code would show nothing of the user's program. When the first run of a session reaches the end
 * there, it is shown at the last line of the user's own code that ran (main's `return`, or its call of
 * exit), and the Debug Console says so; Continue from there goes on to the very last step.
 */
import { basename } from 'node:path';
import { Control } from '../emulator/replay/engine';
import { Debugger } from '../debugger/debugger';
import { Stop } from '../debugger/stop';
import { countText } from '../debugger/count-text';

export async function endInUserCode(core: Debugger, stop: Stop, from: number, sourceExists: (file: string) => boolean, say: (text: string) => void,
  control: Control): Promise<Stop> {
  if (stop.reason !== 'end') return stop;
  if (core.frames().some((f) => f.location && sourceExists(f.location.file))) return stop;
  // No line of the program has source here: there is nothing to land on, and nothing to search for.
  if (core.statements?.all().length === 0) return stop;
  const end = core.step;
  const back = await core.reverseStepIn(control);
  const frame = core.frames(1)[0];
  const location = frame?.location;
  if (back.reason !== 'step' || core.step <= from || !location || !sourceExists(location.file)) {
    await core.seek(end, control);
    return stop;
  }
  const landed = core.step;
  say(`Rewind: the recording ends at step ${countText(end)} in library code without source; shown at step ${countText(landed)}, ${basename(location.file)}:${location.line}, the last line of your program that ran. Continue goes on to the end.\n`);
  return { ...stop, step: landed, pc: back.pc };
}
