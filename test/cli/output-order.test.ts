/**
 * A program that writes to stdout and stderr in turn: with both on one file (`2>&1`), `rewind run` and
 * `rewind replay` show its lines in the order it wrote them. (Each flush of the console's buffer wrote
 * all of stdout's bytes, then all of stderr's: "out 1, out 2, err 1", and a replay, which flushes at
 * other steps than the run, could group them otherwise.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assemble } from '../support/toolchain';
import { CLI, ROOT, workDir } from './rewind-cli';

/** Semihosting: ":tt" opened for appending is stderr (its handle in s0), SYS_WRITE0 prints to stdout. */
const PROGRAM = `
.option norvc
  li a0, 0x01                 # SYS_OPEN
  la a1, open_block
  call semihost
  mv s0, a0
  li a0, 0x04                 # SYS_WRITE0
  la a1, out1
  call semihost
  la a1, write_block
  sw s0, 0(a1)
  li a0, 0x05                 # SYS_WRITE
  call semihost
  li a0, 0x04
  la a1, out2
  call semihost
  li t6, 0x100000
  li t5, 0x5555
  sw t5, 0(t6)
1: j 1b
  .balign 16
semihost:
  slli x0, x0, 0x1f
  ebreak
  srai x0, x0, 7
  ret
  .balign 4
open_block: .word tt, 8, 3
write_block: .word 0, err1, 6
tt: .string ":tt"
out1: .string "out 1\\n"
err1: .ascii "err 1\\n"
out2: .string "out 2\\n"
`;

/** The CLI with stdout and stderr on one file, as \`2>&1\` does. */
function combined(args: string[], name: string): string {
  const file = join(workDir(), name);
  const fd = openSync(file, 'w');
  try {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', fd, fd], timeout: 60_000 });
    assert.equal(r.status, 0);
  } finally {
    closeSync(fd);
  }
  return readFileSync(file, 'latin1');
}

test('stdout and stderr written in turn come out in that order from run and replay', () => {
  const elf = join(workDir(), 'streams.elf');
  writeFileSync(elf, assemble(PROGRAM));
  assert.equal(combined(['run', elf], 'run.txt'), 'out 1\nerr 1\nout 2\n');
  const recording = join(workDir(), 'streams.rewind');
  assert.equal(combined(['record', elf, '-o', recording], 'record.txt'), 'out 1\nerr 1\nout 2\n');
  assert.match(combined(['replay', recording, '--verbose'], 'replay.txt'), /^out 1\nerr 1\nout 2\nrewind: replayed/);
});
