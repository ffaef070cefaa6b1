/**
 * Finding steps in history: replays an interval with breakpoints only on the addresses of interest and
 * notes every step where the pc is one of them. The machine runs at full speed between hits; only the
 * hits cost JavaScript. Reverse statement stepping, reverse step out, restart frame and hit counts are
 * built on this. The stop set is a value passed to each run, so a scan leaves nothing behind.
 */
import { Control, ReplayEngine } from '../emulator/replay/engine';

export interface Hit<T> {
  step: number;
  pc: number;
  /** What the caller noted at that step (e.g. the frame and line). */
  info: T;
}

export class CancelledError extends Error {
  constructor() { super('cancelled'); }
}

/** Hits in `[from, to)`, in order. Leaves the engine somewhere in the interval (or at `to`): the caller seeks where it wants to be. */
export async function hitsBetween<T>(
  engine: ReplayEngine, from: number, to: number, addresses: Iterable<number>,
  inspect: (pc: number) => T, control: Control = {},
): Promise<Array<Hit<T>>> {
  const set = new Set(addresses);
  const until = { breakpoints: [...set], stepBreakpoints: to <= engine.lastStep ? [to] : [] };
  const hits: Array<Hit<T>> = [];
  await engine.seek(from);
  if (set.has(engine.machine.pc >>> 0)) hits.push({ step: engine.step, pc: engine.machine.pc >>> 0, info: inspect(engine.machine.pc >>> 0) });
  while (engine.step < to) {
    const stop = await engine.run('forward', until, control);
    if (stop.reason === 'cancelled') throw new CancelledError();
    if (engine.step >= to) break;
    if (stop.reason === 'breakpoint') hits.push({ step: engine.step, pc: stop.address >>> 0, info: inspect(stop.address >>> 0) });
    else if (stop.reason !== 'stepBreakpoint') break; // the end of the recording, or the live frontier
  }
  return hits;
}

/**
 * Scans backwards from `from` in growing windows until `decide` can answer from the hits seen so far
 * (oldest first; `complete` once the window reaches step 0). Returns its answer.
 */
export async function searchBackward<T, R>(
  engine: ReplayEngine, from: number, addresses: Iterable<number>, inspect: (pc: number) => T,
  decide: (hits: Array<Hit<T>>, complete: boolean) => R | 'more', control: Control = {},
): Promise<R> {
  const list = [...addresses];
  // No address, no hit: the answer is the one a scan back to step 0 would give, without replaying all
  // of history (reverse step into a program with no source on this machine, at the end of a 16 MiB
  // output flood, replayed its 147M steps in growing windows: ~3.5 s of CPU).
  if (list.length === 0) {
    const answer = decide([], true);
    if (answer === 'more') throw new Error('internal error: a complete history scan could not decide');
    return answer;
  }
  let hits: Array<Hit<T>> = [];
  let end = from;
  // Most statements are a few dozen steps back (every hit costs an unwind, so a tight loop makes a wide
  // first window dear); the window grows 4x when the answer is further.
  let window = 1 << 8;
  for (;;) {
    if (control.cancelled?.()) throw new CancelledError();
    const start = Math.max(0, end - window);
    hits = [...(await hitsBetween(engine, start, end, list, inspect, control)), ...hits];
    const answer = decide(hits, start === 0);
    if (answer !== 'more') return answer;
    if (start === 0) throw new Error('internal error: a complete history scan could not decide');
    control.progress?.(from - start, from);
    end = start;
    window *= 4;
  }
}
