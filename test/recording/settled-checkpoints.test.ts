/**
 * The recorder makes its checkpoints whole (state hash, chunk, index entry) several at a time
 * (recorder.ts, `settle`). The file is still written in its order: a checkpoint's chunk goes out before
 * any event after it, at most SETTLE_AFTER checkpoints after its step, and every checkpoint is in the
 * file once the run stops (here the program's end), so that a recorder killed at any moment leaves a
 * prefix that reads (and replays to its last checkpoint).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from '../support/toolchain';
import { CHECKPOINT_INTERVAL, Recorder, SETTLE_AFTER } from '../../emulator/replay/recorder';
import { decodeRecording } from '../../emulator/replay/recording-format';
import { ScriptedOutside } from '../../emulator/outside';
import { PASS_AND_WAIT, SEMIHOST, SMALL_CONFIG } from '../engine/programs';
import { concat } from '../engine/record';

// A page written in every interval (a checkpoint at each), the wall clock read once (an event), and on.
const phase = (store: string, turns: number): string => `
  li t0, ${turns}
1:
  ${store}
  addi t0, t0, -1
  bnez t0, 1b`;

const SOURCE = `
  la t1, buffer
  ${phase('sw t0, 0(t1)', 50_000_000)}
  li a0, 0x11         # SYS_TIME
  li a1, 0
  ${SEMIHOST}
  sw a0, 8(t1)
  ${phase('sw t0, 4(t1)', 20_000_000)}
  ${PASS_AND_WAIT}
  .data
  .align 12
buffer: .space 4096
`;

test('checkpoint chunks go out in the file\'s order, soon after their step, and all of them when the run stops', () => {
  const parts: Array<{ bytes: Uint8Array; at: number }> = [];
  let recorder: Recorder | undefined = undefined;
  recorder = new Recorder(assemble(SOURCE), 'settle.elf', new ScriptedOutside(), { write: () => undefined },
    (bytes) => parts.push({ bytes: bytes.slice(), at: recorder?.machine.step ?? 0 }), SMALL_CONFIG);
  const reason = recorder.run(Infinity);
  assert.equal(reason.kind, 'exit');
  const beforeFinish = decodeRecording(concat(parts.map((p) => p.bytes)));
  recorder.finish(reason);
  const recording = decodeRecording(concat(parts.map((p) => p.bytes)));
  const [event] = recording.events;
  assert.equal(recording.events.length, 1, 'the clock read once');
  assert.ok(recording.checkpoints.length >= 12, `${recording.checkpoints.length} checkpoints`);
  assert.deepEqual(beforeFinish.checkpoints, recording.checkpoints, 'every checkpoint is in the file when the run stops');
  let checkpointsWritten = 0;
  for (const { bytes, at } of parts.slice(1)) {
    const type = String.fromCharCode(bytes[0]);
    if (type === 'P') {
      const c = recording.checkpoints[checkpointsWritten++];
      assert.ok(at >= c.step && at - c.step <= SETTLE_AFTER * CHECKPOINT_INTERVAL, `the checkpoint at step ${c.step} written at step ${at}`);
    } else if (type === 'E') {
      assert.equal(checkpointsWritten, recording.checkpoints.filter((c) => c.step <= event.step).length, 'the checkpoints before the event are written before it');
    }
  }
  assert.equal(checkpointsWritten, recording.checkpoints.length);
  // Any prefix of the file reads, with a prefix of the checkpoints.
  for (let n = 1; n <= parts.length; n++) {
    const prefix = decodeRecording(concat(parts.slice(0, n).map((p) => p.bytes)));
    assert.deepEqual(prefix.checkpoints, recording.checkpoints.slice(0, prefix.checkpoints.length));
  }
});
