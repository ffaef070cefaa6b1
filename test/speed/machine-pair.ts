/**
 * Two machines on the same program and input: one that only interprets (the reference) and one that
 * compiles hot code (regions to WebAssembly or to JavaScript). The differential tests drive both with
 * the same requests and compare what they answer and the state hash of the whole machine after each.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseElf } from '../../emulator/elf';
import { DEFAULT_CONFIG, Machine, RegionCompiler, StopReason, Watchpoint } from '../../emulator/machine';
import { ScriptedOutside } from '../../emulator/outside';
import { StateHasher } from '../../emulator/replay/state-hash';

class Side {
  readonly machine: Machine;
  output = '';
  private readonly hasher: StateHasher;

  constructor(image: Uint8Array, input: string, compile: boolean, compiler?: RegionCompiler) {
    const bytes = new TextEncoder().encode(input);
    this.machine = new Machine(DEFAULT_CONFIG, new ScriptedOutside(bytes), {
      write: (_stream, data) => { this.output += new TextDecoder().decode(data); },
    }, { compile, compiler });
    const elf = parseElf(image);
    this.machine.loadProgram(elf);
    this.hasher = new StateHasher(this.machine);
    // Loading does not mark pages written: hash the program's pages once.
    const ram = this.machine.ram;
    const pages = new Set<number>();
    for (const segment of elf.segments) {
      const first = ram.offsetOf(segment.paddr);
      if (first < 0 || segment.memsz === 0) continue;
      for (let page = first >>> 12; page <= (first + segment.memsz - 1) >>> 12; page++) pages.add(page);
    }
    this.hasher.update(pages);
  }

  hash(): string {
    this.hasher.update(this.machine.ram.takeDirtyPages());
    return this.hasher.digest();
  }
}

/** Both region compilers: the exactness tests run once with each. */
export const COMPILERS: RegionCompiler[] = ['wasm', 'js'];

export class MachinePair {
  readonly interpreted: Side;
  readonly compiled: Side;
  /** Stops compared so far (a test asserts it compared many). */
  comparisons = 0;
  /** How many runs ended for each kind of reason. */
  readonly stops = new Map<string, number>();

  /** `program` is an ELF file's path or its bytes. */
  constructor(readonly name: string, program: string | Uint8Array, input = '', readonly compiler?: RegionCompiler) {
    const image = typeof program === 'string' ? readFileSync(program) : program;
    this.interpreted = new Side(image, input, false);
    this.compiled = new Side(image, input, true, compiler);
  }

  get step(): number {
    return this.interpreted.machine.step;
  }

  get halted(): boolean {
    return this.interpreted.machine.halted !== null;
  }

  /** Runs both for up to `steps` steps; asserts they stop for the same reason in the same state. */
  run(steps: number, ignoreBreakpointHere = true): StopReason {
    const a = this.interpreted.machine.run(steps, ignoreBreakpointHere);
    const b = this.compiled.machine.run(steps, ignoreBreakpointHere);
    this.compare(`run(${steps})`, a, b);
    this.stops.set(a.kind, (this.stops.get(a.kind) ?? 0) + 1);
    return a;
  }

  setBreakpoints(addresses: number[]): void {
    this.interpreted.machine.setBreakpoints(addresses);
    this.compiled.machine.setBreakpoints(addresses);
  }

  setWatchpoints(watchpoints: Watchpoint[]): void {
    this.interpreted.machine.setWatchpoints(watchpoints);
    this.compiled.machine.setWatchpoints(watchpoints);
  }

  setTrapStops(causes: number[]): void {
    this.interpreted.machine.setTrapStops(causes);
    this.compiled.machine.setTrapStops(causes);
  }

  compare(what: string, a: StopReason, b: StopReason): void {
    const where = `${this.name}, ${what}, interpreter at step ${this.interpreted.machine.step}`;
    assert.deepEqual(b, a, `${where}: the compiled machine stopped for another reason`);
    assert.equal(this.compiled.machine.step, this.interpreted.machine.step, `${where}: the compiled machine is at another step`);
    assert.equal(this.compiled.machine.pc, this.interpreted.machine.pc, `${where}: the compiled machine is at another pc`);
    assert.equal(this.compiled.hash(), this.interpreted.hash(), `${where}: the state hashes differ`);
    assert.equal(this.compiled.output, this.interpreted.output, `${where}: the console output differs`);
    this.comparisons++;
  }
}

/** A small deterministic generator (mulberry32), so that a failing run can be repeated exactly. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
