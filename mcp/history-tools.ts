/**
 * The tools that ask the whole recording: who last wrote a value, when a line ran, how a value changed
 * over the run, and what the program printed when. Each is one core query.
 */
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { evaluateExpression, memoryOf } from '../debugger/expressions/evaluate';
import { McpSession } from './session';
import { controlOf, OneAtATime, ToolError } from './tool-result';
import { hex } from './places';
import { addressOf, addressSchema, valueContext } from './inspect-tools';
import { stopped } from './position-tools';
import { valueChanges } from '../debugger/value-changes';
import { formatValue } from '../debugger/values/format';
import { consoleLines } from './console-lines';

const stepSchema = z.number().int().nonnegative();

export function registerHistoryTools(server: McpServer, session: McpSession, queue: OneAtATime): void {
  server.registerTool('last_write', {
    description: 'Goes back to the last step before now that wrote a value: an expression in memory ({expression}, e.g. ' +
      '"bank.accounts[1].balance") or a range ({address, length}). The session stops just before the writing instruction ' +
      '(the old value is still there; step forward by one instruction to see the new one).',
    inputSchema: {
      expression: z.string().optional(),
      address: addressSchema.optional(),
      length: z.number().int().positive().max(1 << 20).optional().describe('bytes from `address` (default 4)'),
    },
  }, ({ expression, address, length }, extra) => queue.run(async () => {
    const replay = session.current;
    if ((expression === undefined) === (address === undefined)) throw new ToolError('give either "expression" or "address" (with "length"), not both and not neither');
    let range: { address: number; length: number };
    let label: string;
    if (expression !== undefined) {
      const ctx = valueContext(replay);
      range = memoryOf(ctx, evaluateExpression(ctx, expression), expression);
      label = expression;
    } else {
      range = { address: addressOf(address!), length: length ?? 4 };
      label = `${range.length} bytes at ${hex(range.address)}`;
    }
    const stop = await replay.core.lastWrite(range.address, range.length, controlOf(extra));
    return { ...stopped(replay, stop), written: label, address: hex(range.address), length: range.length };
  }));

  server.registerTool('executions', {
    description: 'Every step at which a source line started to run, over the whole recording, in order (the session does not move). ' +
      'A line without code means the next line that has some.',
    inputSchema: { file: z.string().describe('a source file: its name (bug.c) or path'), line: z.number().int().positive() },
    annotations: { readOnlyHint: true },
  }, ({ file, line }, extra) => queue.run(async () => {
    const replay = session.current;
    const resolved = replay.needSymbols().resolveLine(file, line);
    if (!resolved) throw new ToolError(`${file}:${line} has no code (the file is not in the program's debug info, or nothing follows that line)`);
    const found = await replay.wholeRun.executions(resolved.addresses, () => undefined, controlOf(extra));
    return { file, line: resolved.line, steps: found.map((e) => e.step) };
  }));

  server.registerTool('value_history', {
    description: 'A value over the whole run (the session does not move): by default the value of the memory the expression names ' +
      'at the current step, at step 0 and after every change, each with its step; with `samples`, the expression evaluated at that many ' +
      'evenly spaced steps instead (for registers and computed values too).',
    inputSchema: { expression: z.string(), samples: z.number().int().min(2).max(10_000).optional() },
    annotations: { readOnlyHint: true },
  }, ({ expression, samples }, extra) => queue.run(async () => {
    const replay = session.current;
    const ctx = valueContext(replay);
    const value = evaluateExpression(ctx, expression);
    if (samples !== undefined) {
      const sampled = await replay.wholeRun.sampled(samples, (at) => {
        try {
          return { value: formatValue(at, evaluateExpression(at, expression)) };
        } catch (e) {
          return { error: (e as Error).message };
        }
      }, controlOf(extra));
      return { expression, samples: sampled.map((s) => ({ step: s.step, ...s.info })) };
    }
    if (value.location.kind !== 'memory') {
      throw new ToolError(`${expression} is not in memory here, so its changes cannot be followed; give "samples" to evaluate it at evenly spaced steps`);
    }
    return { expression, samples: await valueChanges(replay.engine, replay.wholeRun, ctx, expression, controlOf(extra)) };
  }));

  server.registerTool('console_output', {
    description: 'What the program printed, as lines, each with the step of the instruction that printed its first character; ' +
      '`from` and `to` keep the lines printed in that range of steps. The session does not move.',
    inputSchema: { from: stepSchema.optional(), to: stepSchema.optional() },
    annotations: { readOnlyHint: true },
  }, ({ from, to }, extra) => queue.run(async () => {
    const replay = session.current;
    const first = from ?? 0;
    const last = to ?? replay.engine.lastStep;
    if (last < first) throw new ToolError(`the range of steps ends (to ${last.toLocaleString('en-US')}) before it starts (from ${first.toLocaleString('en-US')})`);
    const lines = await consoleLines(replay, controlOf(extra));
    return { lines: lines.filter((l) => l.step >= first && l.step <= last) };
  }));
}
