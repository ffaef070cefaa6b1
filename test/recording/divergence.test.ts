/**
 * A replay that diverges from its recording is caught, never silent. The engine (behind the debug
 * adapter and the GDB stub) replays a recording whose input byte was changed but whose chunks all have
 * valid checksums: the state differs from the recorded checkpoint at step 16,000,000, and the engine
 * must say so when it gets there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRecording } from '../../emulator/replay/recording-format';
import { ReplayEngine } from '../../emulator/replay/engine';
import { copyRecording, encodeRecording, FIRST_CHECKPOINT, longRecording } from './tamper';

test('the tampered recording reads as a valid file (the checksums do not catch it)', () => {
  const { recording } = longRecording();
  assert.deepEqual(recording.checkpoints.map((c) => c.step), [FIRST_CHECKPOINT, 2 * FIRST_CHECKPOINT]);
  const tampered = copyRecording(recording);
  const input = tampered.events[0];
  assert.equal(input.kind, 'console');
  if (input.kind === 'console') input.bytes = new TextEncoder().encode('B');
  const decoded = decodeRecording(encodeRecording(tampered));
  assert.equal(decoded.recovery, '');
  assert.deepEqual(decoded.events[0].kind === 'console' && [...decoded.events[0].bytes], [0x42]);
});

test('the engine reports the first checkpoint whose state hash differs when it replays past it', async () => {
  const { recording } = longRecording();
  const tampered = copyRecording(recording);
  const input = tampered.events[0];
  if (input.kind === 'console') input.bytes = new TextEncoder().encode('B');
  const engine = new ReplayEngine(decodeRecording(encodeRecording(tampered)));
  // Before the first checkpoint nothing can be known yet.
  await engine.seek(FIRST_CHECKPOINT - 1);
  await assert.rejects(engine.seek(recording.lastStep), /diverged.*16,?000,?000/,
    'the engine replayed past a checkpoint whose state hash differs and said nothing');
});
