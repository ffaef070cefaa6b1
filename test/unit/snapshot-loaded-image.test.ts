/**
 * Regression: the first snapshot must hold the pages the program loader filled. The loader writes RAM
 * without dirty tracking, so before the fix snapshot 0 stored none of them, and restoring it after the
 * guest had written a page that also holds code zeroed that code: the replay from step 0 ran into
 * zeros (found by the replay benchmark, whose program keeps its data in its code's page).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from '../support/toolchain';
import { Recorder } from '../../emulator/replay/recorder';
import { decodeRecording } from '../../emulator/replay/recording-format';
import { ReplayEngine } from '../../emulator/replay/engine';
import { ScriptedOutside } from '../../emulator/outside';

test('going back to step 0 after the guest wrote to its code page replays the program, not zeros', async () => {
  // A counter in the same 4 KiB page as the code, incremented 3000 times, then exit through the finisher.
  const program = assemble(`
    li t2, 3000
  loop:
    la t0, counter
    lw t1, 0(t0)
    addi t1, t1, 1
    sw t1, 0(t0)
    addi t2, t2, -1
    bnez t2, loop
    li t0, 0x100000
    li t1, 0x5555
    sw t1, 0(t0)
    j .
    .align 2
  counter: .word 0`);
  const chunks: Uint8Array[] = [];
  const recorder = new Recorder(program, 'counter', new ScriptedOutside(), { write: () => undefined }, (c) => chunks.push(c.slice()));
  const reason = recorder.run();
  recorder.finish(reason);
  assert.equal(reason.kind, 'exit');
  const engine = new ReplayEngine(decodeRecording(Buffer.concat(chunks)), { snapshotInterval: 1000 });
  const last = engine.lastStep;
  assert.equal((await engine.run('forward')).reason, 'end');
  assert.deepEqual(await engine.run('backward'), { reason: 'start' });
  assert.equal(engine.lastStep, last, 'the recording still ends where it did');
  await engine.seek(100);
  assert.notEqual(engine.machine.pc, 0, 'the code at step 100 is the program, not zeros');
  const end = await engine.run('forward');
  assert.equal(end.reason, 'end');
  assert.deepEqual(end.reason === 'end' ? end.exit : undefined, { kind: 'exit', code: 0, via: 'test-finisher' });
  assert.equal(engine.step, last);
});
