/**
 * Running with Sv32 paging on: instruction fetches (below M-mode) and data accesses (below M-mode, or
 * through MPRV) go through address translation, so code is found by virtual address and every load and
 * store takes the translating slow path.
 *
 * This runs one instruction at a time, apart from the physical code cache and its compiled tiers, which
 * serve untranslated (M-mode, Bare) code and keep its speed. Closures are kept per virtual pc and used
 * again only when the current translation fetches the very same instruction bits there: a change of
 * satp, of a page table, or of the code itself can never run stale code, and needs no invalidation.
 */
import { compile, ExecContext, Op } from '../cpu/compile';
import { Cause, EndOfBlock, GuestTrap, InputWait } from '../cpu/traps';
import { decode } from '../isa/decode';
import { Access, translate, translates, TranslationHost } from '../memory/sv32';
import { StopConditions } from './stop-conditions';

/** The machine as the translated run sees it. */
export interface TranslatedHost extends ExecContext, TranslationHost {
  pc: number;
  step: number;
  readonly sliceEnd: number;
  trap(cause: Cause, tval: number, pc: number): number;
}

/** Closures kept before the cache is emptied (a bound on memory for programs that touch much code). */
const MAX_KEPT = 1 << 16;

export class TranslatedRun {
  private ops = new Map<number, { raw: number; op: Op }>();

  constructor(private readonly m: TranslatedHost, private readonly stops: StopConditions) {}

  /** Forget every closure (they were compiled for another setting, such as watched reads). */
  flush(): void {
    this.ops = new Map();
  }

  /**
   * Runs until `sliceEnd`, a stop condition, or translation turns off; returns true when an instruction
   * has to wait for input (it has not executed).
   */
  runSlice(stillTranslating: () => boolean): boolean {
    const m = this.m;
    const stops = this.stops;
    let pc = m.pc;
    while (m.step < m.sliceEnd) {
      if (stops.breakpointAt(pc, m.step)) {
        stops.pending = { kind: 'breakpoint', address: pc };
        break;
      }
      try {
        pc = this.fetch(pc)();
        m.step++;
      } catch (e) {
        if (e instanceof InputWait) {
          m.pc = e.pc;
          return true;
        }
        if (e instanceof GuestTrap) {
          m.step++;
          pc = m.trap(e.cause, e.tval, e.pc);
        } else if (!(e instanceof EndOfBlock)) {
          throw e;
        } else {
          // Not thrown outside a block of the code cache; counted as a completed instruction if it were.
          m.step++;
        }
      }
      if (!stillTranslating()) break;
    }
    m.pc = pc;
    return false;
  }

  /** The closure for the instruction at virtual address `pc`, as the current translation fetches it. */
  private fetch(pc: number): Op {
    const m = this.m;
    const low = this.fetchHalf(pc, pc);
    const raw = (low & 3) !== 3 ? low : (low | (this.fetchHalf((pc + 2) >>> 0, pc) << 16)) >>> 0;
    const kept = this.ops.get(pc);
    if (kept !== undefined && kept.raw === raw) return kept.op;
    const decoded = decode(raw);
    const op: Op = decoded ? compile(decoded, pc, m) : () => m.trap(Cause.IllegalInstruction, raw, pc);
    if (this.ops.size >= MAX_KEPT) this.ops = new Map();
    this.ops.set(pc, { raw, op });
    return op;
  }

  /**
   * One halfword of an instruction; a fault reports the instruction's own address `pc`. M-mode code runs
   * here too while MPRV translates its loads and stores, and its fetches are not translated.
   */
  private fetchHalf(va: number, pc: number): number {
    const m = this.m;
    const physical = translates(m, Access.Fetch) ? translate(m, va, Access.Fetch, pc) : va;
    const offset = m.ram.offsetOf(physical, 2);
    if (offset < 0) throw new GuestTrap(Cause.InstructionAccessFault, va, pc);
    return m.ram.u16[offset >>> 1];
  }
}
