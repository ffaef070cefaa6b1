/**
 * The recorder's checkpoint hashes are those of the state computed from scratch at each checkpoint,
 * whatever the pages did in between: the recorder keeps pages written in one interval unnoted in the
 * next (recorder.ts, `hash`), so this program writes a page in several intervals in a row, then in none,
 * then writes back what it holds, then something else, then stops writing to it again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from '../support/toolchain';
import { CHECKPOINT_INTERVAL } from '../../emulator/replay/recorder';
import { PASS_AND_WAIT } from '../engine/programs';
import { record, straightHashes } from '../engine/record';

// Each phase is a loop of 4 instructions, 6 million turns: 24 million steps, one and a half checkpoint
// intervals (so each spans two or three checkpoints).
const phase = (store: string): string => `
  li t0, 6000000
1:
  ${store}
  addi t0, t0, -1
  addi t2, t2, 1
  bnez t0, 1b`;

const SOURCE = `
  la t1, buffer
  li t2, 0
  ${phase('sw t0, 0(t1)')}
  ${phase('add t3, t3, t0')}
  ${phase('lw t4, 4(t1); sw t4, 4(t1)')}
  ${phase('sw t2, 8(t1)')}
  ${phase('add t3, t3, t0')}
  ${PASS_AND_WAIT}
  .data
  .align 12
buffer: .space 8192
`;

test('every checkpoint hash of a recording is the state hash computed from scratch at its step', () => {
  const program = { name: 'busy-pages.elf', elf: assemble(SOURCE), input: new Uint8Array() };
  const { recording } = record(program);
  const checkpoints = recording.checkpoints;
  assert.ok(checkpoints.length >= 7, `${checkpoints.length} checkpoints (every ${CHECKPOINT_INTERVAL} steps)`);
  const expected = straightHashes(program, [...checkpoints.map((c) => c.step), recording.end!.step]);
  for (const c of [...checkpoints, recording.end!]) assert.equal(c.hash, expected.get(c.step), `the checkpoint at step ${c.step}`);
});
