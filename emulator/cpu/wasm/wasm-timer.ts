/**
 * The CLINT's registers (mtime, mtimecmp, msip) read and written by a wasm region without leaving it:
 * a kernel's timer tick reads mtime and sets the next deadline once per tick, and each such access left
 * the region for the interpreter (a slow exit, then the chain entered again). The region calls a site,
 * as for CSR instructions (wasm-csr.ts), with the store's value and the steps the chain has taken before
 * the instruction, so that mtime is read at the exact step; the machine's own load and store do the
 * access, as the interpreter's would. A write that brings an interrupt before the slice ends sets the
 * exit word EXIT_CSR to 2, and the region leaves after it.
 *
 * Only accesses whose address the region knows when it is compiled: a `lui` earlier in the same block
 * set the base register (`li`-built device addresses, as C compilers emit for a fixed register), and the
 * word lies in the CLINT. The CLINT never waits for input nor faults on an aligned word, so the access
 * cannot throw; any other device (the UART may wait for input) still leaves the region.
 */
import { Decoded } from '../../isa/decode';
import { CLINT_BASE } from '../../devices/clint';
import { RegionHost } from '../region';
import { Exit, flushTraps } from './wasm-chain';
import { Kind, WasmKind } from './wasm-instructions';

type Site = (operand: number, steps: number) => number;
type ChainEntry = { readonly s0: number; readonly e0: number };

/** The machine as a CLINT site uses it: the same loads and stores the interpreter makes. */
export interface TimerHost extends RegionHost {
  load(address: number, size: 1 | 2 | 4, signed: boolean, pc: number): number;
  store(address: number, size: 1 | 2 | 4, value: number, pc: number): void;
}

const CLINT_SIZE = 0x10000;

/**
 * Constants that `lui` put in registers within one block, for clintAddress: call `after` with each
 * instruction once it has been emitted.
 */
export class KnownBases {
  /** Registers with a known constant (a bit each), and their values: no Map, which a block's `after`s reshaped. */
  known = 0; // read by writeBlock (wasm-region.ts), which calls `after` only where it has something to do
  private readonly values = new Int32Array(32);

  /** The word address `d` (lw or sw; `k` its kindOf) accesses, if it is known and in the CLINT. */
  clintAddress(d: Decoded, k: WasmKind): number | undefined {
    if ((k.kind !== Kind.Load && k.kind !== Kind.Store) || k.second !== 3) return undefined;
    // Worked out for every access, known base or not: V8 threw writeBlock away where a program's first
    // known base came after it had been optimized (bench/mathlib after eight other programs in a process).
    const address = (this.values[d.rs1] + d.imm) >>> 0;
    const inClint = (address & 3) === 0 && address >= CLINT_BASE && address < CLINT_BASE + CLINT_SIZE;
    return (this.known & (1 << d.rs1)) !== 0 && inClint ? address : undefined;
  }

  /** After `d` (of kind `kind`: kindOf). */
  after(d: Decoded | undefined, kind: Kind): void {
    if (d === undefined) this.known = 0;
    // Any other instruction may write rd (for a store or a branch, that field is part of the immediate:
    // forgetting a register then only loses a known base).
    // `lui x0` is a hint: x0 stays 0.
    else if (kind === Kind.Lui && d.rd !== 0) { this.values[d.rd] = d.imm | 0; this.known |= 1 << d.rd; }
    // Nothing to forget in most blocks (no lui): the emitter runs cold, where each operation is a call.
    else if (this.known !== 0) this.known &= ~(1 << d.rd);
  }

  /** A new block: nothing known. */
  forget(): void {
    this.known = 0;
  }
}

/** The `lw` or `sw` `d` at `pc`, of the CLINT word at `address`: returns the loaded value (a store: 0). */
export function clintAccess(d: Decoded, pc: number, address: number, m: TimerHost, entry: ChainEntry): Site {
  const exits = m.ram.exitWords;
  if (d.spec.name === 'lw') {
    return (_operand, steps) => {
      flushTraps(m, exits);
      m.step = entry.s0 + steps;
      exits[Exit.Csr] = 0;
      return m.load(address, 4, true, pc);
    };
  }
  return (operand, steps) => {
    flushTraps(m, exits);
    m.step = entry.s0 + steps;
    m.store(address, 4, operand, pc);
    exits[Exit.Csr] = m.sliceEnd !== entry.e0 ? 2 : 0;
    // Critical sections after it work out again whether an interrupt would come (wasm-csr.ts).
    exits[Exit.Quiet] = 0;
    return 0;
  };
}
