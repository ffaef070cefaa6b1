/**
 * The riscv-tests-shaped bench program (bench/rvtest: 242 small checked cases, traps, CSRs, interrupts,
 * the test finisher) against QEMU: every case passes on both, with the same line and exit status.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runOnRewind } from './rewind-run';
import { runOnQemu } from '../support/qemu';

const RVTEST = join(__dirname, '..', '..', '..', 'bench', 'rvtest', 'rvtest.elf');

test('rvtest: every case passes, on Rewind as on QEMU', () => {
  const rewind = runOnRewind(RVTEST, '', 100_000);
  assert.equal(rewind.status, 0, rewind.output);
  assert.equal(rewind.output, 'rvtest: 242 cases passed\n');
  assert.equal(rewind.steps, 2610);
  const qemu = runOnQemu(RVTEST, '', 30_000);
  assert.equal(qemu.timedOut, false);
  assert.equal(qemu.status, 0);
  assert.equal(qemu.output, rewind.output);
});
