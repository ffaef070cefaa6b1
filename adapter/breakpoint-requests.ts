/**
 * The breakpoint requests (line, function, instruction, exception and data breakpoints): each turns
 * the client's list into the user's stop conditions (which every later run takes as its stop set) and
 * gives the response body. The session sends the responses.
 */
import { basename } from 'node:path';
import { DebugProtocol } from '@vscode/debugprotocol';
import { EXCEPTION_FILTERS, StopConditions } from '../debugger/stop-conditions';
import { Debugger } from '../debugger/debugger';
import { Variables } from './variables';
import { watchRangeProblem } from '../debugger/watch-range';
import { hexAddress } from '../emulator/hex';
import { evaluateExpression, memoryOf } from '../debugger/expressions/evaluate';
import { parseAddress } from '../debugger/address';
import { Frame, TypeInfo } from '../debugger/symbols/api';
import { valueSize, ValueError } from '../debugger/values/value';

const sizeOfType = (core: Debugger, type: TypeInfo): number => valueSize(core.valueContext(), type);

/** What the breakpoint requests need from the session; the getters are read at request time (launch fills them in). */
export interface BreakpointHost {
  readonly conditions: StopConditions;
  core(): Debugger | undefined;
  variables(): Variables | undefined;
  frame(id: number): Frame | undefined;
  debuggerPath(clientPath: string): string;
  debuggerLine(clientLine: number): number;
  clientLine(debuggerLine: number): number;
  sourceOf(address: number): { source?: DebugProtocol.Source; line?: number };
}

export class BreakpointRequests {
  /** What each data id handed out names: the expression and its type, for the stop's old and new values. */
  private readonly dataTargets = new Map<string, { label: string; type?: TypeInfo }>();

  constructor(private readonly host: BreakpointHost) {}

  setBreakpoints(args: DebugProtocol.SetBreakpointsArguments): DebugProtocol.SetBreakpointsResponse['body'] {
    const { conditions } = this.host;
    const symbols = this.host.core()?.symbols;
    const path = this.host.debuggerPath(args.source.path ?? '');
    const result = (args.breakpoints ?? []).map((b) => {
      const resolved = symbols?.resolveLine(path, this.host.debuggerLine(b.line));
      return { request: b, resolved, id: conditions.newId() };
    });
    conditions.setLineBreakpoints(path, result.filter((r) => r.resolved).map((r) => ({
      id: r.id, kind: 'line', addresses: r.resolved!.addresses, condition: r.request.condition, hitCondition: r.request.hitCondition, logMessage: r.request.logMessage,
    })));
    return { breakpoints: result.map((r) => r.resolved
      ? { id: r.id, verified: true, line: this.host.clientLine(r.resolved.line), source: args.source }
      : { id: r.id, verified: false, message: symbols ? `no code for line ${r.request.line} or any line after it in ${basename(path)}` : 'the program has no debug information' }) };
  }

  setFunctionBreakpoints(args: DebugProtocol.SetFunctionBreakpointsArguments): DebugProtocol.SetFunctionBreakpointsResponse['body'] {
    const { conditions } = this.host;
    const result = args.breakpoints.map((b) => ({ b, fn: this.host.core()?.symbols?.functionNamed(b.name), id: conditions.newId() }));
    conditions.setFunctionBreakpoints(result.filter((r) => r.fn).map((r) => ({
      id: r.id, kind: 'function', addresses: [this.host.core()!.statements!.bodyStart(r.fn!)], condition: r.b.condition, hitCondition: r.b.hitCondition,
    })));
    return { breakpoints: result.map((r) => (r.fn ? { id: r.id, verified: true, ...this.host.sourceOf(this.host.core()!.statements!.bodyStart(r.fn)) } : { id: r.id, verified: false, message: `no function named ${r.b.name}` })) };
  }

  setInstructionBreakpoints(args: DebugProtocol.SetInstructionBreakpointsArguments): DebugProtocol.SetInstructionBreakpointsResponse['body'] {
    const { conditions } = this.host;
    const result = args.breakpoints.map((b) => ({ b, address: (parseAddress(b.instructionReference) + (b.offset ?? 0)) >>> 0, id: conditions.newId() }));
    conditions.setInstructionBreakpoints(result.filter((r) => !Number.isNaN(r.address)).map((r) => ({
      id: r.id, kind: 'instruction', addresses: [r.address], condition: r.b.condition, hitCondition: r.b.hitCondition,
    })));
    return { breakpoints: result.map((r) => ({ id: r.id, verified: true, instructionReference: hexAddress(r.address) })) };
  }

  /** Why the filters cannot be set (some are not offered), or undefined when they all can. */
  exceptionFiltersProblem(filters: string[]): string | undefined {
    const unknown = filters.filter((f) => !EXCEPTION_FILTERS.some((x) => x.filter === f));
    return unknown.length ? `unknown exception filter ${unknown.join(', ')}; there are ${EXCEPTION_FILTERS.map((f) => f.filter).join(', ')}` : undefined;
  }

  setExceptionBreakpoints(args: DebugProtocol.SetExceptionBreakpointsArguments): DebugProtocol.SetExceptionBreakpointsResponse['body'] {
    this.host.conditions.trapCauses = EXCEPTION_FILTERS.filter((f) => args.filters.includes(f.filter)).flatMap((f) => [...f.causes]);
    return { breakpoints: args.filters.map(() => ({ verified: true })) };
  }

  dataBreakpointInfo(args: DebugProtocol.DataBreakpointInfoArguments): DebugProtocol.DataBreakpointInfoResponse['body'] {
    let target: ReturnType<BreakpointRequests['dataTarget']>;
    try {
      target = this.dataTarget(args);
    } catch (e) {
      // What cannot be watched (a value in a register) is answered, not refused: VS Code asks this for
      // every variable's context menu and shows no menu at all when the request fails.
      if (e instanceof ValueError) return { dataId: null, description: e.message };
      throw e;
    }
    const { address, length, label, type } = target;
    const problem = this.watchProblem(address, length);
    if (problem) return { dataId: null, description: problem };
    const dataId = `${hexAddress(address)}/${length}`;
    // Bytes named by an expression keep that name when the Memory view asks for them by address.
    if (!args.asAddress || !this.dataTargets.has(dataId)) {
      this.dataTargets.set(dataId, { label, type: type && length === (this.host.core() ? sizeOfType(this.host.core()!, type) : length) ? type : undefined });
    }
    return { dataId, description: `${label} (${length} bytes at ${hexAddress(address)})`, accessTypes: ['write', 'read', 'readWrite'], canPersist: false };
  }

  setDataBreakpoints(args: DebugProtocol.SetDataBreakpointsArguments): DebugProtocol.SetDataBreakpointsResponse['body'] {
    const { conditions } = this.host;
    const answers = args.breakpoints.map((b) => {
      const [address, length] = b.dataId.split('/');
      const watch = { address: parseAddress(address) >>> 0, length: length === undefined ? 4 : Number(length), access: b.accessType ?? 'write' } as const;
      const problem = this.watchProblem(watch.address, watch.length);
      if (problem) return { id: conditions.newId(), verified: false, message: problem };
      const target = this.dataTargets.get(b.dataId);
      return { id: conditions.newId(), verified: true, data: { watch, label: target?.label ?? `${watch.length} bytes at ${address}`, type: target?.type, condition: b.condition } };
    });
    conditions.dataBreakpoints = answers.flatMap((a) => (a.data ? [{ id: a.id, ...a.data }] : []));
    return { breakpoints: answers.map((a) => (a.data ? { id: a.id, verified: true } : { id: a.id, verified: false, message: a.message })) };
  }

  /** Why a range cannot be watched (no RAM in it), or undefined. */
  private watchProblem(address: number, length: number): string | undefined {
    const core = this.host.core();
    return core ? watchRangeProblem(address, length, core.engine.machine.config) : undefined;
  }

  private dataTarget(args: DebugProtocol.DataBreakpointInfoArguments): { address: number; length: number; label: string; type?: TypeInfo } {
    if (args.asAddress) return { address: parseAddress(args.name) >>> 0, length: args.bytes ?? 4, label: `${args.bytes ?? 4} bytes at ${args.name}` };
    const variables = this.host.variables();
    const container = args.variablesReference ? variables!.container(args.variablesReference) : undefined;
    const expression = container?.kind === 'value'
      ? variables!.variables(args.variablesReference!).find((v) => v.name === args.name)?.evaluateName ?? args.name
      : args.name;
    const frame = container && 'frame' in container ? container.frame : args.frameId !== undefined ? this.host.frame(args.frameId) : undefined;
    const ctx = this.host.core()!.valueContext(frame);
    const value = evaluateExpression(ctx, expression);
    const { address, length } = memoryOf(ctx, value, expression);
    return { address, length: args.bytes ?? length, label: expression, type: value.type };
  }
}
