/** How the CLI reports why a run ended, and the process exit status that goes with it. */
import { Machine } from '../emulator/machine';
import type { CommandStop } from './run-slices';
import { writeStderr } from './terminal-write';
import { countText } from '../debugger/count-text';

/** Why the program waits for input: plain waiting, or reading again after its input had ended. */
function inputWait(machine: Machine): string {
  if (!machine.semihosting.consoleInputEnded) return 'the program is waiting for input that never came';
  return `the program read the console again at step ${machine.step.toLocaleString('en-US')} after being told its input had ended; ` +
    'picolibc\'s getchar, fgets and scanf on stdin (SYS_READC) cannot see the end of input and would read the byte 0xFF forever, ' +
    'so the run stops here. End the input with a line the program stops at, or read through open(":tt", O_RDONLY) and read() ' +
    'as examples/interactive does';
}

export function describeStop(reason: CommandStop, machine: Machine): string {
  switch (reason.kind) {
    case 'stopped': return reason.message;
    case 'exit': return `the program exited with status ${reason.code} (${reason.via})`;
    case 'limit': return 'stopped at --max-steps';
    case 'reset': return 'the guest asked for a reset';
    case 'stuck': return reason.message;
    case 'input': return machine.semihosting.consoleInputEnded ? 'the program read past the end of its input' : 'the program was waiting for input';
    default: return `stopped (${reason.kind})`;
  }
}

/**
 * The exit status `rewind run` gave for a run that ended as a recording says it did (its end's stop
 * reason, as JSON), so that `rewind replay` of a complete recording exits as the run did, as `rr replay
 * -a` and QEMU's rr=replay do: a harness comparing a run with its replay sees the same status. A live
 * session's recording, ended by the user (kind 'stopped'), a reset or a reason this version does not
 * know give 0. A run that `rewind record` was told to stop from outside (a signal, its output closed)
 * ends with the status that command gave (`StoppedRun`).
 */
export function recordedExitStatus(reason: unknown): number {
  const r = (typeof reason === 'object' && reason !== null ? reason : {}) as { kind?: unknown; code?: unknown; status?: unknown };
  switch (r.kind) {
    case 'exit': return typeof r.code === 'number' && Number.isInteger(r.code) ? r.code & 0xff : 0;
    case 'stopped': return typeof r.status === 'number' && Number.isInteger(r.status) ? r.status & 0xff : 0;
    case 'limit': return 124;
    case 'stuck': case 'input': return 125;
    default: return 0;
  }
}

/** Says on stderr why a run that did not exit stopped, and gives the status it ends with (`recordedExitStatus`). */
export function exitStatus(reason: CommandStop, machine: Machine): number {
  const known = ['exit', 'reset', 'stopped', 'limit', 'stuck', 'input'].includes(reason.kind);
  const line = known ? stopLine(reason, machine) : `stopped unexpectedly (${reason.kind})`;
  if (line !== undefined) writeStderr(`rewind: ${line}\n`);
  // The same statuses as a replay of its recording ends with.
  return known ? recordedExitStatus(reason) : 125;
}

/**
 * What a replay of a recording that ended with `reason` (its end's stop reason, as JSON) says on stderr:
 * the line `rewind run` and `rewind record` wrote there, at the same step and pc, so that a harness sees
 * the same bytes from all three.
 */
export function reportRecordedStop(reason: unknown, machine: Machine): void {
  const r = (typeof reason === 'object' && reason !== null ? reason : {}) as { kind?: unknown; message?: unknown; status?: unknown };
  const message = typeof r.message === 'string' ? r.message : '';
  let line: string | undefined;
  switch (r.kind) {
    case 'limit': case 'input': line = stopLine({ kind: r.kind }, machine); break;
    case 'stuck': line = stopLine({ kind: 'stuck', message }, machine); break;
    // A live session's end (no status) exits 0 and says nothing, as a program's exit does.
    case 'stopped': if (typeof r.status === 'number' && recordedExitStatus(r) !== 0) line = stopLine({ kind: 'stopped', message, status: r.status }, machine); break;
  }
  if (line !== undefined) writeStderr(`rewind: ${line}\n`);
}

/** Why a run that did not exit stopped, in a line (without its `rewind: `); undefined for an exit, a reset, a closed output. */
function stopLine(reason: CommandStop, machine: Machine): string | undefined {
  switch (reason.kind) {
    // A closed output ends quietly, as a shell tool does.
    case 'stopped': return reason.status === 141 ? undefined : `${reason.message} after ${countText(machine.step)} steps at pc 0x${machine.pc.toString(16)}; the program had not exited`;
    case 'limit': return `stopped after --max-steps ${countText(machine.step)} steps at pc 0x${machine.pc.toString(16)}; the program had not exited`;
    case 'stuck': return reason.message;
    case 'input': return inputWait(machine);
    default: return undefined;
  }
}
