/**
 * The core-local interruptor of QEMU's `virt` board (SiFive CLINT layout): `msip` at 0x0, `mtimecmp` at
 * 0x4000, `mtime` at 0xbff8. `mtime` is not a host clock: it is the step count divided by
 * `stepsPerTick`, so that timer interrupts land on the same step in every replay and cost no log bytes.
 */
import { Device, DeviceState } from './device';

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
  /** Added to the step-derived time; a guest write to mtime moves it. */
  mtimeOffset = 0;

  /** Called when msip or mtimecmp changes: the next interrupt may now come at another step. */
  onChange: () => void = () => undefined;

  constructor(private readonly clock: ClintClock, readonly stepsPerTick: number) {}

  mtime(): number {
    return Math.floor(this.clock.exactStep() / this.stepsPerTick) + this.mtimeOffset;
  }

  /** mtimecmp as a number, for comparisons only: above 2^53 it is rounded, but still beyond any mtime. */
  get mtimecmp(): number {
    return this.mtimecmpHi * TWO32 + this.mtimecmpLo;
  }

  timerPending(): boolean {
    return this.mtime() >= this.mtimecmp;
  }

  /** The first step at which the timer interrupt will be pending (Infinity if never). */
  timerStep(): number {
    if (this.mtimecmp >= Number.MAX_SAFE_INTEGER) return Infinity;
    return Math.max(0, (this.mtimecmp - this.mtimeOffset) * this.stepsPerTick);
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
    if (word === 0xbff8) return lo(this.mtime());
    if (word === 0xbffc) return hi(this.mtime());
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
    else if (word === 0xbff8) this.setMtime(hi(this.mtime()) * TWO32 + u);
    else if (word === 0xbffc) this.setMtime(u * TWO32 + (lo(this.mtime()) >>> 0));
    else return;
    this.onChange();
  }

  private setMtime(value: number): void {
    this.mtimeOffset += value - this.mtime();
  }

  save(): DeviceState {
    return { msip: this.msip, mtimecmpLo: this.mtimecmpLo, mtimecmpHi: this.mtimecmpHi, mtimeOffset: this.mtimeOffset };
  }

  restore(s: DeviceState): void {
    this.msip = s.msip as number;
    this.mtimecmpLo = s.mtimecmpLo as number;
    this.mtimecmpHi = s.mtimecmpHi as number;
    this.mtimeOffset = s.mtimeOffset as number;
  }
}

const lo = (n: number): number => (n % TWO32) | 0;
const hi = (n: number): number => Math.floor(n / TWO32) | 0;
