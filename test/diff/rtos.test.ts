/**
 * The RTOS example against QEMU (`-icount shift=0,sleep=off`): a preemptive kernel whose console is
 * driven by the UART's receive and transmitter-empty interrupts through the PLIC, while the timer tick
 * switches tasks. With no input, what the tasks have done by every status report depends only on where
 * the ticks, the transmit interrupts and the context switches fall: the output must be QEMU's, byte for
 * byte. With typed input, QEMU delivers the bytes when its stdin has them (host time), so the console
 * takes the CPU at other ticks there: its answers are the same, the status figures may be shifted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES_DIR } from './examples';
import { runOnRewind } from './rewind-run';
import { runOnQemu } from '../support/qemu';
import { parseElf } from '../../emulator/elf';
import { DEFAULT_CONFIG, Machine } from '../../emulator/machine';
import { ScriptedOutside } from '../../emulator/outside';

const RTOS = join(EXAMPLES_DIR, 'rtos', 'rtos.elf');
const INPUT = readFileSync(join(EXAMPLES_DIR, 'rtos', 'input.txt'), 'utf8');

test('rtos without input: every status report equals QEMU\'s', () => {
  const rewind = runOnRewind(RTOS, '');
  assert.equal(rewind.status, 1, 'no quit typed: the program stops after its last report with status 1');
  assert.equal(rewind.output.match(/^status: tick \d+,/gm)?.length, 12);
  const qemu = runOnQemu(RTOS, '');
  assert.equal(qemu.timedOut, false);
  assert.equal(qemu.status, 1);
  assert.equal(rewind.output, qemu.output);
});

/** The example with `input` typed on the UART, as `rewind run --stdin` gives it: output and exit status. */
function typed(input: string): { output: string; status: number | null } {
  let output = '';
  const machine = new Machine(DEFAULT_CONFIG, new ScriptedOutside(new TextEncoder().encode(input)), {
    write: (_stream, bytes) => { output += Buffer.from(bytes).toString('latin1'); },
  });
  machine.loadProgram(parseElf(readFileSync(RTOS)));
  const reason = machine.run(100_000_000);
  return { output, status: reason.kind === 'exit' ? reason.code : null };
}

test('rtos with typed input: the console answers as on QEMU', () => {
  const rewind = typed(INPUT);
  assert.equal(rewind.status, 0);
  // runOnQemu's UART writes to a file and reads nothing: here the UART is QEMU's stdio, as a user runs it.
  const qemu = spawnSync('qemu-system-riscv32', ['-M', 'virt', '-bios', 'none', '-nographic', '-monitor', 'none',
    '-icount', 'shift=0,sleep=off', '-kernel', RTOS], { input: INPUT, encoding: 'latin1', timeout: 30_000 });
  assert.equal(qemu.status, 0, qemu.stderr);
  const console = (output: string): string => output.replace(/^status: .*\n/gm, '');
  assert.equal(console(rewind.output), console(qemu.stdout));
  assert.match(rewind.output, /\n> quit\nbye\n[^]*rtos: 86 bytes typed, 0 lost\n$/);
  const reports = (output: string): number => output.match(/^status: /gm)?.length ?? 0;
  assert.equal(reports(rewind.output), reports(qemu.stdout));
});
