/**
 * Seeking in a recording of the RTOS example (examples/rtos) with typed input: a preemptive kernel whose
 * console bytes arrive as UART receive interrupts through the PLIC while the timer tick switches tasks
 * and the transmitter-empty interrupt drains the output. Wherever the engine was before, `seek(n)` gives
 * the state of a straight (interpreted) run to n: at random steps and next to every step a byte arrived.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_CONFIG } from '../../emulator/machine';
import { ReplayEngine } from '../../emulator/replay/engine';
import { example } from './programs';
import { Prng } from './prng';
import { record, stateHash, straightHashes } from './record';

const INPUT = readFileSync(resolve(__dirname, '../../../examples/rtos/input.txt'), 'utf8');

test('seek(n) in the RTOS example with typed input gives the state of a straight run to n', async () => {
  const program = example('rtos', INPUT);
  const { recording, console } = record(program, DEFAULT_CONFIG);
  assert.match(new TextDecoder().decode(console), /> quit\nbye\n[^]*rtos: 86 bytes typed, 0 lost\n$/);
  const arrivals = recording.events.filter((e) => e.kind === 'uart').map((e) => e.step);
  assert.equal(arrivals.length, 86, 'every typed byte is an input event');
  const last = recording.lastStep;
  const prng = new Prng(0x7105);
  const wanted = new Set<number>([0, 1, last]);
  for (const step of arrivals.filter((_, i) => i % 9 === 0)) for (const d of [-1, 0, 1]) wanted.add(step + d);
  while (wanted.size < 60) wanted.add(prng.below(last + 1));
  const expected = straightHashes(program, wanted, DEFAULT_CONFIG);
  for (const interval of [5_000, 1_000_000]) {
    const engine = new ReplayEngine(recording, { snapshotInterval: interval });
    for (const n of prng.shuffle([...wanted])) {
      const from = engine.step;
      assert.deepEqual(await engine.seek(n), { reason: 'step' });
      assert.equal(engine.step, n);
      assert.equal(stateHash(engine.machine), expected.get(n), `snapshots every ${interval} steps: seek(${n}) from ${from}`);
    }
  }
});
