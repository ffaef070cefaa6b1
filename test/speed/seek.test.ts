/**
 * Compiled code across snapshot restores: seeking restores RAM pages behind the machine's back. A page
 * that holds code and data is restored for its data; its code, unchanged, stays compiled. A page whose
 * code differs in the snapshot (the program rewrote it since) loses exactly the blocks that changed.
 * Either way the state after every seek must be the one an interpreting machine reaches at that step.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Recorder } from '../../emulator/replay/recorder';
import { decodeRecording } from '../../emulator/replay/recording-format';
import { ReplayEngine } from '../../emulator/replay/engine';
import { ScriptedOutside } from '../../emulator/outside';
import { Machine } from '../../emulator/machine';
import { assemble } from '../support/toolchain';
import { EXIT } from '../support/run-asm';
import { MachinePair } from './machine-pair';

// 20,000 iterations of 5 instructions (about 100,000 steps); at iteration 10,000 (about step 50,000)
// the loop rewrites its own "addi a0, a0, 1" into "addi a0, a0, 2". Every iteration stores its
// counter into a word of the code page.
const PROGRAM = assemble(`
    .option norvc
    la t0, replacement
    lw t1, 0(t0)
    la t0, patch
    la t3, counter          # a data word in the page of the code
    li a0, 0
    li a1, 0
    li a2, 20000
    li a3, 10000
loop:
    addi a1, a1, 1
    sw a1, 0(t3)
    beq a1, a3, rewrite
patch:
    addi a0, a0, 1
    blt a1, a2, loop
    ${EXIT}
rewrite:
    sw t1, 0(t0)
    j patch
replacement:
    addi a0, a0, 2
counter:
    .word 0
`);

/** Registers, CSRs, devices and the program's page: of the engine's machine, or of an interpreting one at `step`. */
function state(machine: Machine): string {
  return JSON.stringify(machine.saveCore()) + Buffer.from(machine.ram.u8.subarray(0, 4096)).toString('hex');
}

function referenceState(step: number): string {
  const reference = new MachinePair('reference', PROGRAM).interpreted.machine;
  reference.run(step);
  return state(reference);
}

test('seeking keeps unchanged code compiled and drops rewritten code, with exact states', async () => {
  const chunks: Uint8Array[] = [];
  const recorder = new Recorder(PROGRAM, 'seek.elf', new ScriptedOutside(), { write: () => undefined }, (c) => chunks.push(c.slice()));
  const end = recorder.run(Infinity);
  recorder.finish(end);
  assert.equal(end.kind, 'exit');
  const engine = new ReplayEngine(decodeRecording(Buffer.concat(chunks)), { snapshotInterval: 40_000 });
  assert.equal((await engine.run('forward')).reason, 'end');
  const m = engine.machine;
  assert.equal(m.x[10], 9999 + 2 * 10001, 'the rewritten add counts 2 from iteration 10,000 on');
  assert.ok(m.regionsCompiled > 0);
  const last = engine.step;

  // Back into the second half: the snapshot at step 80,000 is restored, with the code page (its counter
  // word changed); its code is the same, so the regions stay, and nothing is compiled again while the
  // 10,000 steps to the target replay (2,000 runs of the loop, more than make a region).
  const compiled = m.regionsCompiled;
  await engine.seek(last - 10_000);
  assert.equal(m.regionsCompiled, compiled, 'unchanged code should stay compiled across a restore');
  assert.equal(state(m), referenceState(last - 10_000));

  // Back before the rewrite: the restored page has the original add, which must run again.
  await engine.seek(30_000);
  assert.equal(state(m), referenceState(30_000));
  assert.ok(m.x[10] === m.x[11] || m.x[10] === m.x[11] - 1, 'before the rewrite every iteration adds 1');
  await engine.seek(last);
  assert.equal(m.x[10], 9999 + 2 * 10001);
  assert.equal(state(m), referenceState(last));
});
