/**
 * `continue`'s `until`: a source line, a function, or an expression to watch, translated into the core's
 * stop condition; without one, the run goes to the end (or start) of the recording.
 */
import { z } from 'zod';
import { Control, EngineStop } from '../emulator/replay/engine';
import { evaluateExpression, memoryOf } from '../debugger/expressions/evaluate';
import { Replay } from './session';
import { ToolError } from './tool-result';
import { valueContext } from './inspect-tools';
import { atEdge } from './places';

export const untilSchema = z.union([
  z.object({ file: z.string().describe('a source file: its name (bug.c) or path'), line: z.number().int().positive() }).strict(),
  z.object({ function: z.string().describe('stop on entry to this function, after its prologue') }).strict(),
  z.object({ expression: z.string().describe('an lvalue in memory (a variable, a field): stop where it is written') }).strict(),
]).describe('where to stop: {file, line}, {function} or {expression}');

export type Until = { file: string; line: number } | { function: string } | { expression: string };

export async function runUntil(replay: Replay, direction: 'forward' | 'backward', until: Until | undefined, control: Control): Promise<EngineStop> {
  const engine = replay.engine;
  const addresses: number[] = [];
  const watch: Array<{ address: number; length: number; access: 'write' }> = [];
  if (until && 'file' in until) {
    const resolved = replay.needSymbols().resolveLine(until.file, until.line);
    if (!resolved) throw new ToolError(`${until.file}:${until.line} has no code (the file is not in the program's debug info, or nothing follows that line)`);
    addresses.push(...resolved.addresses);
  } else if (until && 'function' in until) {
    const fn = replay.needSymbols().functionNamed(until.function);
    if (!fn) throw new ToolError(`the program has no function named ${until.function}`);
    addresses.push(replay.statements?.bodyStart(fn) ?? fn.low);
  } else if (until) {
    const ctx = valueContext(replay);
    watch.push({ ...memoryOf(ctx, evaluateExpression(ctx, until.expression), until.expression), access: 'write' });
  }
  engine.setBreakpoints(addresses);
  engine.setWatchpoints(watch);
  try {
    atEdge(replay, direction, 'continue');
    return direction === 'forward' ? await engine.continueForward(control) : await engine.continueBackward(control);
  } finally {
    engine.setBreakpoints([]);
    engine.setWatchpoints([]);
  }
}
