/**
 * Differential test, console and exit status: every example prints exactly the same and exits with
 * the same status on qemu-system-riscv32 (`virt`, no firmware) and on Rewind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXAMPLES } from './examples';
import { runOnRewind } from './rewind-run';
import { runOnQemu } from '../support/qemu';

for (const example of EXAMPLES) {
  test(`${example.name}: same console output and exit status as QEMU`, () => {
    const qemu = runOnQemu(example.elf, example.input);
    assert.equal(qemu.timedOut, false, `${example.name} did not finish on QEMU within 30 s`);
    const rewind = runOnRewind(example.elf, example.input);
    assert.equal(rewind.reason.kind, 'exit', `${example.name} did not exit on Rewind: ${JSON.stringify(rewind.reason)}`);
    assert.ok(qemu.output.length > 0, `${example.name} printed nothing on QEMU`);
    assert.equal(rewind.output, qemu.output);
    assert.equal(rewind.status, qemu.status);
  });
}

test('the bug example really fails (exit status 1) on both, so a status mismatch would be seen', () => {
  const bug = EXAMPLES.find((e) => e.name === 'bug')!;
  assert.equal(runOnQemu(bug.elf).status, 1);
  assert.equal(runOnRewind(bug.elf, '').status, 1);
});
