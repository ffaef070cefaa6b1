/**
 * The JSON shapes shared by tools: an address in hex, the source place of an address, and where the
 * session is (step, pc, function, file and line).
 */
import { Replay } from './session';
import { ToolError } from './tool-result';
import { hexAddress as hex } from '../emulator/hex';

export { hex };

export interface Place {
  pc: string;
  function?: string;
  file?: string;
  line?: number;
}

/** The function, file and line of an address, as far as the debug info knows them. */
export function placeOf(replay: Replay, pc: number): Place {
  const symbols = replay.symbols;
  const location = symbols?.locationAt(pc >>> 0);
  const name = symbols?.functionAt(pc >>> 0)?.name ?? symbols?.symbolAt(pc >>> 0)?.name;
  return { pc: hex(pc), ...(name ? { function: name } : {}), ...(location ? { file: location.file, line: location.line } : {}) };
}

/** Where the session is now: the current step, the last step of the recording, and the place. */
export function position(replay: Replay): { step: number; lastStep: number } & Place {
  return { step: replay.engine.step, lastStep: replay.engine.lastStep, ...placeOf(replay, replay.view.pc) };
}

/** Travel past either end of the recording is a question with no answer: a tool error, the session unmoved. */
export function atEdge(replay: Replay, direction: 'forward' | 'backward', verb: string): void {
  const { step, lastStep } = replay.engine;
  if (direction === 'forward' && step >= lastStep) throw new ToolError(`cannot ${verb} forward: the session is at the end of the recording (step ${lastStep.toLocaleString('en-US')})`);
  if (direction === 'backward' && step === 0) throw new ToolError(`cannot ${verb} backward: the session is at step 0, the start of the recording`);
}
