/**
 * Whatever the guest can observe is the same in a run, a recording and its replay: every example and
 * bench program, run by `rewind run`, recorded by `rewind record` and replayed by `rewind replay` (the
 * built command line, as a user runs it), prints the same output and ends at the same step with the same
 * state hash. (The command line the guest reads through semihosting was once `program` under `run` and
 * the ELF's name under `record`, which changed picolibc's start-up and every step count after it.) Their
 * stderr is the same too, but for the line each command adds (`--hash`'s, `--verbose`'s).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EXAMPLES, ROOT, rewind, workDir } from './rewind-cli';

const BENCH = join(ROOT, 'bench');
const PROGRAMS: Array<{ elf: string; stdin?: string; date?: string; maxSteps?: number }> = [
  ...['hello', 'timer', 'uart', 'bug', 'startup', 'kernel'].map((name) => ({ elf: join(EXAMPLES, name, `${name}.elf`) })),
  { elf: join(EXAMPLES, 'interactive/interactive.elf'), stdin: join(EXAMPLES, 'interactive/input.txt') },
  ...['integer', 'memory', 'branches', 'calls', 'compressed'].map((name) => ({ elf: join(BENCH, `${name}.elf`) })),
  // Programs of the shapes nobody here tunes for: a generated state machine, a table cipher, soft-float,
  // a JPEG-like decoder, and a preemptive kernel whose timer interrupts must land on the same steps.
  ...['statemachine', 'cipher', 'softfloat', 'jpeg', 'rtos'].map((name) => ({ elf: join(BENCH, `${name}.elf`) })),
  // 229 KB of generated code through the compiled tiers, the whole run: 43.9 M steps, the slowest case.
  { elf: join(BENCH, 'bigcode.elf') },
  // A megabyte of console output. (flood-16m is the same program printing 16 times as much, and
  // flood-endless never ends: neither adds a case.)
  { elf: join(BENCH, 'flood/flood-1m.elf') },
  // A QR encoder (Reed-Solomon over GF(256)); picolibc programs as users build Embench (malloc, qsort and
  // snprintf; libm) and a CoreMark-shaped one that reads its command line and times itself with clock(),
  // time() and gettimeofday(). picolibc's gettimeofday keeps time() * 10^9 in memory: with the host's
  // date the state hash would differ between a run and a recording made in another second, so core gets
  // a fixed --date (its recording replays exactly either way).
  ...['qrcode', 'tree', 'mathlib'].map((name) => ({ elf: join(BENCH, `${name}.elf`) })),
  { elf: join(BENCH, 'core.elf'), date: '2026-01-01T00:00:00Z' },
  { elf: join(BENCH, 'startup/exit.elf') },
  // riscv-tests' shape: 242 checked cases, traps from M and U mode, interrupts, CSRs, the test finisher.
  { elf: join(BENCH, 'rvtest/rvtest.elf') },
  { elf: join(BENCH, 'replay/long.elf') },
  // riscv-tests-shaped machine-mode programs: every exception and its mcause/mepc/mtval, vectored
  // interrupts from the CLINT, the counters and rdtime, AMOs and LR/SC, code rewritten and run after fence.i,
  // reservations dropped by traps (a timer tick between a task's LR and SC), interrupts landing right
  // after what makes them takeable in hot loops, and the ISA's corner cases printed probe by probe.
  ...['machine_traps', 'machine_interrupts', 'atomics', 'fence_i', 'reservations', 'interrupt_points', 'isa_probes'].map((name) => ({ elf: join(ROOT, `test/privileged/${name}.elf`) })),
  // FreeRTOS' demo shape: a 1 kHz tick, msip yields, an idle task around wfi (its first 40 ticks; 128 M
  // steps in all, mostly idle).
  { elf: join(BENCH, 'rtosdemo/rtosdemo.elf'), maxSteps: 40_000_000 },
  // Console input as UART receive interrupts (through the PLIC).
  { elf: join(ROOT, 'test/privileged/uart_echo.elf'), stdin: join(ROOT, 'test/privileged/uart_echo.txt') },
  // An RTOS with an interrupt-driven console: typed lines arrive as receive interrupts through the PLIC,
  // output leaves through the transmitter-empty interrupt, while the timer tick switches tasks.
  { elf: join(EXAMPLES, 'rtos/rtos.elf'), stdin: join(EXAMPLES, 'rtos/input.txt') },
];

const count = (text: string): string => text.replace(/,/g, '');
/** `stderr` without the command's own line (`rewind: ran …`, `rewind: recorded …`, `rewind: replayed …`). */
const withoutOwn = (stderr: string, own: RegExp): string => stderr.split('\n').filter((line) => !own.test(line)).join('\n');

for (const { elf, stdin, date, maxSteps } of PROGRAMS) {
  const name = elf.slice(ROOT.length + 1);
  test(`${name}: run, record and replay print the same and end at the same step with the same state hash`, () => {
    const input = [...(stdin ? ['--stdin', stdin] : []), ...(date ? ['--date', date] : []), ...(maxSteps ? ['--max-steps', String(maxSteps)] : [])];
    const ran = rewind(['run', elf, '--hash', ...input]);
    const run = /^rewind: ran ([\d,]+) steps; final state hash ([0-9a-f]{16})$/m.exec(ran.stderr);
    assert.ok(run, `${name}: rewind run --hash said ${ran.stderr}`);

    const file = join(workDir(), `${name.replace(/\//g, '-')}.rewind`);
    const recorded = rewind(['record', elf, '-o', file, '--verbose', ...input]);
    assert.equal(recorded.status, ran.status, `${name}: ${recorded.stderr}`);
    assert.equal(recorded.stdout, ran.stdout, `${name}: recording changes the output`);
    const steps = /recorded ([\d,]+) steps/.exec(recorded.stderr);
    assert.ok(steps, recorded.stderr);
    assert.equal(count(steps[1]), count(run[1]), `${name}: the recording takes another number of steps`);
    const ranSaid = withoutOwn(ran.stderr, /^rewind: ran /);
    assert.equal(withoutOwn(recorded.stderr, /^rewind: recorded /), ranSaid, `${name}: record says something else on stderr`);

    const replayed = rewind(['replay', file, '--verbose']);
    assert.equal(replayed.status, ran.status, `${name}: the replay exits with another status than the run: ${replayed.stderr}`);
    assert.equal(replayed.stdout, ran.stdout, `${name}: the replay prints something else`);
    const replay = /^rewind: replayed ([\d,]+) steps; final state hash ([0-9a-f]{16}) matches$/m.exec(replayed.stderr);
    assert.ok(replay, replayed.stderr);
    assert.equal(count(replay[1]), count(run[1]), `${name}: the replay takes another number of steps`);
    assert.equal(replay[2], run[2], `${name}: the replay ends in another state than the run`);
    assert.equal(withoutOwn(replayed.stderr, /^rewind: replayed /), ranSaid, `${name}: the replay says something else on stderr`);

    const info = rewind(['info', file]);
    assert.match(info.stdout, new RegExp(`^arguments +"${elf.split('/').pop()!.replace('.', '\\.')}" `, 'm'));
  });
}
