/**
 * Data that shares a page with code (a small program's variables right after its text): stores to it
 * stay in compiled code, because the write barrier watches code by 256-byte line, not by page; a store
 * into a line that holds code is still seen (and invalidates what it must). Each program runs on an
 * interpreting and a compiling machine (machine-pair.ts), which must agree at every stop.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from '../support/toolchain';
import { EXIT } from '../support/run-asm';
import { COMPILERS, MachinePair } from './machine-pair';

const ITERATIONS = 20_000;

/** A hot loop that adds into a word `.balign`ed `align` bytes after its code (the same 4 KiB page). */
function program(align: number): string {
  return `
    .option norvc
    la t0, counter
    li t1, ${ITERATIONS}
    li a0, 0
loop:
    lw t2, 0(t0)
    add t2, t2, t1
    sw t2, 0(t0)
    addi t1, t1, -1
    bnez t1, loop
    lw a0, 0(t0)
    ${EXIT}
    .balign ${align}
counter:
    .word 0
`;
}

const SUM = (ITERATIONS * (ITERATIONS + 1) / 2) % 2 ** 32;

/** Runs the pair to the program's exit, counting the stores the compiled machine took for stores into code. */
function runCountingCodeWrites(pair: MachinePair): number {
  const m = pair.compiled.machine;
  let codeWrites = 0;
  const onCodeWrite = m.ram.onCodeWrite;
  m.ram.onCodeWrite = (offset, size) => { codeWrites++; onCodeWrite(offset, size); };
  let reason = pair.run(50_000);
  while (reason.kind === 'limit') reason = pair.run(50_000);
  assert.equal(reason.kind, 'exit', JSON.stringify(reason));
  assert.equal(m.x[10] >>> 0, SUM);
  return codeWrites;
}

for (const compiler of COMPILERS) test(`stores to data in a code page, but not in a line of code, run compiled (${compiler} regions)`, () => {
  const pair = new MachinePair('data-beside-code', assemble(program(256)), '', compiler);
  const codeWrites = runCountingCodeWrites(pair);
  assert.ok(pair.compiled.machine.regionsCompiled > 0, 'the loop should have been compiled');
  assert.equal(codeWrites, 0, 'stores to the data word were taken for stores into code');
});

test('a store into a line that holds code is still seen as one', () => {
  // The word right after the code: the same 256-byte line as the loop's last instructions.
  const pair = new MachinePair('data-in-a-code-line', assemble(program(4)), '', 'wasm');
  assert.equal(runCountingCodeWrites(pair), ITERATIONS);
});
