/**
 * An outside harness runs a program with `rewind run`, `rewind record` and `rewind replay`, pipes each
 * one's stdout and stderr to files and compares the bytes. So, piped, `record` and `replay` write to
 * stderr exactly what `run` writes there: the program's own stderr and why a run stopped (--max-steps, a
 * stuck program), never their own status line (`rewind: recorded …`, `rewind: replayed …`), which a
 * terminal or --verbose shows. (Before: those lines made every record and replay differ from the run.)
 * The program writes to both streams in turn through semihosting, then ends as each case says.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assemble } from '../support/toolchain';
import { rewind, workDir } from './rewind-cli';

/** Four lines to each stream (":tt" opened for appending is stderr), then `end`. */
const program = (end: string): string => `
.option norvc
  li a0, 0x01                 # SYS_OPEN
  la a1, open_block
  call semihost
  la a1, write_block
  sw a0, 0(a1)
  li s1, 4
1:
  li a0, 0x04                 # SYS_WRITE0: stdout
  la a1, out
  call semihost
  li a0, 0x05                 # SYS_WRITE: stderr
  la a1, write_block
  call semihost
  li t0, 100000               # some steps between the lines, for --max-steps to fall among them
2: addi t0, t0, -1
  bnez t0, 2b
  addi s1, s1, -1
  bnez s1, 1b
${end}
  .balign 16
semihost:
  slli x0, x0, 0x1f
  ebreak
  srai x0, x0, 7
  ret
  .balign 4
open_block: .word tt, 8, 3
write_block: .word 0, err, 4
tt: .string ":tt"
out: .string "out\\n"
err: .ascii "err\\n"
`;

/** Through the SiFive test finisher: status 3. */
const EXIT_3 = `
  li t6, 0x100000
  li t5, 0x33333
  sw t5, 0(t6)
1: j 1b`;
/** A jump to itself with interrupts off: run stops it as stuck (125), and says so. */
const STUCK = `
1: j 1b`;

const CASES = [
  { name: 'exits with status 3', end: EXIT_3, options: [], status: 3 },
  { name: 'is stopped by --max-steps between its lines', end: EXIT_3, options: ['--max-steps', '250000'], status: 124 },
  { name: 'is stuck in a jump to itself', end: STUCK, options: [], status: 125 },
];

for (const c of CASES) {
  test(`piped, run, record and replay write the same bytes to stdout and to stderr: a program that ${c.name}`, () => {
    const elf = join(workDir(), `streams-${c.status}.elf`);
    writeFileSync(elf, assemble(program(c.end)));
    const file = join(workDir(), `streams-${c.status}.rewind`);
    const ran = rewind(['run', elf, ...c.options]);
    const recorded = rewind(['record', elf, '-o', file, ...c.options]);
    const replayed = rewind(['replay', file, ...c.options]);
    assert.equal(ran.status, c.status, ran.stderr);
    assert.match(ran.stderr, /^err\n/);
    if (c.status !== 3) assert.match(ran.stderr, /\nrewind: .*\n$/, 'run says why it stopped');
    for (const [command, r] of [['record', recorded], ['replay', replayed]] as const) {
      assert.equal(r.status, ran.status, `${command}: ${r.stderr}`);
      assert.equal(r.stdout, ran.stdout, `${command}'s stdout`);
      assert.equal(r.stderr, ran.stderr, `${command}'s stderr`);
    }
    // With --verbose, each adds its own line, last.
    assert.match(rewind(['replay', file, '--verbose']).stderr, /\nrewind: replayed [\d,]+ steps; final state hash [0-9a-f]{16} matches\n(rewind: .*\n)?$/);
  });
}
