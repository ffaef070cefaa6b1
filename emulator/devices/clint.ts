/**
 * The core-local interruptor of QEMU's `virt` board (SiFive CLINT layout): `msip` at 0x0, `mtimecmp` at
 * 0x4000, `mtime` at 0xbff8. `mtime` is not a host clock: it is the step count divided by
 * `stepsPerTick`, so that timer interrupts land on the same step in every replay and cost no log bytes.
 */
import { Device, DeviceState } from './device';
import { Counter64, Counter64State, Halves } from '../cpu/counter64';
import { markMutable } from '../mutable-fields';

export const CLINT_BASE = 0x02000000;
const TWO32 = 4294967296;

export interface ClintClock {
  /** Steps taken before the instruction now executing. */
  exactStep(): number;
}

export class Clint implements Device {
  readonly name = 'clint';
  readonly base = CLINT_BASE;
  readonly size = 0x10000;
  msip = 0;
  /**
   * mtimecmp as two 32-bit halves: a JavaScript number cannot hold a 64-bit value whose high half is
   * large (guests park it at 0xffffffff_xxxxxxxx while writing the low half, as the privileged spec
   * advises), and rounding would lose the low half. Reset value 0, as on QEMU's `virt` board: mip.MTIP
   * reads as pending until the guest programs mtimecmp.
   */
  mtimecmpLo = 0;
  mtimecmpHi = 0;
  /** mtime: the step-derived tick count plus what guest writes left, 64 bits, wrapping. */
  private readonly time = new Counter64();
  /**
   * When the timer interrupt is pending, as steps, recomputed only when mtime or mtimecmp is written:
   * from `pendingFrom` until mtime wraps at `wrapsAt`, and again from `pendingAgain` (Infinity: never).
   */
  private pendingFrom = 0;
  private wrapsAt = Infinity;
  private pendingAgain = Infinity;

  /** Called when msip or mtimecmp changes: the next interrupt may now come at another step. */
  onChange: () => void = () => undefined;

  constructor(private readonly clock: ClintClock, readonly stepsPerTick: number) {
    // A guest that programs the timer writes mtimecmp, and `pendingFrom` becomes a step count that may
    // not be a small integer: both said so before V8 optimizes the code that reads them. `pendingFrom`
    // a double from the first object on (a double written later gave every CLINT a new shape: after a
    // major GC, the scratch machine's, of the old shape, kept none of the device code's shapes alive).
    markMutable(this, { mtimecmpLo: 1, mtimecmpHi: 1, pendingFrom: 0.5 });
    this.schedule();
  }

  private ticks(): number {
    return Math.floor(this.clock.exactStep() / this.stepsPerTick);
  }

  /** mtime now, as two unsigned halves. */
  mtimeHalves(): Halves {
    return this.time.value(this.ticks());
  }

  /** mtime as a number, for display and tests (rounded above 2^53). */
  mtime(): number {
    const t = this.mtimeHalves();
    return t.hi * TWO32 + t.lo;
  }

  /** mtimecmp as a number, for display and tests (rounded above 2^53). */
  get mtimecmp(): number {
    return this.mtimecmpHi * TWO32 + this.mtimecmpLo;
  }

  timerPending(): boolean {
    return this.pendingAt(this.clock.exactStep());
  }

  private pendingAt(step: number): boolean {
    return (step >= this.pendingFrom && step < this.wrapsAt) || step >= this.pendingAgain;
  }

  /** The first step from now on at which the timer interrupt is pending (Infinity if never). */
  timerStep(): number {
    const now = this.clock.exactStep();
    if (this.pendingAt(now)) return now;
    return now < this.pendingFrom ? this.pendingFrom : this.pendingAgain;
  }

  /**
   * Works out the steps at which mtime ≥ mtimecmp (unsigned 64-bit) holds, with BigInt: this runs only
   * when the guest writes mtime or mtimecmp, never per step. mtime at step s is
   * (floor(s / stepsPerTick) + offset) mod 2^64; before it wraps it grows from the offset.
   */
  private schedule(): void {
    if (this.time.offsetHi === 0 && this.time.offsetLo === 0 && this.mtimecmpHi < 0x200000) {
      // The common case, a tick per deadline (mtime never written, mtimecmp below 2^53): the same
      // steps in plain numbers (a product past 2^53 is past MAX_SAFE_INTEGER however it rounds).
      const compare = this.mtimecmpHi * TWO32 + this.mtimecmpLo;
      const step = compare * this.stepsPerTick;
      this.wrapsAt = this.pendingAgain = Infinity;
      this.pendingFrom = compare === 0 ? 0 : step > Number.MAX_SAFE_INTEGER ? Infinity : step;
      return;
    }
    const k = BigInt(this.stepsPerTick);
    const offset = (BigInt(this.time.offsetHi) << 32n) | BigInt(this.time.offsetLo);
    const compare = (BigInt(this.mtimecmpHi) << 32n) | BigInt(this.mtimecmpLo);
    const stepOf = (ticks: bigint): number => (ticks <= 0n ? 0 : ticks * k > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(ticks * k));
    const wrap = 1n << 64n;
    this.wrapsAt = stepOf(wrap - offset);
    this.pendingFrom = compare <= offset ? 0 : stepOf(compare - offset);
    this.pendingAgain = stepOf(wrap + compare - offset);
  }

  read(offset: number, size: 1 | 2 | 4): number {
    const word = offset & ~3;
    const value = this.readWord(word);
    return size === 4 ? value : (value >>> ((offset & 3) * 8)) & (size === 1 ? 0xff : 0xffff);
  }

  private readWord(word: number): number {
    if (word === 0) return this.msip;
    if (word === 0x4000) return this.mtimecmpLo | 0;
    if (word === 0x4004) return this.mtimecmpHi | 0;
    if (word === 0xbff8) return this.mtimeHalves().lo | 0;
    if (word === 0xbffc) return this.mtimeHalves().hi | 0;
    return 0;
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    const word = offset & ~3;
    if (size !== 4) {
      const shift = (offset & 3) * 8;
      const mask = (size === 1 ? 0xff : 0xffff) << shift;
      value = (this.readWord(word) & ~mask) | ((value << shift) & mask);
    }
    const u = value >>> 0;
    if (word === 0) this.msip = u & 1;
    else if (word === 0x4000) this.mtimecmpLo = u;
    else if (word === 0x4004) this.mtimecmpHi = u;
    else if (word === 0xbff8) this.time.set(this.ticks(), { lo: u, hi: this.mtimeHalves().hi });
    else if (word === 0xbffc) this.time.set(this.ticks(), { lo: this.mtimeHalves().lo, hi: u });
    else return;
    this.schedule();
    this.onChange();
  }

  save(): DeviceState {
    const time = this.time.save();
    return { msip: this.msip, mtimecmpLo: this.mtimecmpLo, mtimecmpHi: this.mtimecmpHi, mtimeOffsetLo: time.offsetLo, mtimeOffsetHi: time.offsetHi };
  }

  restore(s: DeviceState): void {
    this.msip = s.msip as number;
    this.mtimecmpLo = s.mtimecmpLo as number;
    this.mtimecmpHi = s.mtimecmpHi as number;
    this.time.restore({ offsetLo: s.mtimeOffsetLo as number, offsetHi: s.mtimeOffsetHi as number } satisfies Counter64State);
    this.schedule();
  }
}
