/**
 * Embench's harness shape and the clock loops of CoreMark's and FreeRTOS' ports, in a picolibc program:
 * start_trigger/stop_trigger read mcycle and minstret (64-bit, hi-lo-hi) around a benchmark; delays
 * poll mtime's halves through the CLINT, `rdtime`, and clock() (semihosting). `rewind run`, `record`
 * and `replay` print the same values and end at the same step in the same state, and the triggers'
 * counts equal QEMU's under `-icount shift=0` (the delays' absolute times differ by QEMU's 6-step reset
 * ROM). The clock moves in a run without a recording (it is the step count): 10 ms of guest delays on
 * each clock end, in 30 M steps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { compileC } from '../recording/picolibc';
import { qemuArgs } from '../support/qemu';
import { requireTool } from '../support/toolchain';
import { rewind } from '../cli/rewind-cli';

const DELAY_TICKS = 100_000; // 10 ms at the CLINT's 10 MHz

const SOURCE = `
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#define CSR64(hi, lo) ({ uint32_t h, l, h2; do { __asm__ volatile (".option push\\n.option arch, +zicsr\\ncsrr %0, " hi "\\ncsrr %1, " lo "\\ncsrr %2, " hi "\\n.option pop" : "=r"(h), "=r"(l), "=r"(h2)); } while (h != h2); ((uint64_t)h << 32) | l; })
static volatile uint32_t *const mtime_lo = (uint32_t *)0x0200bff8, *const mtime_hi = (uint32_t *)0x0200bffc;
static uint64_t mtime(void) { uint32_t hi, lo; do { hi = *mtime_hi; lo = *mtime_lo; } while (hi != *mtime_hi); return ((uint64_t)hi << 32) | lo; }
static uint64_t cycles0, instret0, cycles1, instret1;
void start_trigger(void) { cycles0 = CSR64("mcycleh", "mcycle"); instret0 = CSR64("minstreth", "minstret"); }
void stop_trigger(void) { cycles1 = CSR64("mcycleh", "mcycle"); instret1 = CSR64("minstreth", "minstret"); }
static uint32_t benchmark(void) { uint32_t h = 2166136261u; for (int i = 0; i < 20000; i++) h = (h ^ (uint32_t)i) * 16777619u; return h; }
int main(void) {
  start_trigger(); uint32_t h = benchmark(); stop_trigger();
  printf("bench %08lx cycles %lu instret %lu\\n", (unsigned long)h, (unsigned long)(cycles1 - cycles0), (unsigned long)(instret1 - instret0));
  uint64_t t0 = mtime(); uint32_t turns = 0; while (mtime() - t0 < ${DELAY_TICKS}u) turns++;
  printf("mtime delay: %lu turns, from %lu\\n", (unsigned long)turns, (unsigned long)t0);
  uint64_t r0 = CSR64("timeh", "time"); while (CSR64("timeh", "time") - r0 < ${DELAY_TICKS}u) ;
  printf("rdtime delay from %lu\\n", (unsigned long)r0);
  clock_t k0 = clock(); while (clock() - k0 < CLOCKS_PER_SEC / 100) ;
  printf("clock delay from %ld to %ld\\n", (long)k0, (long)clock());
  return 0;
}
`;

test('start/stop triggers on mcycle and minstret and delay loops on mtime, rdtime and clock(): run, record, replay alike, the triggers as on QEMU', () => {
  const { path } = compileC(SOURCE);
  const ran = rewind(['run', path, '--hash'], { timeout: 60_000 });
  assert.equal(ran.status, 0, ran.stderr);
  const bench = /^bench [0-9a-f]{8} cycles (\d+) instret (\d+)$/m.exec(ran.stdout);
  assert.ok(bench, ran.stdout);
  assert.match(ran.stdout, /^mtime delay: \d+ turns/m);
  const steps = /ran ([\d,]+) steps; final state hash ([0-9a-f]{16})/.exec(ran.stderr);
  assert.ok(steps, ran.stderr);

  const file = path.replace(/\.elf$/, '.rewind');
  const recorded = rewind(['record', path, '-o', file, '--verbose'], { timeout: 60_000 });
  assert.equal(recorded.stdout, ran.stdout, 'the recording observes the same clock and counters');
  assert.match(recorded.stderr, new RegExp(`recorded ${steps[1]} steps`));
  const replayed = rewind(['replay', file, '--verbose'], { timeout: 60_000 });
  assert.equal(replayed.stdout, ran.stdout, 'the replay observes the same clock and counters');
  assert.match(replayed.stderr, new RegExp(`replayed ${steps[1]} steps; final state hash ${steps[2]} matches`));

  requireTool('qemu-system-riscv32');
  const qemu = spawnSync('qemu-system-riscv32', qemuArgs(path), { encoding: 'utf8', timeout: 60_000 });
  assert.equal(qemu.status, 0, qemu.stderr);
  assert.equal(/^bench .*$/m.exec(qemu.stderr)?.[0], bench[0], 'QEMU counts the same cycles and instructions between the triggers');
});
