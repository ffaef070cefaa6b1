/**
 * How `rewind run` and `rewind record` run a program: in slices of 10 M steps, so that output shows up
 * while a long program runs, a program that can never go on is caught between two of them
 * (endless-loop.ts, input-poll-loop.ts, idle-forever.ts), and the command can be stopped from outside
 * where the program stands: by SIGINT, SIGTERM or SIGHUP (stop-signals.ts), or, for `record`, by its
 * output's reader going away (`| head`). The run then ends at the end of the slice, as it does at
 * --max-steps: its output so far written, the recording finished there with why, so that the replay of
 * the recording ends at the same step with the same output and status (128 + the signal's number, 141
 * for a closed output).
 *
 * A program that ends within its first slice (most short ones) runs without a turn of the event loop
 * and without signal handlers: what a short `rewind run` costs stays as it was.
 */
import { Machine, StopReason } from '../emulator/machine';
import { StoppedRun } from '../emulator/replay/recording-format';
import { BufferedConsole } from './console-sink';
import { ConsoleInput } from './load-program';
import { endlessLoop } from './endless-loop';
import { inputEnd, pollsEndedInput } from './input-poll-loop';
import { idlesForever } from './idle-forever';
import { hearStopSignals, leaveStopSignals, signalStatus, stopSignalReceived, turnEventLoop } from './stop-signals';

const SLICE = 10_000_000;
/** What a shell reports for a tool whose output's reader went away (128 + SIGPIPE). */
const OUTPUT_CLOSED_STATUS = 141;

/** Why a command's run ended: the machine's reason, or a stop from outside. */
export type CommandStop = StopReason | StoppedRun;

export interface Slices {
  readonly machine: Machine;
  /** Runs up to `steps` more steps (the machine's run, or the recorder's). */
  run(steps: number): StopReason;
  readonly sink: BufferedConsole;
  readonly outside: ConsoleInput;
  readonly stdinFile: string | boolean | undefined;
  readonly maxSteps: number;
}

/** Runs to the end, a stop or --max-steps; a promise once the run goes on past its first slice. */
export function runInSlices(s: Slices): CommandStop | Promise<CommandStop> {
  return slice(s) ?? runOn(s);
}

async function runOn(s: Slices): Promise<CommandStop> {
  hearStopSignals();
  try {
    for (;;) {
      await turnEventLoop();
      const signal = stopSignalReceived();
      if (signal) return { kind: 'stopped', message: `stopped by ${signal}`, status: signalStatus(signal) };
      const stop = slice(s);
      if (stop) return stop;
    }
  } finally {
    leaveStopSignals();
  }
}

/** One slice; undefined when the run goes on. */
function slice(s: Slices): CommandStop | undefined {
  const { machine } = s;
  const reason = s.run(Math.min(SLICE, s.maxSteps - machine.step));
  s.sink.flush();
  if (s.sink.closed) return { kind: 'stopped', message: 'stopped when its output\'s reader went away (EPIPE)', status: OUTPUT_CLOSED_STATUS };
  if (reason.kind !== 'limit' || machine.step >= s.maxSteps) return reason;
  const ended = inputEnd(s.outside.uartInputEnded(), s.stdinFile);
  const loop = endlessLoop(machine) ?? pollsEndedInput(machine, ended) ?? idlesForever(machine, ended);
  return loop === undefined ? undefined : { kind: 'stuck', message: loop };
}
