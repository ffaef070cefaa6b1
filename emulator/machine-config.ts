/**
 * The machine's shape (RAM, timer rate), how it runs code, and its state besides RAM as plain data:
 * what recordings and snapshots store about a machine.
 */
import { CsrState } from './cpu/csr-file';
import { DeviceState } from './devices/device';
import { SemihostingState } from './semihosting';
import { StopReason } from './run/stop-reason';

export interface MachineConfig {
  readonly ramBase: number;
  readonly ramSize: number;
  /** Steps per CLINT timer tick. 100 matches QEMU's 10 MHz `virt` timer under `-icount shift=0`. */
  readonly stepsPerTick: number;
}

/** How the machine runs guest code; not part of a recording (every mode gives the same steps). */
export interface MachineOptions {
  /**
   * Compile hot code to JavaScript (the default). False runs everything through the interpreter, the
   * reference the compiled code is tested against.
   */
  readonly compile?: boolean;
  /**
   * What hot regions compile to: WebAssembly (cpu/wasm/, the default) or JavaScript
   * (region-compiler.ts). Both give the same steps; the option is for tests and the benchmark.
   */
  readonly compiler?: RegionCompiler;
  /**
   * The program's bytes of code (elf.ts codeBytes), when known before it is loaded: the block stores
   * start that large (cpu/block-store.ts). Each machine its own: an adapter runs several programs.
   */
  readonly codeBytes?: number;
}

export type RegionCompiler = 'wasm' | 'js';
/** The region compiler a machine uses unless told otherwise. */
export const DEFAULT_REGION_COMPILER: RegionCompiler = 'wasm';

export const DEFAULT_CONFIG: MachineConfig = { ramBase: 0x80000000, ramSize: 128 * 1024 * 1024, stepsPerTick: 100 };

/** Everything but RAM, as plain data: what a snapshot stores besides memory pages. */
export interface CoreState {
  x: number[];
  pc: number;
  privilege: number;
  step: number;
  unretired: number;
  reservation: number;
  halted: StopReason | null;
  csr: CsrState;
  clint: DeviceState;
  uart: DeviceState;
  plic: DeviceState;
  semihosting: SemihostingState;
}
