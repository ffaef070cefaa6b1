/**
 * The tools that say where the session is and move it: info, seek, step and continue. Each is one core
 * operation; the answer is where it stopped and why.
 */
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { Recording } from '../emulator/replay/recording-format';
import { Stop } from '../debugger/stop';
import { McpSession, Replay } from './session';
import { controlOf, OneAtATime } from './tool-result';
import { atEdge, position } from './places';
import { consoleLines } from './console-lines';
import { untilSchema, UntilArgument, untilOf } from './until';

const direction = z.enum(['forward', 'backward']).default('forward');

export function registerPositionTools(server: McpServer, session: McpSession, queue: OneAtATime): void {
  server.registerTool('info', {
    description: 'What the open recording holds: the program, its number of steps, the current step, how the program ended, ' +
      'the recorded input and the console output with their steps. With `open`, opens that recording (or program ELF, recorded first) instead.',
    inputSchema: { open: z.string().optional().describe('a .rewind recording or an ELF program to open in place of the current one') },
  }, ({ open }, extra) => queue.run(async () => {
    const replay = open !== undefined ? session.open(open) : session.current;
    const console = await consoleLines(replay, controlOf(extra));
    const r = replay.opened.recording;
    return {
      recording: replay.opened.path,
      program: r.programName,
      steps: replay.engine.lastStep,
      ...position(replay),
      exit: exitOf(r),
      complete: r.end !== undefined,
      ...(r.recovery ? { recovery: r.recovery } : {}),
      ...(r.programMismatch ? { integrity: r.programMismatch } : {}),
      input: inputOf(r),
      console,
      ...(replay.symbolProblem ? { symbols: replay.symbolProblem } : {}),
    };
  }));

  server.registerTool('seek', {
    description: 'Goes to a step: n instructions have run, the instruction at pc is next. Step 0 is the start; `info` gives the last.',
    inputSchema: { step: z.number().int().nonnegative() },
  }, ({ step }, extra) => queue.run(async () => {
    const replay = session.current;
    return stopped(replay, await replay.core.seek(step, controlOf(extra)));
  }));

  server.registerTool('step', {
    description: 'One step forward or backward: `line` (the next or previous statement in this function, stepping over calls), ' +
      '`in` (into calls), `out` (to the caller), or one `instruction`.',
    inputSchema: { direction, granularity: z.enum(['line', 'instruction', 'in', 'out']).default('line') },
  }, ({ direction, granularity }, extra) => queue.run(async () => {
    const replay = session.current;
    atEdge(replay, direction, 'step');
    const core = replay.core;
    const control = controlOf(extra);
    const forward = direction === 'forward';
    switch (granularity) {
      case 'instruction': return stopped(replay, await core.stepInstruction(direction));
      case 'line': return stopped(replay, await (forward ? core.next(control) : core.reverseNext(control)));
      case 'in': return stopped(replay, await (forward ? core.stepIn(control) : core.reverseStepIn(control)));
      case 'out': return stopped(replay, await (forward ? core.stepOut(control) : core.reverseStepOut(control)));
    }
  }));

  server.registerTool('continue', {
    description: 'Runs forward or backward until a source line runs ({file, line}), a function is entered ({function}), ' +
      'an expression\'s memory is written ({expression}), or the end (start) of the recording.',
    inputSchema: { direction, until: untilSchema.optional() },
  }, ({ direction, until }, extra) => queue.run(async () => {
    const replay = session.current;
    const stops = untilOf(replay, until as UntilArgument | undefined);
    atEdge(replay, direction, 'continue');
    return stopped(replay, await replay.core.run(direction, stops, controlOf(extra)));
  }));
}

/** Where an operation stopped, and why, in words. */
export function stopped(replay: Replay, stop: Stop): Record<string, unknown> {
  return { reason: stop.reason, ...position(replay), description: stop.description };
}

function exitOf(r: Recording): Record<string, unknown> | null {
  const reason = r.end?.reason as { kind?: string; code?: number; message?: string } | undefined;
  if (!reason) return null;
  if (reason.kind === 'exit') return { kind: 'exit', status: reason.code };
  return { kind: reason.kind ?? 'stopped', ...(reason.message ? { message: reason.message } : {}) };
}

function inputOf(r: Recording): Array<Record<string, unknown>> {
  return r.events.map((e) => {
    switch (e.kind) {
      case 'console': return { step: e.step, kind: 'console', text: new TextDecoder().decode(e.bytes), ...(e.bytes.length === 0 ? { endOfInput: true } : {}) };
      case 'uart': return { step: e.step, kind: 'uart', byte: e.byte };
      case 'clock': return { step: e.step, kind: 'clock', seconds: e.seconds };
    }
  });
}
