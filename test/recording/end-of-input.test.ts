/**
 * End of console input. SYS_READ on ":tt" reads 0 bytes at the end, every time; SYS_READC answers -1
 * once. picolibc 1.8's getc turns that -1 into the character 0xFF (sys_semihost_getc zero-extends it),
 * so fgets on stdin never sees the end and used to print "got: ���" forever: a second SYS_READC after
 * the end now stops the run as waiting for input, and the recording and its replay stop there too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from '../support/toolchain';
import { DEFAULT_CONFIG, Machine } from '../../emulator/machine';
import { parseElf } from '../../emulator/elf';
import { ScriptedOutside } from '../../emulator/outside';
import { ReplayEngine } from '../../emulator/replay/engine';
import { PASS_AND_WAIT, Program, SEMIHOST } from '../engine/programs';
import { concat, record } from '../engine/record';
import { compileC, FGETS_SOURCE } from './picolibc';

function machineFor(elf: Uint8Array, input: string): { machine: Machine; output: () => string } {
  const chunks: Uint8Array[] = [];
  const machine = new Machine(DEFAULT_CONFIG, new ScriptedOutside(new TextEncoder().encode(input)), { write: (_s, b) => chunks.push(b.slice()) });
  machine.loadProgram(parseElf(elf));
  return { machine, output: () => Buffer.from(concat(chunks)).toString('latin1') };
}

test('SYS_READ on ":tt" reads 0 bytes at the end of input, every time it is asked', () => {
  // open(":tt", read); then three reads of 8 bytes; a0 of each (bytes NOT read) goes to results[].
  const elf = assemble(`
  la a1, open_block
  li a0, 1
  ${SEMIHOST}
  mv s1, a0
  la s0, results
  li s2, 3
1:
  la a1, read_block
  sw s1, 0(a1)
  li a0, 6
  ${SEMIHOST}
  sw a0, 0(s0)
  addi s0, s0, 4
  addi s2, s2, -1
  bnez s2, 1b
  ${PASS_AND_WAIT}
  .data
  .align 4
name: .asciz ":tt"
  .align 4
open_block: .word name, 0, 3
read_block: .word 0, buffer, 8
buffer: .space 8
results: .space 12
`);
  const { machine } = machineFor(elf, 'hi\n');
  const reason = machine.run(10_000);
  assert.deepEqual(reason, { kind: 'exit', code: 0, via: 'test-finisher' });
  const results = parseElf(elf).symbol('results')!.value;
  const words = new Int32Array(machine.peek(results, 12).buffer);
  assert.deepEqual([...words], [8 - 3, 8, 8], 'one line (3 bytes), then 0 bytes read twice');
  assert.equal(machine.semihosting.consoleInputEnded, false, 'SYS_READ does not stop at the end');
});

test('SYS_READC answers -1 once at the end of input; asking again stops the run as waiting for input', () => {
  // Reads characters until -1, stores the -1, then asks again.
  const elf = assemble(`
  la s0, result
1:
  li a0, 7
  li a1, 0
  ${SEMIHOST}
  bgez a0, 1b
  sw a0, 0(s0)
again:
  li a0, 7
  li a1, 0
  ${SEMIHOST}
  sw a0, 4(s0)
  ${PASS_AND_WAIT}
  .data
  .align 4
result: .word 0, 0x12345678
`);
  const { machine } = machineFor(elf, 'ab');
  const reason = machine.run(10_000);
  assert.deepEqual(reason, { kind: 'input' });
  const result = parseElf(elf).symbol('result')!.value;
  assert.deepEqual([...new Int32Array(machine.peek(result, 8).buffer)], [-1, 0x12345678], 'the first -1 arrived; the second read did not complete');
  assert.equal(machine.semihosting.consoleInputEnded, true);
  // The machine stays at the waiting read: running again does not advance.
  const at = machine.step;
  assert.deepEqual(machine.run(1_000), { kind: 'input' });
  assert.equal(machine.step, at);
});

for (const crt0 of ['semihost', 'default'] as const) {
  test(`picolibc fgets on stdin (--crt0=${crt0}) prints each line once and stops at the end of input, with no 0xFF`, () => {
    const { elf } = compileC(FGETS_SOURCE, crt0);
    const { machine, output } = machineFor(elf, 'one\ntwo\n');
    const reason = machine.run(5_000_000);
    assert.deepEqual(reason, { kind: 'input' }, 'the run stops instead of reading 0xFF forever');
    assert.equal(output(), 'got: one\ngot: two\n');
    assert.equal(machine.semihosting.consoleInputEnded, true);
  });
}

test('a recording of fgets at the end of input replays to the same step and output', async () => {
  const { elf } = compileC(FGETS_SOURCE);
  const program: Program = { name: 'fgets.elf', elf, input: new TextEncoder().encode('alpha\nbeta\n') };
  const recorded = record(program);
  assert.deepEqual(recorded.recording.end?.reason, { kind: 'input' });
  assert.equal(Buffer.from(recorded.console).toString(), 'got: alpha\ngot: beta\n');
  const output: Uint8Array[] = [];
  const engine = new ReplayEngine(recorded.recording, { snapshotInterval: 500, console: { write: (_s, b) => output.push(b.slice()) } });
  assert.equal((await engine.run('forward')).reason, 'end');
  assert.equal(engine.step, recorded.recording.lastStep);
  assert.equal(Buffer.from(concat(output)).toString(), 'got: alpha\ngot: beta\n');
  assert.equal(engine.snapshots.take().hash, recorded.recording.end?.hash);
  // Back before the end of input and forward again: the same stop.
  await engine.seek(Math.floor(engine.lastStep / 2));
  assert.equal((await engine.run('forward')).reason, 'end');
  assert.equal(engine.step, recorded.recording.lastStep);
});
