/**
 * The privileged-architecture test programs of this folder (riscv-tests style, our own sources; see
 * env.h and the Makefile): each passes on Rewind, with compiled code and interpreted, and on
 * qemu-system-riscv32, the machine Rewind copies. A program passes by writing 0x5555 to the test
 * finisher; a failure exits with the number of the failing test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseElf } from '../../emulator/elf';
import { DEFAULT_CONFIG, Machine } from '../../emulator/machine';
import { ScriptedOutside } from '../../emulator/outside';
import { runOnQemu } from '../support/qemu';

const DIR = resolve(__dirname, '../../../test/privileged');
const ALL_PROGRAMS = readdirSync(DIR).filter((name) => name.endsWith('.elf')).sort();

/**
 * QEMU 7.2 fails counters.elf at its test 2: after `csrw minstret`, its minstret also counts the writing
 * instruction (its icount-based counter), which the privileged spec excludes and Rewind does not do.
 */
const QEMU_DIFFERS = new Set(['counters.elf']);
/** Programs for the spike environment (HTIF): QEMU's virt board cannot run them; they exit through tohost. */
const SPIKE_ONLY = new Set(['htif_write.elf']);
/** Programs that wait for console input: uart-interrupt.test.ts and test/cli/input-arrival.test.ts run them. */
const NEEDS_INPUT = new Set(['uart_echo.elf', 'uart_arrivals.elf', 'uart_ticking.elf']);

function runOnRewind(elf: string, compile: boolean): { reason: unknown; output: string } {
  let output = '';
  const machine = new Machine(DEFAULT_CONFIG, new ScriptedOutside(), { write: (_s, bytes) => { output += Buffer.from(bytes).toString('latin1'); } }, { compile });
  machine.loadProgram(parseElf(readFileSync(elf)));
  return { reason: machine.run(10_000_000), output };
}

test('the privileged test programs are built', () => {
  assert.ok(ALL_PROGRAMS.length >= 8, `only ${ALL_PROGRAMS.join(', ')} in ${DIR}: run make -C test/privileged`);
});

/** Programs that never end (a harness stops them): test/cli/stopped-from-outside.test.ts runs them. */
const NEVER_ENDS = new Set(['ticker.elf']);

const PROGRAMS = ALL_PROGRAMS.filter((name) => !NEEDS_INPUT.has(name) && !NEVER_ENDS.has(name));

for (const name of PROGRAMS) {
  const elf = join(DIR, name);
  test(`${name} passes on Rewind, compiled and interpreted`, () => {
    const via = SPIKE_ONLY.has(name) ? 'htif' : 'test-finisher';
    for (const compile of [true, false]) {
      assert.deepEqual(runOnRewind(elf, compile).reason, { kind: 'exit', code: 0, via }, `${name}, compile ${compile}`);
    }
  });
  if (!QEMU_DIFFERS.has(name) && !SPIKE_ONLY.has(name)) {
    test(`${name} passes on QEMU too`, () => {
      const qemu = runOnQemu(elf, '', 20_000);
      assert.equal(qemu.timedOut, false);
      assert.equal(qemu.status, 0, `QEMU failed test ${qemu.status}`);
    });
  }
}

test('a spike-environment program prints through the HTIF system-call proxy', () => {
  assert.equal(runOnRewind(join(DIR, 'htif_write.elf'), true).output, 'hello through HTIF\n');
});

test('under paging, breakpoints and memory reads use the virtual addresses the running code uses', () => {
  const machine = new Machine(DEFAULT_CONFIG, new ScriptedOutside(), { write: () => undefined });
  machine.loadProgram(parseElf(readFileSync(join(DIR, 'sv32.elf'))));
  // sv32.S maps an execute-only page holding `ret` at 0x40002000 and calls it from S-mode.
  machine.setBreakpoints([0x40002000]);
  assert.deepEqual(machine.run(1_000_000), { kind: 'breakpoint', address: 0x40002000 });
  assert.equal(machine.privilege, 1);
  const word = (address: number): number => new DataView(machine.peek(address, 4).buffer).getUint32(0, true);
  assert.equal(word(0x40002000), 0x00008067, 'the instruction at the virtual pc');
  assert.equal(word(0x40000000), 0x1234, 'the data page the program stored into through its mapping');
  assert.equal(word(0x40003000), 0, 'an unmapped page reads as zero');
  machine.setBreakpoints([]);
  assert.deepEqual(machine.run(1_000_000), { kind: 'exit', code: 0, via: 'test-finisher' });
});
