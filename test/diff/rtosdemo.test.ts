/**
 * The FreeRTOS-demo-shaped program (bench/rtosdemo: a 1 kHz tick from mtimecmp, msip yields, ecall for
 * blocking calls, nested critical sections, an idle task in `wfi`, rdtime/rdcycle/rdinstret) against
 * QEMU (`-icount shift=0,sleep=off`): the same lines, which depend on the tick count at each send and
 * report, and the same exit status. The "stats:" line is left out: QEMU's `wfi` waits for the interrupt
 * where Rewind's is a nop the idle loop runs round, and QEMU's minstret counts traps and `wfi` time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runOnRewind } from './rewind-run';
import { runOnQemu } from '../support/qemu';

const RTOSDEMO = join(__dirname, '..', '..', '..', 'bench', 'rtosdemo', 'rtosdemo.elf');
const withoutStats = (output: string): string => output.replace(/^stats: .*\n/m, '');

test('rtosdemo: every line but the counters equals QEMU\'s, and its checksum is the expected one', () => {
  const rewind = runOnRewind(RTOSDEMO, '', 200_000_000);
  assert.equal(rewind.status, 0, rewind.output);
  assert.match(rewind.output, /^consumer: 64 items at tick 128 \(128 ms\), checksum 0x5ab60345$/m);
  // 128 ticks of a million instructions; cycle counts every step, instret not the 388 traps and interrupts.
  assert.match(rewind.output, /^stats: cycle 128001064 instret 128000676 time 1280010 idle \d+$/m);
  const qemu = runOnQemu(RTOSDEMO, '', 30_000);
  assert.equal(qemu.timedOut, false);
  assert.equal(qemu.status, 0);
  assert.equal(withoutStats(rewind.output), withoutStats(qemu.output));
});
