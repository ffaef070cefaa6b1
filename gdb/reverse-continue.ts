/**
 * Reverse-continue in windows, so that an interrupt from gdb is seen while it runs.
 *
 * The engine's `continueBackward` checks `Control.cancelled` between snapshot intervals but does not
 * give the event loop a turn there (it awaits only inside long forward runs), so socket data, and with it
 * gdb's Ctrl-C, would wait until the whole scan is over. Here the scan goes back one window at a time:
 * a temporary step breakpoint at the start of the window bounds it, and between windows we yield to
 * the event loop and check for cancellation. Hits inside a window are found exactly as the engine finds
 * them (the last one before the current step), so the result is the same as one long scan.
 */
import { Control, EngineStop, ReplayEngine } from '../emulator/replay/engine';

/** Steps scanned per window: a few snapshot intervals, a fraction of a second of replay. */
export const REVERSE_WINDOW = 8_000_000;

export async function reverseContinue(engine: ReplayEngine, control: Control, breakpointAt: (pc: number) => boolean): Promise<EngineStop> {
  const from = engine.step;
  for (;;) {
    const windowStart = engine.step - REVERSE_WINDOW;
    if (windowStart <= 0) {
      const stop = await engine.continueBackward(control);
      return stop.reason === 'cancelled' ? cancelled(engine, from) : stop;
    }
    const added = engine.addStepBreakpoint(windowStart);
    let stop: EngineStop;
    try {
      stop = await engine.continueBackward(control);
    } finally {
      if (added) engine.removeStepBreakpoint(windowStart);
    }
    if (stop.reason === 'cancelled') return cancelled(engine, from);
    // Our own bound, reached with nothing later in the window: go on, unless gdb asked to stop.
    const bound = stop.reason === 'stepBreakpoint' && stop.step === windowStart && added;
    if (!bound) return stop;
    // The bound may coincide with a breakpoint gdb set: that is a hit, not a window edge.
    if (breakpointAt(engine.machine.pc)) return { reason: 'breakpoint', address: engine.machine.pc };
    await new Promise((resolve) => setImmediate(resolve));
    if (control.cancelled?.()) return cancelled(engine, from);
  }
}

/** An interrupted reverse-continue goes back to where it started, as the engine's own does. */
async function cancelled(engine: ReplayEngine, from: number): Promise<EngineStop> {
  if (engine.step !== from) await engine.seek(from);
  return { reason: 'cancelled' };
}
