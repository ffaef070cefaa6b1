/**
 * Step breakpoints (QEMU's replay-break, but any number): stop when travel reaches exactly a step, in
 * either direction. The session's list; each run gets it as part of its stop set.
 */
import { EngineError } from '../emulator/replay/engine';
import { countText } from './count-text';

export class StepBreakpoints {
  private readonly steps = new Set<number>();

  /** `check` says whether a step is in the recording (and throws a sentence when not). */
  constructor(private readonly check: (step: number) => void) {}

  /**
   * Adding one that exists changes nothing and says so (returns false); one in the past is fine, since
   * we can travel back to it.
   */
  add(step: number): boolean {
    this.check(step);
    if (this.steps.has(step)) return false;
    this.steps.add(step);
    return true;
  }

  /** Removing a step breakpoint that does not exist is an error, not a silent no-op. */
  remove(step: number): void {
    if (!this.steps.delete(step)) {
      throw new EngineError(`there is no step breakpoint at step ${countText(step)}`);
    }
  }

  clear(): void {
    this.steps.clear();
  }

  /** All of them, ascending. */
  list(): number[] {
    return [...this.steps].sort((a, b) => a - b);
  }
}
