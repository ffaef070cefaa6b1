/**
 * Recording a program in memory with the real recorder, and running it straight (a fresh machine, no
 * snapshots, no replay layer) as the reference the engine is compared with.
 */
import assert from 'node:assert/strict';
import { Machine, MachineConfig, StopReason } from '../../emulator/machine';
import { parseElf } from '../../emulator/elf';
import { ScriptedOutside } from '../../emulator/outside';
import { Recorder } from '../../emulator/replay/recorder';
import { decodeRecording, Recording } from '../../emulator/replay/recording-format';
import { StateHasher } from '../../emulator/replay/state-hash';
import { Program, SMALL_CONFIG } from './programs';

/** The clock the scripted outside world reports (seconds since the epoch). */
export const CLOCK = 1_700_000_000;

export interface Recorded {
  recording: Recording;
  /** The `.rewind` file, as the recorder appended it. */
  file: Uint8Array;
  /** Everything the program printed, stdout and stderr in order. */
  console: Uint8Array;
  reason: StopReason;
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) { out.set(p, offset); offset += p.length; }
  return out;
}

function scripted(program: Program): ScriptedOutside {
  return new ScriptedOutside(program.input, program.uart ?? program.input, CLOCK);
}

/** Records `program` to its end (or `maxSteps`) with the real recorder. */
export function record(program: Program, config: MachineConfig = SMALL_CONFIG, maxSteps = 200_000_000): Recorded {
  const file: Uint8Array[] = [];
  const output: Uint8Array[] = [];
  const recorder = new Recorder(program.elf, program.name, scripted(program),
    { write: (_stream, bytes) => output.push(bytes.slice()) }, (bytes) => file.push(bytes.slice()), config);
  const reason = recorder.run(maxSteps);
  recorder.finish(reason);
  const bytes = concat(file);
  return { recording: decodeRecording(bytes), file: bytes, console: concat(output), reason };
}

/**
 * A fresh machine on the program's original input: the reference run. It interprets every instruction
 * (no compiled blocks or regions), so that the engine's compiled runs are checked against the
 * machine's reference semantics too.
 */
export function straightMachine(program: Program, config: MachineConfig = SMALL_CONFIG): Machine {
  const machine = new Machine(config, scripted(program), { write: () => undefined }, { compile: false });
  machine.loadProgram(parseElf(program.elf));
  machine.semihosting.commandLine = program.name;
  return machine;
}

/** The state hash of a machine, computed from scratch over all of its RAM (touches no dirty-page list). */
export function stateHash(machine: Machine): string {
  const hasher = new StateHasher(machine);
  hasher.update(Array.from({ length: machine.ram.pageCount }, (_, page) => page));
  return hasher.digest();
}

/**
 * State hashes of a straight run at each of `steps`: one machine runs forward only, from step 0,
 * stopping at each in increasing order.
 */
export function straightHashes(program: Program, steps: Iterable<number>, config: MachineConfig = SMALL_CONFIG): Map<number, string> {
  const machine = straightMachine(program, config);
  const hashes = new Map<number, string>();
  for (const n of [...new Set(steps)].sort((a, b) => a - b)) {
    machine.run(n - machine.step, true, false);
    assert.equal(machine.step, n, `${program.name}: a straight run stopped at step ${machine.step} before ${n}`);
    hashes.set(n, stateHash(machine));
  }
  return hashes;
}
