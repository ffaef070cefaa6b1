/**
 * A value over the whole run as the list of its changes: what the memory an expression names holds at
 * step 0, then after every write that changed it, each with its step (the position just after the
 * writing instruction). One pass of the whole-run writes query; the position is the same after as before.
 * (`WholeRun.sampled` evaluates at evenly spaced steps instead, for values that are not in memory.)
 */
import { Control, ReplayEngine } from '../emulator/replay/engine';
import { evaluateExpression, memoryOf } from './expressions/evaluate';
import { formatValue } from './values/format';
import { Value, ValueContext } from './values/value';
import { WholeRun } from './whole-run';

export interface ValueChange {
  step: number;
  /** As the Variables view shows it. */
  value: string;
}

/**
 * The changes of what `expression` names in `ctx` (the current step: for `a->balance`, the balance of
 * this step's `a`). `engine` is the session's, briefly taken to step 0 for the value there and back.
 */
export async function valueChanges(engine: ReplayEngine, wholeRun: WholeRun, ctx: ValueContext, expression: string, control: Control = {}): Promise<ValueChange[]> {
  const value = evaluateExpression(ctx, expression);
  const { address, length } = memoryOf(ctx, value, expression);
  const writes = await wholeRun.writes(address, length, (at) => at.view.readMemory(address, length).slice(), control);
  const here = engine.step;
  let initial: Uint8Array;
  try {
    await engine.seek(0);
    initial = ctx.view.readMemory(address, length).slice();
  } finally {
    await engine.seek(here);
  }
  // Formatted from the bytes themselves, as the expression's type.
  const shown = (bytes: Uint8Array): string => formatValue(ctx, { type: value.type, location: { kind: 'value', bytes } } satisfies Value);
  const changes: ValueChange[] = [{ step: 0, value: shown(initial) }];
  let previous = initial;
  for (const write of writes) {
    if (sameBytes(write.info, previous)) continue; // storing the value already there changes nothing
    changes.push({ step: write.step + 1, value: shown(write.info) });
    previous = write.info;
  }
  return changes;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
