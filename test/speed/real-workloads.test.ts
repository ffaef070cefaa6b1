/**
 * The workloads shaped like code we did not write (bench/, issue 19: a generated state machine, table
 * cipher, soft-float, JPEG-like decoder, two preemptive kernels, 230 KB of code) run to their end on an
 * interpreting and a compiling machine: the same output, exit, final step and state hash, and the
 * checksum line the program checks itself against QEMU's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { COMPILERS, MachinePair } from './machine-pair';

const BENCH_DIR = join(__dirname, '..', '..', '..', 'bench');
const WORKLOADS = ['statemachine', 'cipher', 'softfloat', 'jpeg', 'rtos', 'kernel', 'bigcode'];

for (const name of WORKLOADS) for (const compiler of COMPILERS) {
  test(`workload ${name}: compiled (${compiler} regions) and interpreted end alike, with the checksum QEMU printed`, () => {
    const pair = new MachinePair(name, join(BENCH_DIR, `${name}.elf`), '', compiler);
    const reason = pair.run(Infinity);
    assert.deepEqual(reason, { kind: 'exit', code: 0, via: 'test-finisher' }, `${name} should pass its own check`);
    assert.ok(pair.compiled.machine.regionsCompiled > 0, `${name}: no region ran`);
    // The warm cases of its hot switch (600 cases of two or three blocks, each run ~2500 times) run as
    // WebAssembly (cpu/wasm/warm-cases.ts).
    if (name === 'statemachine' && compiler === 'wasm') assert.ok(pair.compiled.machine.warmBlocksCompiled > 600, `statemachine: ${pair.compiled.machine.warmBlocksCompiled} warm blocks compiled`);
    // kernel prints its console lines first (the UART's transmitter-empty interrupt).
    assert.match(pair.compiled.output, new RegExp(`(^|\\n)${name}: checksum 0x[0-9A-F]{8}\\n$`));
  });
}
