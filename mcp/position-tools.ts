/**
 * The tools that say where the session is and move it: info, seek, step and continue. Each is one core
 * operation; the answer is where it stopped and why.
 */
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { EngineStop } from '../emulator/replay/engine';
import { Recording } from '../emulator/replay/recording-format';
import { McpSession, Replay } from './session';
import { controlOf, OneAtATime, ToolError } from './tool-result';
import { atEdge, hex, position } from './places';
import { consoleLines } from './console-lines';
import { untilSchema, Until, runUntil } from './until';

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
    return stopped(replay, await replay.engine.seek(step, controlOf(extra)));
  }));

  server.registerTool('step', {
    description: 'One step forward or backward: `line` (the next or previous statement in this function, stepping over calls), ' +
      '`in` (into calls), `out` (to the caller), or one `instruction`.',
    inputSchema: { direction, granularity: z.enum(['line', 'instruction', 'in', 'out']).default('line') },
  }, ({ direction, granularity }) => queue.run(async () => {
    const replay = session.current;
    atEdge(replay, direction, 'step');
    if (granularity !== 'instruction') throw new ToolError(`statement steps (${granularity}) are not available yet; use granularity "instruction" or continue until a line`);
    const engine = replay.engine;
    return stopped(replay, direction === 'forward' ? await engine.stepForward() : await engine.stepBack());
  }));

  server.registerTool('continue', {
    description: 'Runs forward or backward until a source line runs ({file, line}), a function is entered ({function}), ' +
      'an expression\'s memory is written ({expression}), or the end (start) of the recording.',
    inputSchema: { direction, until: untilSchema.optional() },
  }, ({ direction, until }, extra) => queue.run(async () => {
    const replay = session.current;
    return stopped(replay, await runUntil(replay, direction, until as Until | undefined, controlOf(extra)));
  }));
}

/** Where an operation stopped, and why, in words. */
export function stopped(replay: Replay, stop: EngineStop): Record<string, unknown> {
  return { reason: stop.reason, ...position(replay), description: describe(stop) };
}

function describe(stop: EngineStop): string {
  switch (stop.reason) {
    case 'step': return 'stopped at the step asked for';
    case 'breakpoint': return `reached ${hex(stop.address)}`;
    case 'stepBreakpoint': return `reached step ${stop.step.toLocaleString('en-US')}`;
    case 'watchpoint': return `${stop.size} bytes at ${hex(stop.address)} ${stop.access === 'write' ? 'written' : 'read'} by the instruction at ${hex(stop.pc)}`;
    case 'trap': return `trap (mcause ${stop.mcause}) at ${hex(stop.pc)}`;
    case 'start': return 'the start of the recording';
    case 'end': return stop.exit?.kind === 'exit' ? `the end of the recording: the program exited with status ${stop.exit.code}` : 'the end of the recording';
    case 'input': return 'the program waits for input';
    case 'cancelled': return 'cancelled';
  }
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
