/**
 * 64-bit counters that follow the step count. A counter is never incremented per instruction (that would
 * cost the hot path): it is `base + offset` modulo 2^64, where `base` is what the machine counts anyway
 * (steps, retired instructions, timer ticks; always below 2^53) and the offset is what guest writes left.
 * The offset is kept as two unsigned 32-bit halves, so that the counter wraps at 2^64 exactly as hardware
 * does (a JavaScript number would lose the low bits past 2^53). A counter can also be frozen (the
 * `mcountinhibit` bits): then it reads a stored value whatever the base does.
 */

const TWO32 = 4294967296;

/** The low and high 32-bit halves (unsigned) of a counter value. */
export interface Halves {
  lo: number;
  hi: number;
}

export interface Counter64State {
  offsetLo: number;
  offsetHi: number;
  /** Present while the counter is frozen: the value it holds. */
  frozen?: [number, number];
}

export class Counter64 {
  offsetLo = 0;
  offsetHi = 0;
  /** The value held while frozen, or null while the counter follows its base. */
  private frozen: Halves | null = null;

  /** The counter's value when its base is `base` (a safe integer). */
  value(base: number): Halves {
    if (this.frozen !== null) return { ...this.frozen };
    const sumLo = (base % TWO32) + this.offsetLo;
    const carry = sumLo >= TWO32 ? 1 : 0;
    return { lo: sumLo - carry * TWO32, hi: (Math.floor(base / TWO32) + this.offsetHi + carry) % TWO32 };
  }

  /** Sets the offset so that the counter reads `value` when its base is `base`. */
  set(base: number, value: Halves): void {
    if (this.frozen !== null) {
      this.frozen = { lo: value.lo >>> 0, hi: value.hi >>> 0 };
      return;
    }
    const baseLo = base % TWO32;
    const lo = (value.lo >>> 0) - baseLo;
    const borrow = lo < 0 ? 1 : 0;
    this.offsetLo = lo + borrow * TWO32;
    this.offsetHi = (((value.hi >>> 0) - Math.floor(base / TWO32) - borrow) % TWO32 + TWO32) % TWO32;
  }

  /**
   * A guest write to one half by the instruction now executing, at `base`. The other half keeps its value
   * from before that instruction, and the counter reads exactly this once the instruction has retired:
   * its own increment is suppressed (the privileged spec's rule), so it cannot carry into the written half.
   */
  writeHalf(base: number, upper: boolean, value: number): void {
    const now = this.value(base);
    this.set(base + 1, upper ? { lo: now.lo, hi: value >>> 0 } : { lo: value >>> 0, hi: now.hi });
  }

  /** Stops (true) or restarts (false) the counter at `base`; a restarted counter goes on from its value. */
  freeze(base: number, frozen: boolean): void {
    if (frozen === (this.frozen !== null)) return;
    if (frozen) {
      this.frozen = this.value(base);
    } else {
      const held = this.frozen!;
      this.frozen = null;
      this.set(base, held);
    }
  }

  save(): Counter64State {
    const state: Counter64State = { offsetLo: this.offsetLo, offsetHi: this.offsetHi };
    if (this.frozen !== null) state.frozen = [this.frozen.lo, this.frozen.hi];
    return state;
  }

  restore(s: Counter64State): void {
    this.offsetLo = s.offsetLo;
    this.offsetHi = s.offsetHi;
    this.frozen = s.frozen ? { lo: s.frozen[0], hi: s.frozen[1] } : null;
  }
}
