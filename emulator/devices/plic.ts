/**
 * The platform-level interrupt controller of QEMU's `virt` board (SiFive PLIC layout) at 0x0c000000,
 * for one hart with QEMU's two contexts: context 0 is the hart's M-mode (it drives mip.MEIP), context 1
 * its S-mode (mip.SEIP). Registers, as QEMU lays them out:
 *   0x000000 + 4·source       priority (0..7; 0 never interrupts)
 *   0x001000 + 4·word         pending bits (read-only)
 *   0x002000 + 0x80·context   enable bits, 32 sources a word
 *   0x200000 + 0x1000·context threshold (+0), claim/complete (+4)
 * Sources are level-triggered (QEMU's `virt` wires the UART to source 10): a source is pending while its
 * level is high and it is not claimed; a claim returns the highest-priority pending enabled source above
 * the context's threshold (the lowest number among equals) and holds it until the guest writes its
 * number back (complete). Nothing here runs per step: only device accesses and level changes.
 */
import { Device, DeviceState } from './device';
import { zeros } from '../zeros';

export const PLIC_BASE = 0x0c000000;
/**
 * The layout. A const enum, so that each is a literal where used: a module's `const` is read from its
 * scope at every use (in tsc's CommonJS output an exported one is a property of the module's exports),
 * and every claim, completion and level change of a kernel's console interrupt runs these paths.
 */
const enum Layout {
  /** QEMU `virt`: 96 interrupt sources (source 0 means "none"), priorities 0..7. */
  Sources = 96,
  Words = Sources / 32,
  MaxPriority = 7,
  Contexts = 2,
}
/** Where each kind of register starts. */
const enum Offset { Pending = 0x1000, Enable = 0x2000, Context = 0x200000 }
/** A context's span among the enables and among the threshold and claim registers. */
const enum Stride { Enable = 0x80, Context = 0x1000 }
/** The mip bit context `c` drives: MEIP (11) for the M-mode context 0, SEIP (9) for the S-mode one. */
function contextMip(c: number): number {
  return c === 0 ? 1 << 11 : 1 << 9;
}

export class Plic implements Device {
  readonly name = 'plic';
  readonly base = PLIC_BASE;
  /** QEMU maps room for 512 harts' contexts; beyond ours, reads are 0 and writes ignored (as there). */
  readonly size = 0x600000;
  private priority = zeros(Layout.Sources);
  /** Device levels and claimed sources, 32 per word; pending = level and not claimed. */
  private level = zeros(Layout.Words);
  private claimed = zeros(Layout.Words);
  private enable: number[][] = Array.from({ length: Layout.Contexts }, () => zeros(Layout.Words));
  private threshold = zeros(Layout.Contexts);
  /** The mip bits (MEIP, SEIP) the PLIC drives now; recomputed after every change. */
  lines = 0;

  /** Called after any change of configuration, claims or levels: interrupts may now come at another step. */
  onChange: () => void = () => undefined;

  /** A device's interrupt line went to `high`. */
  setLevel(source: number, high: boolean): void {
    const word = source >>> 5, bit = 1 << (source & 31);
    const now = high ? this.level[word] | bit : this.level[word] & ~bit;
    if (now === this.level[word]) return;
    this.level[word] = now;
    this.update();
  }

  private pending(word: number): number {
    return this.level[word] & ~this.claimed[word];
  }

  /** The source a claim by `context` would return now (0: none). */
  private best(context: number): number {
    let best = 0;
    let bestPriority = this.threshold[context];
    for (let w = 0; w < Layout.Words; w++) {
      let bits = this.pending(w) & this.enable[context][w];
      while (bits !== 0) {
        const bit = 31 - Math.clz32(bits & -bits);
        bits &= bits - 1;
        const source = w * 32 + bit;
        if (this.priority[source] > bestPriority) {
          best = source;
          bestPriority = this.priority[source];
        }
      }
    }
    return best;
  }

  private update(): void {
    this.computeLines();
    this.onChange();
  }

  private computeLines(): void {
    let lines = 0;
    for (let c = 0; c < Layout.Contexts; c++) if (this.best(c) !== 0) lines |= contextMip(c);
    this.lines = lines;
  }

  /**
   * The mip bits that `source` would raise if its level went high now (not claimed, enabled in a context
   * whose threshold its priority passes): whether an interrupt would be taken for it.
   */
  routes(source: number): number {
    const word = source >>> 5, bit = 1 << (source & 31);
    if ((this.claimed[word] & bit) !== 0) return 0;
    let lines = 0;
    for (let c = 0; c < Layout.Contexts; c++) {
      if ((this.enable[c][word] & bit) !== 0 && this.priority[source] > this.threshold[c]) lines |= contextMip(c);
    }
    return lines;
  }

  read(offset: number): number {
    return this.peekWord(offset & ~3, true);
  }

  /** A register's value as a debugger reads it: a claim is not taken (`claim` false). */
  peekWord(offset: number, claim = false): number {
    if (offset < Offset.Pending) return offset < Layout.Sources * 4 ? this.priority[offset >>> 2] : 0;
    if (offset < Offset.Enable) {
      const w = (offset - Offset.Pending) >>> 2;
      return w < Layout.Words ? this.pending(w) | 0 : 0;
    }
    if (offset < Offset.Context) {
      const c = (offset - Offset.Enable) / Stride.Enable | 0, w = ((offset - Offset.Enable) % Stride.Enable) >>> 2;
      return c < Layout.Contexts && w < Layout.Words ? this.enable[c][w] | 0 : 0;
    }
    const c = (offset - Offset.Context) / Stride.Context | 0, register = (offset - Offset.Context) % Stride.Context;
    if (c >= Layout.Contexts) return 0;
    if (register === 0) return this.threshold[c];
    if (register !== 4) return 0;
    const source = this.best(c);
    if (claim && source !== 0) {
      this.claimed[source >>> 5] |= 1 << (source & 31);
      this.update();
    }
    return source;
  }

  write(offset: number, _size: 1 | 2 | 4, value: number): void {
    offset &= ~3;
    if (offset < Offset.Pending) {
      // Source 0 does not exist: its priority reads as 0 whatever is written (QEMU keeps it too, unused).
      if (offset >= 4 && offset < Layout.Sources * 4) this.priority[offset >>> 2] = value & Layout.MaxPriority;
    } else if (offset >= Offset.Enable && offset < Offset.Context) {
      const c = (offset - Offset.Enable) / Stride.Enable | 0, w = ((offset - Offset.Enable) % Stride.Enable) >>> 2;
      if (c < Layout.Contexts && w < Layout.Words) this.enable[c][w] = value | 0;
    } else if (offset >= Offset.Context) {
      const c = (offset - Offset.Context) / Stride.Context | 0, register = (offset - Offset.Context) % Stride.Context;
      if (c >= Layout.Contexts) return;
      if (register === 0 && (value >>> 0) <= Layout.MaxPriority) this.threshold[c] = value;
      // Completion: the source may interrupt again (at once, if its level is still high).
      else if (register === 4 && (value >>> 0) < Layout.Sources) this.claimed[value >>> 5] &= ~(1 << (value & 31));
    }
    this.update();
  }

  /**
   * Copies by slice and a loop, not spread and flat: taken at every checkpoint of a recording with its
   * code out of the caches, where the iterator's and flat's builtins were ~40% of the core state's save.
   */
  save(): DeviceState {
    const enable: number[] = [];
    for (let c = 0; c < this.enable.length; c++) for (let w = 0; w < Layout.Words; w++) enable.push(this.enable[c][w]);
    return { priority: this.priority.slice(), level: this.level.slice(), claimed: this.claimed.slice(), enable, threshold: this.threshold.slice() };
  }

  restore(s: DeviceState): void {
    this.priority = [...(s.priority as number[])];
    this.level = [...(s.level as number[])];
    this.claimed = [...(s.claimed as number[])];
    const enable = s.enable as number[];
    this.enable = Array.from({ length: Layout.Contexts }, (_, c) => enable.slice(c * Layout.Words, (c + 1) * Layout.Words));
    this.threshold = [...(s.threshold as number[])];
    this.computeLines();
  }
}
