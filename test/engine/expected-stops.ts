/**
 * Where a search should stop, computed from the forward scan's list of hits and the step breakpoints:
 * the rules the engine documents, written out once, independently of how it searches.
 */
import { Hit } from './forward-scan';

export interface Expected {
  position: number;
  /** The stop reason, when only one condition holds at that position. */
  reason?: string;
}

/** Reverse continue from `from`: the last hit or step breakpoint before it; none: step 0, "start". */
export function expectedBackward(from: number, hits: Hit[], stepBreakpoints: number[]): Expected {
  const before = [
    ...hits.filter((h) => h.position < from).map((h) => ({ position: h.position, reason: h.kind })),
    ...stepBreakpoints.filter((s) => s < from).map((s) => ({ position: s, reason: 'stepBreakpoint' })),
  ];
  if (before.length === 0) return { position: 0, reason: 'start' };
  const last = Math.max(...before.map((c) => c.position));
  const there = before.filter((c) => c.position === last);
  return { position: last, reason: new Set(there.map((c) => c.reason)).size === 1 ? there[0].reason : undefined };
}

/**
 * Continue from `from`: a breakpoint or step breakpoint stops before its position (not the one here,
 * where the engine resumes from); a watchpoint or trap stops just after the step that hit it (also the
 * step that starts here). A step breakpoint is checked before the breakpoint at the same position.
 */
export function expectedForward(from: number, hits: Hit[], stepBreakpoints: number[], lastStep: number): Expected {
  const candidates = [
    ...hits.filter((h) => h.kind === 'breakpoint' && h.position > from).map((h) => ({ key: h.position, position: h.position, reason: 'breakpoint' })),
    ...hits.filter((h) => h.kind !== 'breakpoint' && h.position >= from).map((h) => ({ key: h.position + 0.5, position: h.position + 1, reason: h.kind as string })),
    ...stepBreakpoints.filter((s) => s > from && s < lastStep).map((s) => ({ key: s - 0.25, position: s, reason: 'stepBreakpoint' })),
  ];
  if (candidates.length === 0) return { position: lastStep, reason: 'end' };
  const first = candidates.reduce((a, b) => (b.key < a.key ? b : a));
  return { position: first.position, reason: first.reason };
}
