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
/** QEMU `virt`: 96 interrupt sources (source 0 means "none"), priorities 0..7. */
export const PLIC_SOURCES = 96;
const WORDS = PLIC_SOURCES / 32;
const MAX_PRIORITY = 7;
export const PLIC_CONTEXTS = 2;
/** mip bits each context drives: MEIP (11) for the M-mode context, SEIP (9) for the S-mode one. */
const CONTEXT_MIP = [1 << 11, 1 << 9];

const PENDING = 0x1000;
const ENABLE = 0x2000;
const ENABLE_STRIDE = 0x80;
const CONTEXT = 0x200000;
const CONTEXT_STRIDE = 0x1000;

export class Plic implements Device {
  readonly name = 'plic';
  readonly base = PLIC_BASE;
  /** QEMU maps room for 512 harts' contexts; beyond ours, reads are 0 and writes ignored (as there). */
  readonly size = 0x600000;
  private priority = zeros(PLIC_SOURCES);
  /** Device levels and claimed sources, 32 per word; pending = level and not claimed. */
  private level = zeros(WORDS);
  private claimed = zeros(WORDS);
  private enable: number[][] = Array.from({ length: PLIC_CONTEXTS }, () => zeros(WORDS));
  private threshold = zeros(PLIC_CONTEXTS);
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
    for (let w = 0; w < WORDS; w++) {
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
    for (let c = 0; c < PLIC_CONTEXTS; c++) if (this.best(c) !== 0) lines |= CONTEXT_MIP[c];
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
    for (let c = 0; c < PLIC_CONTEXTS; c++) {
      if ((this.enable[c][word] & bit) !== 0 && this.priority[source] > this.threshold[c]) lines |= CONTEXT_MIP[c];
    }
    return lines;
  }

  read(offset: number): number {
    return this.peekWord(offset & ~3, true);
  }

  /** A register's value as a debugger reads it: a claim is not taken (`claim` false). */
  peekWord(offset: number, claim = false): number {
    if (offset < PENDING) return offset < PLIC_SOURCES * 4 ? this.priority[offset >>> 2] : 0;
    if (offset < ENABLE) {
      const w = (offset - PENDING) >>> 2;
      return w < WORDS ? this.pending(w) | 0 : 0;
    }
    if (offset < CONTEXT) {
      const c = (offset - ENABLE) / ENABLE_STRIDE | 0, w = ((offset - ENABLE) % ENABLE_STRIDE) >>> 2;
      return c < PLIC_CONTEXTS && w < WORDS ? this.enable[c][w] | 0 : 0;
    }
    const c = (offset - CONTEXT) / CONTEXT_STRIDE | 0, register = (offset - CONTEXT) % CONTEXT_STRIDE;
    if (c >= PLIC_CONTEXTS) return 0;
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
    if (offset < PENDING) {
      // Source 0 does not exist: its priority reads as 0 whatever is written (QEMU keeps it too, unused).
      if (offset >= 4 && offset < PLIC_SOURCES * 4) this.priority[offset >>> 2] = value & MAX_PRIORITY;
    } else if (offset >= ENABLE && offset < CONTEXT) {
      const c = (offset - ENABLE) / ENABLE_STRIDE | 0, w = ((offset - ENABLE) % ENABLE_STRIDE) >>> 2;
      if (c < PLIC_CONTEXTS && w < WORDS) this.enable[c][w] = value | 0;
    } else if (offset >= CONTEXT) {
      const c = (offset - CONTEXT) / CONTEXT_STRIDE | 0, register = (offset - CONTEXT) % CONTEXT_STRIDE;
      if (c >= PLIC_CONTEXTS) return;
      if (register === 0 && (value >>> 0) <= MAX_PRIORITY) this.threshold[c] = value;
      // Completion: the source may interrupt again (at once, if its level is still high).
      else if (register === 4 && (value >>> 0) < PLIC_SOURCES) this.claimed[value >>> 5] &= ~(1 << (value & 31));
    }
    this.update();
  }

  /**
   * Copies by slice and a loop, not spread and flat: taken at every checkpoint of a recording with its
   * code out of the caches, where the iterator's and flat's builtins were ~40% of the core state's save.
   */
  save(): DeviceState {
    const enable: number[] = [];
    for (let c = 0; c < this.enable.length; c++) for (let w = 0; w < WORDS; w++) enable.push(this.enable[c][w]);
    return { priority: this.priority.slice(), level: this.level.slice(), claimed: this.claimed.slice(), enable, threshold: this.threshold.slice() };
  }

  restore(s: DeviceState): void {
    this.priority = [...(s.priority as number[])];
    this.level = [...(s.level as number[])];
    this.claimed = [...(s.claimed as number[])];
    const enable = s.enable as number[];
    this.enable = Array.from({ length: PLIC_CONTEXTS }, (_, c) => enable.slice(c * WORDS, (c + 1) * WORDS));
    this.threshold = [...(s.threshold as number[])];
    this.computeLines();
  }
}
