/**
 * Differential test, exit status (the Embench and riscv-tests shape: a harness reads only the status): a
 * program ending through semihosting SYS_EXIT or SYS_EXIT_EXTENDED, or through the SiFive test finisher,
 * exits with the same status on qemu-system-riscv32 as under `rewind run`, `rewind record` and `rewind
 * replay` of that recording. (SYS_EXIT given a parameter block, RV64's form, exited with the block's
 * status on Rewind and 1 on QEMU.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assemble, scratchDir } from '../support/toolchain';
import { runOnQemu } from '../support/qemu';
import { rewind } from '../cli/rewind-cli';

/** A semihosting call: operation a0, parameter a1 (set before). */
const SEMIHOST = `
  .option push
  .option norvc
  slli zero, zero, 0x1f
  ebreak
  srai zero, zero, 7
  .option pop
`;
/** Semihosting operation `op` with the reason code itself in a1 (RV32's SYS_EXIT). */
const withReason = (op: number, reason: number): Exit => ({ code: `li a0, ${op}\nli a1, ${reason}\n${SEMIHOST}` });
/** Semihosting operation `op` with a1 pointing at the block { reason, status } (SYS_EXIT_EXTENDED's form). */
const withBlock = (op: number, reason: number, status: number): Exit =>
  ({ code: `li a0, ${op}\nla a1, block\n${SEMIHOST}`, data: `block: .word ${reason}, ${status}` });
/** A store of `value` to the test finisher. */
const finisher = (value: number, store = 'sw'): Exit => ({ code: `li t0, 0x100000\nli t1, ${value}\n${store} t1, 0(t0)` });
const APPLICATION_EXIT = 0x20026;
const RUN_TIME_ERROR = 0x20023;

interface Exit { code: string; data?: string }
/** `recorded`: also recorded and replayed (the statuses that are not the program's number as it is). */
const CASES: Array<{ name: string; exit: Exit; status: number; recorded?: true }> = [
  { name: 'SYS_EXIT, application exit', exit: withReason(0x18, APPLICATION_EXIT), status: 0 },
  { name: 'SYS_EXIT, run-time error', exit: withReason(0x18, RUN_TIME_ERROR), status: 1 },
  { name: 'SYS_EXIT given a parameter block (RV64\'s form)', exit: withBlock(0x18, APPLICATION_EXIT, 7), status: 1, recorded: true },
  { name: 'SYS_EXIT_EXTENDED, status 7', exit: withBlock(0x20, APPLICATION_EXIT, 7), status: 7 },
  { name: 'SYS_EXIT_EXTENDED, status 300', exit: withBlock(0x20, APPLICATION_EXIT, 300), status: 44, recorded: true },
  { name: 'SYS_EXIT_EXTENDED, status -1', exit: withBlock(0x20, APPLICATION_EXIT, -1), status: 255 },
  { name: 'SYS_EXIT_EXTENDED, run-time error', exit: withBlock(0x20, RUN_TIME_ERROR, 7), status: 1 },
  { name: 'test finisher, fail with 3', exit: finisher(0x33333), status: 3 },
  { name: 'test finisher, fail with 0', exit: finisher(0x3333), status: 0 },
  { name: 'test finisher, fail with 0xffff', exit: finisher(0xffff3333), status: 255, recorded: true },
  { name: 'test finisher, pass by a halfword store', exit: finisher(0x5555, 'sh'), status: 0 },
];

for (const { name, exit, status, recorded } of CASES) {
  test(`${name}: status ${status} on QEMU and in rewind run${recorded ? ', record and replay' : ''}`, () => {
    const elf = join(scratchDir(), `exit-${name.replace(/\W+/g, '-')}.elf`);
    writeFileSync(elf, assemble(`${exit.code}\n1: j 1b\n.data\n.align 2\n${exit.data ?? ''}\n`));
    const qemu = runOnQemu(elf, '', 20_000);
    assert.equal(qemu.timedOut, false);
    assert.equal(qemu.status, status, 'QEMU');
    assert.equal(rewind(['run', elf]).status, status, 'rewind run');
    if (!recorded) return;
    const file = elf.replace(/\.elf$/, '.rewind');
    assert.equal(rewind(['record', elf, '-o', file]).status, status, 'rewind record');
    assert.equal(rewind(['replay', file]).status, status, 'rewind replay');
  });
}
