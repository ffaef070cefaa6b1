/**
 * One firmware-shaped program (firmware-programs.ts) through every way Rewind runs it in a process, each
 * compared with the interpreter's run (no compiled tier): output, why it stopped, steps, state hash.
 * - the compiled tiers: wasm and JavaScript regions, with the block interpreter's fused kinds (a large
 *   program's) and without, run in random slices (stops inside blocks and regions);
 * - a recording made by the recorder (with a snapshot index), replayed to its end;
 * - seeks to random steps of the replay, reverse steps, and seeks through the snapshot index, each
 *   against a straight interpreted run stopped at that step.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseElf } from '../../emulator/elf';
import { Machine, MachineOptions, StopReason } from '../../emulator/machine';
import { ScriptedOutside } from '../../emulator/outside';
import { expectProgramCode, FUSED_CODE_BYTES } from '../../emulator/cpu/block-encoding';
import { Recorder } from '../../emulator/replay/recorder';
import { decodeRecording } from '../../emulator/replay/recording-format';
import { ReplayEngine } from '../../emulator/replay/engine';
import { NOTHING } from '../../emulator/replay/until';
import { IndexFile, openIndexFile } from '../../emulator/replay/index-file';
import { concat, stateHash, straightHashes } from './record';
import { SMALL_CONFIG } from './programs';
import { Prng } from './prng';
import { FirmwareProgram, summary } from './firmware-programs';

/** Far more than any of these programs takes. */
const MAX_STEPS = 50_000_000;

export interface Outcome {
  output: string;
  reason: StopReason;
  step: number;
  hash: string;
}

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

/** Runs on a fresh machine to the end, in slices of random sizes when `prng` is given. */
export function runOn(program: FirmwareProgram, options: MachineOptions, fused: boolean, prng?: Prng): Outcome & { machine: Machine } {
  // A process-wide choice, made when blocks are encoded: each machine runs to its end before the next.
  expectProgramCode(fused ? FUSED_CODE_BYTES : 0);
  const output: Uint8Array[] = [];
  const machine = new Machine(SMALL_CONFIG, new ScriptedOutside(), { write: (_s, bytes) => output.push(bytes.slice()) }, options);
  machine.loadProgram(parseElf(program.elf));
  machine.semihosting.commandLine = program.name;
  let reason: StopReason;
  do {
    const left = MAX_STEPS - machine.step;
    const size = prng === undefined ? left : prng.below(3) === 0 ? prng.between(1, 64) : prng.between(1, 60_000);
    reason = machine.run(Math.min(size, left));
  } while (reason.kind === 'limit' && machine.step < MAX_STEPS);
  return { output: text(concat(output)), reason, step: machine.step, hash: stateHash(machine), machine };
}

function same(what: string, got: Outcome, want: Outcome): void {
  assert.equal(got.output, want.output, `${what}: the output differs`);
  assert.deepEqual(got.reason, want.reason, `${what}: stopped for another reason`);
  assert.equal(got.step, want.step, `${what}: ended at another step`);
  assert.equal(got.hash, want.hash, `${what}: ended in another state`);
}

export interface Coverage {
  steps: number;
  regions: number;
  warmBlocks: number;
  timerInterrupts: number;
}

/** Every check on one program; returns what it covered. */
export async function checkFirmware(program: FirmwareProgram): Promise<Coverage> {
  const where = `seed ${program.seed}`;
  const reference = runOn(program, { compile: false }, false);
  assert.equal(reference.reason.kind, 'exit', `${where}: the program did not end (${JSON.stringify(reference.reason)} at step ${reference.step})`);
  const printed = summary(reference.output);
  assert.ok(printed, `${where}: the program printed no summary: ${JSON.stringify(reference.output.slice(-200))}`);
  const prng = new Prng(program.seed * 7 + 1);
  let regions = 0, warmBlocks = 0;
  for (const [compiler, fused] of [['wasm', true], ['wasm', false], ['js', prng.below(2) === 0]] as const) {
    const compiled = runOn(program, { compiler }, fused, prng);
    same(`${where}, ${compiler} regions${fused ? ', fused kinds' : ''}, random slices`, compiled, reference);
    regions += compiled.machine.regionsCompiled;
    warmBlocks += compiled.machine.warmBlocksCompiled;
  }
  expectProgramCode(program.padding);

  // Recorded (with an index), replayed to the end.
  const dir = mkdtempSync(join(tmpdir(), 'rewind-firmware-'));
  try {
    const path = join(dir, 'run.rewind');
    const file: Uint8Array[] = [];
    const recorded: Uint8Array[] = [];
    const recorder = new Recorder(program.elf, program.name, new ScriptedOutside(), { write: (_s, b) => recorded.push(b.slice()) }, (b) => file.push(b.slice()), SMALL_CONFIG);
    const index = IndexFile.create(path);
    assert.ok(index, 'an index may be written');
    recorder.keepIndex(index);
    const reason = recorder.run(MAX_STEPS);
    recorder.finish(reason);
    same(`${where}, recorded`, { output: text(concat(recorded)), reason, step: recorder.machine.step, hash: stateHash(recorder.machine) }, reference);
    const recording = decodeRecording(concat(file));

    const replayed: Uint8Array[] = [];
    const engine = new ReplayEngine(recording, { console: { write: (_s, b) => replayed.push(b.slice()) }, snapshotInterval: prng.between(2_000, 50_000) });
    const end = await engine.run('forward', NOTHING);
    assert.equal(end.reason, 'end', `${where}: the replay stopped before the end (${JSON.stringify(end)})`);
    same(`${where}, replayed`, { output: text(concat(replayed)), reason: engine.machine.halted!, step: engine.step, hash: stateHash(engine.machine) }, reference);

    // Seeks back and forth and reverse steps, against a straight interpreted run.
    const last = recording.lastStep;
    const targets = Array.from({ length: 10 }, () => prng.between(0, last));
    const expected = straightHashes(program, [...targets, ...targets.map((t) => Math.max(0, t - 1)), last]);
    for (const n of prng.shuffle([...targets])) {
      await engine.seek(n);
      assert.equal(stateHash(engine.machine), expected.get(n), `${where}: seek(${n})`);
      if (n > 0 && prng.below(2) === 0) {
        await engine.stepInstruction('backward');
        assert.equal(stateHash(engine.machine), expected.get(n - 1), `${where}: a reverse step from ${n}`);
      }
    }

    // A fresh engine that starts from the snapshot index.
    const opened = openIndexFile(path);
    assert.ok(typeof opened !== 'string', `${where}: the index opens (${String(opened)})`);
    const indexed = new ReplayEngine(recording, { snapshotIndex: opened });
    for (const n of [last, ...targets.slice(0, 4)]) {
      await indexed.seek(n);
      assert.equal(stateHash(indexed.machine), expected.get(n), `${where}: seek(${n}) with the snapshot index`);
    }
  } finally {
    expectProgramCode(FUSED_CODE_BYTES);
    rmSync(dir, { recursive: true, force: true });
  }
  return { steps: reference.step, regions, warmBlocks, timerInterrupts: parseInt(printed.timing.slice(13, 21), 16) };
}
