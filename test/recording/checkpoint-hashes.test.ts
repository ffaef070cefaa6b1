/**
 * The recorder's checkpoint hashes are those of the state computed from scratch at each checkpoint,
 * whatever the pages did in between: the recorder keeps pages written in one interval unnoted in the
 * next ones until it has hashed as before at several checkpoints in a row (recorder.ts, `hash`), so
 * this program writes a page in several intervals in a row, then in none, then writes back what it
 * holds, then something else, then leaves it long enough for its stores to be noted again, writes it
 * once more, and stops writing to it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from '../support/toolchain';
import { CHECKPOINT_INTERVAL } from '../../emulator/replay/recorder';
import { PASS_AND_WAIT, SMALL_CONFIG } from '../engine/programs';
import { record, straightHashes } from '../engine/record';

// Each phase is a loop of 4 instructions, 6 million turns by default: 24 million steps, one and a half
// checkpoint intervals (so each spans two or three checkpoints).
const phase = (store: string, turns = 6000000): string => `
  li t0, ${turns}
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
  ${phase('add t3, t3, t0', 25000000)}
  ${phase('sw t2, 12(t1)')}
  ${phase('add t3, t3, t0')}
  ${PASS_AND_WAIT}
  .data
  .align 12
buffer: .space 8192
`;

test('every checkpoint hash of a recording is the state hash computed from scratch at its step', () => {
  const program = { name: 'busy-pages.elf', elf: assemble(SOURCE), input: new Uint8Array() };
  const { recording } = record(program, SMALL_CONFIG, 300_000_000);
  const checkpoints = recording.checkpoints;
  assert.ok(checkpoints.length >= 10, `${checkpoints.length} checkpoints (every ${CHECKPOINT_INTERVAL} steps)`);
  assert.ok(recording.end!.step > 250_000_000, `the program ran to its end (step ${recording.end!.step})`);
  const expected = straightHashes(program, [...checkpoints.map((c) => c.step), recording.end!.step]);
  for (const c of [...checkpoints, recording.end!]) assert.equal(c.hash, expected.get(c.step), `the checkpoint at step ${c.step}`);
});
