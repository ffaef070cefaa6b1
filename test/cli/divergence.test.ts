/**
 * `rewind replay` of tampered recordings (every chunk with a valid checksum): it says at which step the
 * replay and the recording part ways, with status 3, never silently and never with a stack trace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Recording } from '../../emulator/replay/recording-format';
import { copyRecording, encodeRecording, FIRST_CHECKPOINT, longRecording } from '../recording/tamper';
import { rewind, workDir } from './rewind-cli';

const steps = (n: number): string => n.toLocaleString('en-US');

function replayTampered(name: string, change: (r: Recording) => void): ReturnType<typeof rewind> {
  const tampered = copyRecording(longRecording().recording);
  change(tampered);
  const file = join(workDir(), `${name}.rewind`);
  writeFileSync(file, encodeRecording(tampered));
  return rewind(['replay', file]);
}

test('the untouched recording replays and its hashes match', () => {
  const file = join(workDir(), 'untouched.rewind');
  writeFileSync(file, longRecording().file);
  const r = rewind(['replay', file, '--verbose']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /final state hash [0-9a-f]{16} matches/);
});

test('a different input byte: the replay stops at the first checkpoint, step 16,000,000', () => {
  const r = replayTampered('other-byte', (t) => {
    const e = t.events[0];
    if (e.kind === 'console') e.bytes = new TextEncoder().encode('B');
  });
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, new RegExp(`^rewind: the replay diverged from the recording at the checkpoint at step ${steps(FIRST_CHECKPOINT)} \\(state hash [0-9a-f]{16}, recorded [0-9a-f]{16}\\)\\n$`));
});

test('a changed checkpoint hash: the replay passes the good one and stops at that one', () => {
  const r = replayTampered('bad-hash', (t) => { t.checkpoints[1].hash = '0123456789abcdef'; });
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, new RegExp(`at the checkpoint at step ${steps(2 * FIRST_CHECKPOINT)} \\(state hash [0-9a-f]{16}, recorded 0123456789abcdef\\)`));
});

test('an input of another kind at the step: the replay names the step and both kinds', () => {
  const { recording } = longRecording();
  const at = recording.events[0].step;
  const r = replayTampered('other-kind', (t) => { t.events[0] = { step: at, kind: 'uart', byte: 0x41 }; });
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, new RegExp(`^rewind: the replay diverged at step ${steps(at)}: the program asked for console input, the recording has uart input there\\n$`));
  assert.doesNotMatch(r.stderr, /\n +at /);
});

test('an input moved to a later step: the replay waits where the program asked, before the checkpoint', () => {
  const { recording } = longRecording();
  const at = recording.events[0].step;
  const r = replayTampered('moved', (t) => { t.events[0] = { ...t.events[0], step: at + 1 }; });
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, new RegExp(`at the checkpoint at step ${steps(FIRST_CHECKPOINT)} \\(the replay stopped at step ${steps(at)} before reaching it\\)`));
});
