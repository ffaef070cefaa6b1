/**
 * The RTOS example against QEMU (`-icount shift=0,sleep=off`): a preemptive kernel whose console is
 * driven by the UART's receive and transmitter-empty interrupts through the PLIC, while the timer tick
 * switches tasks. With no input, what the tasks have done by every status report depends only on where
 * the ticks, the transmit interrupts and the context switches fall: the output must be QEMU's, byte for
 * byte. With typed input, each byte reaches QEMU and Rewind at the same step, one per idle wait of the
 * guest (idle-typed.ts: QEMU's stdin alone would deliver them at host times), so again the whole output
 * must be QEMU's; and the input given all at once, as `rewind run --stdin` does, gets the same answers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES_DIR } from './examples';
import { runOnRewind } from './rewind-run';
import { runOnQemu } from '../support/qemu';
import { IdleTypedOutside, qemuTypedAtIdle } from './idle-typed';
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

/** The example with `input` given all at once, as `rewind run --stdin` gives it: output and exit status. */
function typed(input: string): { output: string; status: number | null } {
  let output = '';
  const machine = new Machine(DEFAULT_CONFIG, new ScriptedOutside(new TextEncoder().encode(input)), {
    write: (_stream, bytes) => { output += Buffer.from(bytes).toString('latin1'); },
  });
  machine.loadProgram(parseElf(readFileSync(RTOS)));
  const reason = machine.run(100_000_000);
  return { output, status: reason.kind === 'exit' ? reason.code : null };
}

/** The example with `input` typed one byte per idle wait (idle-typed.ts), on Rewind. */
function typedAtIdle(input: Uint8Array): { output: string; status: number | null } {
  let output = '';
  const machine: Machine = new Machine(DEFAULT_CONFIG, new IdleTypedOutside(input, () => machine.timerStep()), {
    write: (_stream, bytes) => { output += Buffer.from(bytes).toString('latin1'); },
  });
  machine.loadProgram(parseElf(readFileSync(RTOS)));
  const reason = machine.run(100_000_000);
  return { output, status: reason.kind === 'exit' ? reason.code : null };
}

/** The idle task's `wfi`, where typed input reaches the guest (idle-typed.ts). */
function idleWfi(): number {
  const elf = parseElf(readFileSync(RTOS));
  const idle = elf.symbols.find((s) => s.name === 'idle');
  assert.ok(idle, 'rtos.elf has its idle task');
  const at = elf.segments.find((s) => idle.value >= s.vaddr && idle.value < s.vaddr + s.data.length);
  assert.ok(at);
  for (let a = idle.value; a < idle.value + idle.size; a += 4) {
    const off = a - at.vaddr;
    if ((at.data[off] | at.data[off + 1] << 8 | at.data[off + 2] << 16 | at.data[off + 3] << 24) >>> 0 === WFI) return a;
  }
  throw new Error('no wfi in the idle task');
}

const WFI = 0x10500073;

test('rtos with typed input: the whole output is QEMU\'s, byte for byte', async () => {
  const input = new TextEncoder().encode(INPUT);
  const rewind = typedAtIdle(input);
  assert.equal(rewind.status, 0);
  assert.match(rewind.output, /\n> quit\nbye\n[^]*rtos: 86 bytes typed, 0 lost\n$/);
  const qemu = await qemuTypedAtIdle(RTOS, input, idleWfi());
  assert.equal(qemu.status, 0);
  assert.equal(rewind.output, qemu.output);
});

test('rtos with its input given all at once (rewind run --stdin): the same answers', () => {
  const atOnce = typed(INPUT);
  assert.equal(atOnce.status, 0);
  const console = (output: string): string => output.replace(/^status: .*\n/gm, '');
  assert.equal(console(atOnce.output), console(typedAtIdle(new TextEncoder().encode(INPUT)).output));
  assert.match(atOnce.output, /\n> quit\nbye\n[^]*rtos: 86 bytes typed, 0 lost\n$/);
});
