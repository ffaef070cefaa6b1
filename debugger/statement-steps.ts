/**
 * Statement steps, both directions, as C debuggers have them: next (step over), step in, step out, and
 * their reverse versions, plus restart frame. Forward, each is a run with a goal (the statement
 * addresses where it may end, and a test of the frame there); backward, a search of the executions of
 * those addresses before here. The user's stop set comes along: a breakpoint met on the way stops first.
 * In code without source (a library routine built without line information), next, step in, step back
 * and reverse step in leave it for the nearest caller with source, as gdb does: forward just after the
 * call returns, backward on the call itself. Where no caller has source (after main returned, in start-up
 * code), all four go to the nearest statement with source in their direction, as step in always did.
 */
import { Control } from '../emulator/replay/engine';
import { Frame } from './symbols/api';
import { Hit } from './history-scan';
import { Place, samePlace } from './position';
import { Until } from './stop-conditions';
import { Stop } from './stop';
import { Travel, TravelError } from './travel';

/** Step over: the next statement of this frame, or the caller once this frame returns. */
export function next(t: Travel, until: Until, control: Control): Promise<Stop> {
  const { position: p } = t;
  if (p.statements && !p.statements.hasSource(p.pc)) return leaveCodeWithoutSource(t, 'forward', until, control) ?? stepIn(t, until, control);
  const here = p.place();
  const frames = p.frames(2);
  const fn = frames[0]?.function;
  if (!fn || !p.statements || here.cfa === undefined) return t.stepInstruction('forward');
  const startPc = p.pc;
  const caller = frames[1];
  const addresses = [...p.statements.inFunction(fn), ...(caller ? [caller.pc] : [])];
  return t.run('forward', { ...until, goal: { addresses, reached: (pc) => {
    const place = p.place();
    if (caller && pc === caller.pc && place.cfa === caller.cfa) return true; // returned to the caller
    return place.fn === fn.low && place.cfa === here.cfa && p.symbols!.isStatementStart(pc) && (place.line !== here.line || pc <= startPc);
  } } }, control);
}

/** Step into: the next statement start anywhere with source, in a new line or another frame. */
export function stepIn(t: Travel, until: Until, control: Control): Promise<Stop> {
  const { position: p } = t;
  const here = p.place();
  const statements = p.statements;
  const out = statements && !statements.hasSource(p.pc) ? leaveCodeWithoutSource(t, 'forward', until, control) : undefined;
  if (out) return out;
  if (!statements || here.fn === undefined) return t.stepInstruction('forward');
  const caller = p.frames(2)[1];
  const addresses = [...statements.all(), ...(caller ? [caller.pc] : [])];
  return t.run('forward', { ...until, goal: { addresses, reached: (pc) => {
    const place = p.place();
    if (caller && place.cfa === caller.cfa && pc === caller.pc) return true;
    // Entering a function: stop after its prologue, on the body's first line, as C debuggers do.
    const fn = p.symbols!.functionAt(pc);
    if (fn && pc === fn.low && statements.bodyStart(fn) !== pc) return false;
    return statements.hasSource(pc) && p.symbols!.isStatementStart(pc) && !samePlace(place, here);
  } } }, control);
}

/** Step out: back in the caller, just after the call, with this frame gone. */
export function stepOut(t: Travel, until: Until, control: Control): Promise<Stop> {
  const { position: p } = t;
  const caller = p.frames(2)[1];
  if (!caller) return t.run('forward', until, control);
  return t.run('forward', { ...until, goal: { addresses: [caller.pc], reached: () => p.place().cfa === caller.cfa } }, control);
}

/** Reverse next: the start of the previous statement executed in this frame, stepping over calls. */
export function reverseNext(t: Travel, until: Until, control: Control): Promise<Stop> {
  const { position: p } = t;
  if (p.statements && !p.statements.hasSource(p.pc)) return leaveCodeWithoutSource(t, 'backward', until, control) ?? reverseStepIn(t, until, control);
  const fn = p.frames(1)[0]?.function;
  if (!fn || !p.statements) return t.stepInstruction('backward');
  const here = p.place();
  if (p.pc === fn.low) return reverseStepOut(t, until, control);
  const candidates = p.statements.inFunction(fn).concat(fn.low);
  return t.backwardTo(candidates, (hits, complete) => {
    // Only this instance of the function: the hits since its latest entry with the same frame.
    let mine = hits.filter((h) => h.info.fn === fn.low && h.info.cfa === here.cfa);
    const entry = findLastIndex(mine, (h) => h.pc === fn.low);
    if (entry >= 0) mine = mine.slice(entry);
    return previousStatement(mine, complete || entry >= 0, (h) => h.pc === fn.low);
  }, () => reverseStepOut(t, until, control), until, control);
}

/** Reverse step into: the start of the previous statement executed anywhere with source. */
export function reverseStepIn(t: Travel, until: Until, control: Control): Promise<Stop> {
  const { position: p } = t;
  const out = p.statements && !p.statements.hasSource(p.pc) ? leaveCodeWithoutSource(t, 'backward', until, control) : undefined;
  if (out) return out;
  if (!p.statements || p.place().fn === undefined) return t.stepInstruction('backward');
  return t.backwardTo(p.statements.all(), (hits, complete) => previousStatement(hits, complete, () => false), () => toStart(t), until, control);
}

/** Reverse step out (reverse finish): to the call of the current frame, in the caller. */
export function reverseStepOut(t: Travel, until: Until, control: Control): Promise<Stop> {
  const { position: p } = t;
  const fn = p.frames(1)[0]?.function;
  const here = p.place();
  if (!fn || here.cfa === undefined) return t.stepInstruction('backward');
  // At the function's first instruction, the call is the step just before.
  if (p.pc === fn.low && p.step > 0) return t.stepInstruction('backward');
  return t.backwardTo([fn.low], entryOf(here.cfa), () => toStart(t), until, control, (target) => Math.max(0, target - 1));
}

/** Restart frame: back to the first instruction of the frame's function instance. */
export function restartFrame(t: Travel, frame: Frame, until: Until, control: Control): Promise<Stop> {
  const fn = frame.function;
  if (!fn) throw new TravelError('this frame has no known function, so its entry cannot be found');
  return t.backwardTo([fn.low], entryOf(frame.cfa), async () => {
    throw new TravelError(`the entry of ${fn.name} is not in the recording (it was entered before step 0)`);
  }, until, control);
}

/**
 * Out of code without source to the nearest caller with source: forward to its return there, backward
 * to its call (the step before the entry of the frame it called). Undefined when no caller has source.
 */
function leaveCodeWithoutSource(t: Travel, direction: 'forward' | 'backward', until: Until, control: Control): Promise<Stop> | undefined {
  const { position: p } = t;
  const frames = p.frames();
  const k = frames.findIndex((f, i) => i > 0 && p.statements!.frameHasSource(f));
  const callee = frames[k - 1];
  if (k < 0 || frames.slice(0, k).some((f) => f.trap) || !callee?.function) return undefined;
  const caller = frames[k];
  if (direction === 'forward') {
    return t.run('forward', { ...until, goal: { addresses: [caller.pc], reached: () => p.place().cfa === caller.cfa } }, control);
  }
  if (p.pc === callee.function.low && k === 1) return t.stepInstruction('backward');
  return t.backwardTo([callee.function.low], entryOf(callee.cfa), () => toStart(t), until, control, (target) => Math.max(0, target - 1));
}

/** The latest entry of the function instance whose frame is at `cfa`. */
function entryOf(cfa: number | undefined) {
  return (hits: Array<Hit<Place>>, complete: boolean): number | undefined | 'more' => {
    const entry = findLastIndex(hits, (h) => h.info.cfa === cfa);
    if (entry >= 0) return hits[entry].step;
    return complete ? undefined : 'more';
  };
}

async function toStart(t: Travel): Promise<Stop> {
  await t.position.engine.seek(0);
  return t.describe({ reason: 'start' });
}

/**
 * The start of the previous "line execution" before here: consecutive statement hits at the same
 * place form one.
 */
function previousStatement(hits: Array<Hit<Place>>, complete: boolean, isEntry: (h: Hit<Place>) => boolean): number | undefined | 'more' {
  // Wherever we are in the current line's execution, its start is the run of same-place hits that
  // ends with the last hit; if we stand on a new line's first statement, that run is the previous line.
  if (hits.length === 0) return complete ? undefined : 'more';
  let i = hits.length - 1;
  while (i > 0 && samePlace(hits[i - 1].info, hits[i].info) && !isEntry(hits[i])) i--;
  if (i === 0 && !complete && !isEntry(hits[0])) return 'more';
  return hits[i].step;
}

function findLastIndex<T>(list: T[], test: (item: T) => boolean): number {
  for (let i = list.length - 1; i >= 0; i--) if (test(list[i])) return i;
  return -1;
}
