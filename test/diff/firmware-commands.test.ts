/**
 * Firmware-shaped random programs (test/engine/firmware-programs.ts) through the built command line, as
 * an outside harness runs them: `rewind run`, `rewind record` and `rewind replay` of the recording print
 * the same, exit with the same status and end at the same step in the same state (and as the
 * interpreter in this process); and on qemu-system-riscv32 (`-icount shift=0,sleep=off`) the program
 * prints the same letters through the UART and semihosting, the same `s=` line and exits with the same
 * status. (QEMU takes interrupts a few instructions late and sleeps in wfi: the `t=` line, made of
 * counters, mtime and where interrupts landed, is Rewind's own.) A fixed set of seeds here; more by hand
 * with REWIND_FIRMWARE_SEEDS=count (and REWIND_FIRMWARE_SEED=first).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../support/toolchain';
import { runOnQemu } from '../support/qemu';
import { rewind } from '../cli/rewind-cli';
import { expectedStatus, firmwareProgram, summary } from '../engine/firmware-programs';
import { runOn } from '../engine/firmware-check';

const COUNT = Number(process.env.REWIND_FIRMWARE_SEEDS ?? 5);
const FIRST = Number(process.env.REWIND_FIRMWARE_SEED ?? 1400);

/** Steps and state hash from `rewind run --hash`'s or `rewind replay --verbose`'s line. */
function ending(stderr: string, how: RegExp): { steps: string; hash: string } {
  const m = how.exec(stderr);
  assert.ok(m, `no line ${how} in ${stderr}`);
  return { steps: m[1].replace(/,/g, ''), hash: m[2] };
}

/** The UART's part of the output (lowercase letters and the summary) and semihosting's (uppercase letters). */
function streams(output: string): { uart: string; semihosting: string } {
  return { uart: output.replace(/[A-Z]/g, ''), semihosting: output.replace(/[^A-Z]/g, '') };
}

for (let seed = FIRST; seed < FIRST + COUNT; seed++) {
  test(`firmware-shaped program ${seed}: run, record, replay and QEMU agree`, () => {
    const program = firmwareProgram(seed);
    const elf = join(scratchDir(), program.name);
    writeFileSync(elf, program.elf);
    const reference = runOn(program, { compile: false }, false);
    const printed = summary(reference.output);
    assert.ok(printed, `seed ${seed}: no summary in ${JSON.stringify(reference.output.slice(-200))}`);
    const status = expectedStatus(program.exit, printed.sync);

    const ran = rewind(['run', elf, '--hash']);
    assert.equal(ran.stdout, reference.output, `seed ${seed}: rewind run prints what the interpreter printed`);
    assert.equal(ran.status, status, `seed ${seed}: rewind run's status (${program.exit}): ${ran.stderr}`);
    const run = ending(ran.stderr, /^rewind: ran ([\d,]+) steps; final state hash ([0-9a-f]{16})$/m);
    assert.equal(run.steps, String(reference.step), `seed ${seed}: rewind run's steps`);

    const file = elf.replace(/\.elf$/, '.rewind');
    const recorded = rewind(['record', elf, '-o', file, '--verbose']);
    assert.equal(recorded.stdout, ran.stdout, `seed ${seed}: rewind record prints what rewind run printed`);
    assert.equal(recorded.status, status, `seed ${seed}: rewind record's status: ${recorded.stderr}`);
    assert.match(recorded.stderr, new RegExp(`recorded ${reference.step.toLocaleString('en-US')} steps`));

    const replayed = rewind(['replay', file, '--verbose']);
    assert.equal(replayed.stdout, ran.stdout, `seed ${seed}: rewind replay prints what rewind run printed`);
    assert.equal(replayed.status, status, `seed ${seed}: rewind replay's status: ${replayed.stderr}`);
    assert.deepEqual(ending(replayed.stderr, /^rewind: replayed ([\d,]+) steps; final state hash ([0-9a-f]{16}) matches$/m), run, `seed ${seed}: the replay ends where the run did`);

    const qemu = runOnQemu(elf, '', 60_000);
    assert.equal(qemu.timedOut, false, `seed ${seed}: QEMU did not end`);
    assert.equal(qemu.status, status, `seed ${seed}: QEMU's status`);
    // QEMU writes the UART's bytes to a file and semihosting's to its stderr (support/qemu.ts): each in order.
    const rewindStreams = streams(ran.stdout);
    const qemuStreams = streams(qemu.output);
    assert.equal(qemuStreams.semihosting, rewindStreams.semihosting, `seed ${seed}: semihosting's letters`);
    const qemuSummary = summary(qemuStreams.uart);
    assert.ok(qemuSummary, `seed ${seed}: QEMU printed no summary: ${JSON.stringify(qemu.output.slice(-300))}`);
    assert.equal(qemuSummary.letters, summary(rewindStreams.uart)!.letters, `seed ${seed}: the UART's letters`);
    assert.equal(qemuSummary.sync.toString(16), printed.sync.toString(16), `seed ${seed}: the s= line`);
  });
}
