/**
 * What gdb is told when the target stops: the engine's stop, as a `T` packet, plus a line of console
 * text (an `O` packet) when the stop needs words that gdb has none for (a step breakpoint, the program's
 * exit at the end of the recording).
 *
 * The end of the recording answers `T05replaylog:end`, never `W` (exited): gdb forgets a process that
 * exited and would refuse every reverse command after it, whereas after `replaylog:end` it says "No
 * more reverse-execution history." and the whole history stays navigable. The program's exit status is
 * reported in the console line instead.
 */
import { EngineStop } from '../emulator/replay/engine';
import { BreakpointTable } from './breakpoints';

export const SIGINT = 2;
export const SIGTRAP = 5;

export interface StopReply {
  packet: string;
  /** Text for gdb's console, sent before the stop packet. */
  console?: string;
}

const signal = (n: number): string => `T${n.toString(16).padStart(2, '0')}`;
const hex = (n: number): string => (n >>> 0).toString(16);

/** `single` is true for a single step, whose plain completion carries no stop reason. */
export function stopReply(stop: EngineStop, table: BreakpointTable, single: boolean): StopReply {
  const thread = 'thread:1;';
  switch (stop.reason) {
    case 'step':
      return { packet: `${signal(SIGTRAP)}${thread}` };
    case 'breakpoint':
      return { packet: `${signal(SIGTRAP)}${table.breakKindAt(stop.address) ?? 'swbreak'}:;${thread}` };
    case 'watchpoint': {
      const kind = table.watchKindOf(stop.watch);
      // gdb matches the address against its watchpoints' ranges: report one inside the watched range.
      const address = Math.max(stop.address >>> 0, stop.watch.address >>> 0);
      return { packet: `${signal(SIGTRAP)}${kind}:${hex(address)};${thread}` };
    }
    case 'stepBreakpoint':
      return single
        ? { packet: `${signal(SIGTRAP)}${thread}` }
        : { packet: `${signal(SIGTRAP)}${thread}`, console: `Rewind: stopped at step breakpoint ${stop.step}\n` };
    case 'trap':
      return { packet: `${signal(SIGTRAP)}${thread}`, console: `Rewind: stopped after trap mcause=0x${hex(stop.mcause)} at pc 0x${hex(stop.pc)}\n` };
    case 'start':
      return { packet: `${signal(SIGTRAP)}replaylog:begin;${thread}` };
    case 'end':
      return { packet: `${signal(SIGTRAP)}replaylog:end;${thread}`, console: endText(stop) };
    case 'input':
      return {
        packet: `${signal(SIGINT)}${thread}`,
        console: 'Rewind: the program is waiting for input: type it in the terminal that runs `rewind gdb`, then continue\n',
      };
    case 'cancelled':
      return { packet: `${signal(SIGINT)}${thread}` };
  }
}

function endText(stop: Extract<EngineStop, { reason: 'end' }>): string {
  const exit = stop.exit;
  const how = exit?.kind === 'exit' ? `the program exited with status ${exit.code}`
    : exit?.kind === 'stuck' ? exit.message
    : exit?.kind === 'reset' ? 'the program asked for a reset'
    : 'the recording stops here';
  return `Rewind: end of the recording (${how}); reverse commands still work\n`;
}
