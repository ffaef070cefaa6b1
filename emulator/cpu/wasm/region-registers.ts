/**
 * Which guest registers a region's wasm function (wasm-region.ts) keeps in wasm locals, loaded from
 * memory at its entry and stored back at its exit; the others are read and written in memory where used
 * (region-writer.ts, wasm-instructions.ts).
 */
import { RegionBlock } from '../region';
import { Code, I32 } from './wasm-binary';

/** The return address register: a jump through it is a return, not a switch. */
export const RA = 1;

/**
 * A hot region's function keeps at most this many guest registers in wasm locals, those its instructions
 * use most (weighted by their blocks' runs), and reads and writes the others in memory where used. Each
 * local is loaded at every entry and, if written, stored at every exit, and TurboFan spills most of ~15-20
 * live across the dispatch loop: bench/mathlib enters regions 2.19M times a run for ~25 steps, loading
 * ~15 registers and storing ~14 each time. Steady (second run in a process, cachegrind): mathlib 1,296M
 * instructions with all in locals, 1,255M with 12, 1,195M with 8, 1,170M with 5, 1,165M with 2; main-thread
 * CPU (medians of 8 pairs) mathlib 141 -> 123 ms, softfloat 64 -> 57, qrcode 64 -> 56. A fresh `rewind
 * run` (cachegrind, --single-threaded): mathlib 2,435 -> 2,318M, softfloat 1,901 -> 1,825M, tree 1,736 ->
 * 1,619M, qrcode 1,666 -> 1,580M, jpeg 1,572 -> 1,512M (with 5: 2,294 / 1,800 / 1,598 / 1,561 / 1,508M,
 * the others not measured). Warm cases keep every register in a local: the limit and its weights,
 * computed for each of statemachine's ~590 cases while V8 runs this unoptimized, cost that fresh run
 * +43-50M. Loading only the registers live at the block entered and storing only those a path may have
 * written (branch entry-experiment-liveness) ran no faster, and its larger functions cost TurboFan more.
 */
const LOCAL_REGISTERS = 8;

/** A region function's guest registers (chooseRegisters). */
export interface RegionRegisters {
  /** Each register's local, or -1: read and written in memory (or not used). */
  readonly registers: number[];
  /** The registers some instruction writes, in the order of their first write. */
  readonly written: readonly number[];
  /**
   * Whether a jump through a register that is no return (a switch) ends a block: only then is its
   * target kept and the exit word EXIT_SWITCH written. (Found in the same pass over the instructions.)
   */
  readonly switches: boolean;
  /** A local for a value on its way to a register in memory (-1: none, every register used has a local). */
  readonly scratch: number;
}

/**
 * Takes the locals of the registers `sorted`'s instructions use, in `c`. How much a hot region uses each
 * register (its instructions' blocks' runs): the most used are kept in locals. A `warm` case (Liftoff's
 * code, hundreds of them compiled while V8 runs this unoptimized) keeps every register it uses in a
 * local, taken at its first use: see LOCAL_REGISTERS.
 */
export function chooseRegisters(sorted: readonly RegionBlock[], c: Code, warm: boolean): RegionRegisters {
  const registers: number[] = new Array(32).fill(-1);
  const weight = warm ? null : new Float64Array(32);
  // The registers some instruction writes (a bit each, and a list).
  let writtenSet = 0;
  const written: number[] = [];
  let switches = false;
  // Indexed loops, no arrays or closures made per instruction: this runs cold for thousands of them.
  for (let k = 0; k < sorted.length; k++) {
    const decoded = sorted[k].decoded!;
    for (let i = 0; i < decoded.length; i++) {
      const d = decoded[i];
      if (d === undefined) continue;
      // The fields an instruction's format has: the others hold bits of its immediate (rs2 of an addi,
      // rd of a sw), registers it does not use, which took a local and a load at every entry (bench/mathlib:
      // ~4 of its regions' ~24 loads an entry).
      const format = d.spec.format;
      const rd = format !== 'S' && format !== 'B' ? d.rd : 0;
      const rs1 = format !== 'U' && format !== 'J' ? d.rs1 : 0;
      const rs2 = format === 'R' || format === 'S' || format === 'B' ? d.rs2 : 0;
      if (weight === null) {
        if (rd !== 0 && registers[rd] < 0) registers[rd] = c.local(I32);
        if (rs1 !== 0 && registers[rs1] < 0) registers[rs1] = c.local(I32);
        if (rs2 !== 0 && registers[rs2] < 0) registers[rs2] = c.local(I32);
      } else {
        const runs = sorted[k].runs + 1;
        weight[rd] += runs; weight[rs1] += runs; weight[rs2] += runs;
      }
      if (rd !== 0 && (writtenSet & (1 << rd)) === 0) { writtenSet |= 1 << rd; written.push(rd); }
      if (d.spec.name === 'jalr' && rd === 0 && rs1 !== RA) switches = true;
    }
  }
  const scratch = weight !== null && keepMostUsed(weight, registers, c) ? c.local(I32) : -1;
  return { registers, written, switches, scratch };
}

/**
 * Gives locals to the LOCAL_REGISTERS registers of most `weight` (none to a register of weight 0: unused),
 * most used first; the others are read and written in memory (region-writer.ts). Returns whether any
 * used register was left without one.
 */
function keepMostUsed(weight: Float64Array, registers: number[], c: Code): boolean {
  for (let k = 0; k < LOCAL_REGISTERS; k++) {
    let best = 0, most = 0;
    for (let r = 1; r < 32; r++) if (registers[r] < 0 && weight[r] > most) { best = r; most = weight[r]; }
    if (best === 0) return false;
    registers[best] = c.local(I32);
  }
  for (let r = 1; r < 32; r++) if (registers[r] < 0 && weight[r] > 0) return true;
  return false;
}

/** The function's prologue part: each register with a local loaded from memory at `registerFile`. */
export function loadRegisters(c: Code, { registers }: RegionRegisters, registerFile: number): void {
  for (let r = 1; r < 32; r++) if (registers[r] >= 0) c.get(registerFile).mem('i32.load', 4 * r).set(registers[r]);
}

/** The function's epilogue part: each written register with a local stored to memory at `registerFile`. */
export function storeRegisters(c: Code, { registers, written }: RegionRegisters, registerFile: number): void {
  for (let k = 0; k < written.length; k++) if (registers[written[k]] >= 0) c.get(registerFile).get(registers[written[k]]).mem('i32.store', 4 * written[k]);
}
