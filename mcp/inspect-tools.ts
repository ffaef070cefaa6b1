/**
 * The tools that read the machine at the current step, as the core sees it: the call stack, C
 * expressions, registers, memory and instructions. None of them moves the session.
 */
import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { REGISTERS } from '../emulator/isa/registers';
import { csrByName } from '../emulator/isa/csrs';
import { evaluateExpression } from '../debugger/expressions/evaluate';
import { frameFunctionName, frameName } from '../debugger/frame-name';
import { formatValue } from '../debugger/values/format';
import { typeName } from '../debugger/values/types';
import { ValueContext } from '../debugger/values/value';
import { parseAddress } from '../debugger/address';
import { listInstructions } from '../debugger/disassembly';
import { McpSession, Replay } from './session';
import { OneAtATime, ToolError } from './tool-result';
import { hex, placeOf } from './places';

const MAX_MEMORY = 65536;
const MAX_INSTRUCTIONS = 1000;
/** The CSRs an agent asks about when a program traps or waits (all others: evaluate `$name`). */
const TRAP_CSRS = ['mstatus', 'mie', 'mip', 'mtvec', 'mepc', 'mcause', 'mtval', 'mscratch'];
const PRIVILEGE = ['user', 'supervisor', 'hypervisor', 'machine'];

/** An address as a number, or as text: "0x80001000" or decimal. */
export const addressSchema = z.union([z.number().int().nonnegative(), z.string()]).describe('an address: a number, or text such as "0x80200000"');

export function addressOf(value: number | string): number {
  return (typeof value === 'number' ? value : parseAddress(value)) >>> 0;
}

export function registerInspectTools(server: McpServer, session: McpSession, queue: OneAtATime): void {
  server.registerTool('stack', {
    description: 'The call stack at the current step, innermost frame first (frame 0), each with its function, source file and line, pc and CFA.',
    annotations: { readOnlyHint: true },
  }, () => queue.run(() => {
    const replay = session.current;
    replay.needSymbols();
    const frames = replay.core.frames();
    return {
      step: replay.engine.step,
      // An outer frame's place is its call's (the location unwinding found), not its return address's.
      frames: frames.map((f, index) => ({ index, ...placeOf(replay, f.pc), ...(frameFunctionName(f) !== undefined ? { function: frameFunctionName(f) } : {}), ...(f.trap ? { trap: frameName(f, undefined) } : {}),
        ...(f.location ? { file: f.location.file, line: f.location.line } : {}), cfa: hex(f.cfa) })),
    };
  }));

  server.registerTool('evaluate', {
    description: 'The value of a C expression at the current step: variables in scope (locals of the frame, then globals), ' +
      '`a->b`, `x.y`, `p[i]`, `*p`, `&x`, casts, arithmetic, registers ($a0, $pc, $sp) and CSRs ($mcause). Read-only: no assignment.',
    inputSchema: { expression: z.string(), frame: z.number().int().nonnegative().optional().describe('the stack frame to evaluate in: 0 is the innermost (the default)') },
    annotations: { readOnlyHint: true },
  }, ({ expression, frame }) => queue.run(() => {
    const replay = session.current;
    const ctx = valueContext(replay, frame);
    const value = evaluateExpression(ctx, expression);
    const address = value.location.kind === 'memory' ? { address: hex(value.location.address) } : {};
    return { step: replay.engine.step, expression, value: formatValue(ctx, value), type: typeName(value.type), ...address };
  }));

  server.registerTool('registers', {
    description: 'The registers at the current step: pc, x0–x31 by ABI name (hex), the privilege mode, and the trap CSRs.',
    annotations: { readOnlyHint: true },
  }, () => queue.run(() => {
    const replay = session.current;
    const m = replay.engine.machine;
    const x: Record<string, string> = {};
    for (const r of REGISTERS) x[r.abi] = hex(replay.view.register(r.number));
    const csrs: Record<string, string> = {};
    for (const name of TRAP_CSRS) csrs[name] = hex(m.csr.read(csrByName(name)!.number, 0, m.pc));
    return { step: replay.engine.step, pc: hex(replay.view.pc), privilege: PRIVILEGE[m.privilege] ?? String(m.privilege), x, csrs };
  }));

  server.registerTool('read_memory', {
    description: `Guest memory at the current step, as hex bytes (two digits per byte, lowest address first); at most ${MAX_MEMORY} bytes. Only RAM is read.`,
    inputSchema: { address: addressSchema, length: z.number().int().positive().max(MAX_MEMORY) },
    annotations: { readOnlyHint: true },
  }, ({ address, length }) => queue.run(() => {
    const replay = session.current;
    const start = addressOf(address);
    const bytes = replay.view.readMemory(start, length);
    if (bytes.length === 0) throw new ToolError(`nothing is mapped at ${hex(start)}: only RAM can be read (0x${replay.engine.machine.config.ramBase.toString(16)} onwards)`);
    return { step: replay.engine.step, address: hex(start), length: bytes.length, bytes: Buffer.from(bytes).toString('hex'), unreadable: length - bytes.length };
  }));

  server.registerTool('disassemble', {
    description: 'Instructions from an address (default: the current pc) as objdump lists them (pseudo-instructions, <symbol> targets), ' +
      'each with its function and source line; `before` also lists that many instructions before the address.',
    inputSchema: {
      address: addressSchema.optional(),
      count: z.number().int().positive().max(MAX_INSTRUCTIONS).default(10),
      before: z.number().int().nonnegative().max(MAX_INSTRUCTIONS).default(0),
    },
    annotations: { readOnlyHint: true },
  }, ({ address, count, before }) => queue.run(() => {
    const replay = session.current;
    const at = address === undefined ? replay.view.pc : addressOf(address);
    const listed = listInstructions(replay.view, replay.symbols, at, -before, count + before);
    if (listed.every((row) => row.unmapped)) throw new ToolError(`there are no instructions at ${hex(at)}: nothing is mapped there`);
    const instructions = listed.map((row) => ({
      address: hex(row.address),
      ...(row.unmapped ? { unmapped: true } : { bytes: row.bytes, instruction: row.text }),
      ...(row.symbol ? { symbol: row.symbol } : {}),
      ...(row.location ? { file: row.location.file, line: row.location.line } : {}),
    }));
    return { step: replay.engine.step, pc: hex(replay.view.pc), instructions };
  }));
}

/** The expression context of a frame (0 = innermost) at the current step. */
export function valueContext(replay: Replay, frame = 0): ValueContext {
  const frames = replay.core.frames(frame + 1);
  if (frame > 0 && frame >= frames.length) throw new ToolError(`there is no frame ${frame}: the stack has ${frames.length} frame${frames.length === 1 ? '' : 's'} at this step`);
  return replay.core.valueContext(frames[frame]);
}
