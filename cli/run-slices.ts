/**
 * How `rewind run` and `rewind record` run a program: in slices of 10 M steps (the first of 100 M:
 * LONG_FIRST_SLICE), so that output shows up while a long program runs, a program that can never go on
 * is caught between two of them (endless-loop.ts, input-poll-loop.ts, idle-forever.ts), and the command
 * can be stopped from outside where the program stands: by SIGINT, SIGTERM or SIGHUP (stop-signals.ts),
 * or, for `record`, by its output's reader going away (`| head`). The run then ends at the end of the
 * slice, as it does at --max-steps: its output so far written, the recording finished there with why,
 * so that the replay of the recording ends at the same step with the same output and status (128 + the
 * signal's number, 141 for a closed output).
 *
 * A program that ends within its first slice (most short ones) runs without a turn of the event loop:
 * what a short `rewind run` costs stays as it was (its signal handlers, set at the start, cost nothing
 * measurable: hello 787 -> 784M instructions).
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
/**
 * The first slice: a program of up to this many steps runs in one call of the run loop, with no check,
 * flush or turn of the event loop between (session 18 saw the run loop compiled on-stack in the first
 * 10M-step slice and again at the second's call). Cachegrind --single-threaded, a fresh `rewind run`,
 * before -> after: mathlib 2,298 -> 2,254M instructions, softfloat 1,706 -> 1,658, tree 1,583 -> 1,524,
 * jpeg 1,545 -> 1,468, qrcode 1,565 -> 1,508, cipher 1,037 -> 972; core (143M steps) 2,121 -> 2,119,
 * hello 787 -> 784. A program that polls the UART once its input has ended ends the slice at that
 * poll (the same step in `run` and `record`), so that one polling for ever is stopped as soon as before
 * (input-poll-loop.ts); an endless or idle loop is skipped in a few turns of the run loop however long
 * the slice (run-loop.ts skipIdleTurns), and stopped at its end, at the same step in both commands.
 */
const LONG_FIRST_SLICE = 100_000_000;
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
  return firstSlice(s) ?? runOn(s);
}

/** The first slice: LONG_FIRST_SLICE steps, or up to the first poll of the UART after its input ended. */
function firstSlice(s: Slices): CommandStop | undefined {
  const { machine } = s;
  machine.endRunAtEndedInput = true;
  // Heard from the start: a harness that stops the program once it has printed something may send its
  // signal within this slice, which it would end at once by default (test/cli/stopped-from-outside.ts).
  hearStopSignals();
  let stop: CommandStop | undefined;
  try {
    stop = slice(s, LONG_FIRST_SLICE);
  } finally {
    machine.endRunAtEndedInput = false;
    if (stop !== undefined) leaveStopSignals();
  }
  return stop;
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
function slice(s: Slices, steps = SLICE): CommandStop | undefined {
  const { machine } = s;
  const reason = s.run(Math.min(steps, s.maxSteps - machine.step));
  s.sink.flush();
  if (s.sink.closed) return { kind: 'stopped', message: 'stopped when its output\'s reader went away (EPIPE)', status: OUTPUT_CLOSED_STATUS };
  // Ended at a poll after the input ended (firstSlice), the run goes on as after a slice's limit.
  if (reason.kind !== 'limit' && reason.kind !== 'ended') return reason;
  if (machine.step >= s.maxSteps) return { kind: 'limit' };
  const ended = inputEnd(s.outside.uartInputEnded(), s.stdinFile);
  const loop = endlessLoop(machine) ?? pollsEndedInput(machine, ended) ?? idlesForever(machine, ended);
  return loop === undefined ? undefined : { kind: 'stuck', message: loop };
}
