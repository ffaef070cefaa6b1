/**
 * The signals that ask `rewind run` and `rewind record` to stop (Ctrl-C, `kill`, `timeout`, a closed
 * terminal), heard between two slices of a run (run-slices.ts) so that the command ends where the program
 * stands: its output so far written, a recording finished there with why (replay then ends at the same
 * step with the same status). Without this a killed recorder left the recording a chunk or more short
 * of the output it had printed, and lost the output still buffered.
 *
 * While the command blocks reading the terminal or a pipe (host-outside.ts), the signals are left to
 * their default, which ends the process at once: Node's handlers restart an interrupted read, so a
 * Ctrl-C would otherwise wait for the next line.
 */

/** Each signal with its number: a command it stopped exits with 128 + that number, as a shell reports. */
const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;
export type StopSignal = keyof typeof SIGNALS;

let received: StopSignal | undefined;
let listening = false;
const onSignal = (signal: NodeJS.Signals): void => {
  received ??= signal as StopSignal;
};

/** Starts hearing the signals: from now on they are noted (stopSignalReceived) instead of ending the process. */
export function hearStopSignals(): void {
  if (listening) return;
  listening = true;
  for (const name of Object.keys(SIGNALS)) process.on(name, onSignal);
}

/** Gives the signals back their default (the process ends at once). */
export function leaveStopSignals(): void {
  if (!listening) return;
  listening = false;
  for (const name of Object.keys(SIGNALS)) process.off(name, onSignal);
}

/** The first signal heard, if any; a signal is heard only while the event loop turns (`turnEventLoop`). */
export function stopSignalReceived(): StopSignal | undefined {
  return received;
}

/** The exit status of a command that a signal stopped. */
export function signalStatus(signal: StopSignal): number {
  return 128 + SIGNALS[signal];
}

/** One turn of the event loop, in which a signal that has come is heard. */
export function turnEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Runs `read` (a read that may block) with the signals at their default, so that one ends the process
 * at once, and hears them again afterwards if they were heard before.
 */
export function withDefaultStopSignals<T>(read: () => T): T {
  if (!listening) return read();
  leaveStopSignals();
  try {
    return read();
  } finally {
    hearStopSignals();
  }
}
