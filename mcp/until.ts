/**
 * `continue`'s `until`: a source line, a function, or an expression to watch, translated into the core's
 * stop set (`Until`); without one, the run goes to the end (or start) of the recording.
 */
import { z } from 'zod';
import { Until } from '../debugger/stop-conditions';
import { evaluateExpression, memoryOf } from '../debugger/expressions/evaluate';
import { Replay } from './session';
import { ToolError } from './tool-result';
import { watchRangeProblem } from '../debugger/watch-range';
import { valueContext } from './inspect-tools';

export const untilSchema = z.union([
  z.object({ file: z.string().describe('a source file: its name (bug.c) or path'), line: z.number().int().positive() }).strict(),
  z.object({ function: z.string().describe('stop on entry to this function, after its prologue') }).strict(),
  z.object({ expression: z.string().describe('an lvalue in memory (a variable, a field): stop where it is written') }).strict(),
]).describe('where to stop: {file, line}, {function} or {expression}');

export type UntilArgument = { file: string; line: number } | { function: string } | { expression: string };

/** The core's stop set for an `until` argument (ids are the session's own: one stop set per call). */
export function untilOf(replay: Replay, until: UntilArgument | undefined): Until {
  if (!until) return {};
  if ('file' in until) {
    const resolved = replay.needSymbols().resolveLine(until.file, until.line);
    if (!resolved) throw new ToolError(`${until.file}:${until.line} has no code (the file is not in the program's debug info, or nothing follows that line)`);
    return { breakpoints: [{ id: 1, kind: 'line', addresses: resolved.addresses }] };
  }
  if ('function' in until) {
    const fn = replay.needSymbols().functionNamed(until.function);
    if (!fn) throw new ToolError(`the program has no function named ${until.function}`);
    return { breakpoints: [{ id: 1, kind: 'function', addresses: [replay.core.statements?.bodyStart(fn) ?? fn.low] }] };
  }
  const ctx = valueContext(replay);
  const watch = { ...memoryOf(ctx, evaluateExpression(ctx, until.expression), until.expression), access: 'write' as const };
  const problem = watchRangeProblem(watch.address, watch.length, replay.core.engine.machine.config);
  if (problem) throw new ToolError(`${until.expression}: ${problem}`);
  return { dataBreakpoints: [{ id: 1, watch, label: until.expression }] };
}
