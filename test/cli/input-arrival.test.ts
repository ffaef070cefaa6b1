/**
 * Console input from a pipe or terminal reaches a guest that waits for it at a step that depends only on
 * the guest and the input (cli/host-outside.ts): not on the run slices of `rewind run`, the checkpoints
 * of `rewind record`, the tier that runs the idle loop, or how fast the host is. (A guest idling in `wfi`
 * just before step 16,000,000 got its input at step 15,990,029 in `rewind run` and at 16,000,002 in
 * `rewind record`: the run loop skipped the idle loop's turns up to the end of each slice and asked once
 * for all of them, so the input came at the first skip past the count, wherever that one started.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseElf } from '../../emulator/elf';
import { DEFAULT_CONFIG, Machine } from '../../emulator/machine';
import { StateHasher } from '../../emulator/replay/state-hash';
import { HostOutside } from '../../cli/host-outside';
import { ROOT, rewind, workDir } from './rewind-cli';

const ELF = join(ROOT, 'test', 'privileged', 'uart_arrivals.elf');
/** The same with a timer tick every 3,700 steps, as an RTOS idles between ticks. */
const TICKING = join(ROOT, 'test', 'privileged', 'uart_ticking.elf');
/** Two lines, the second without a newline: each comes when the guest has waited for it. */
const INPUT = 'ab\ncdq';

/** Runs `elf` with INPUT on a file read as the terminal's reader reads stdin, in slices of `slice` steps. */
function runInProcess(compile: boolean, slice: number, elf = ELF): { output: string; steps: number; hash: string } {
  const file = join(workDir(), `input-${compile}-${slice}.txt`);
  writeFileSync(file, INPUT);
  const fd = openSync(file, 'r');
  try {
    let output = '';
    const outside = new HostOutside(fd, () => undefined, 0);
    // As cli/load-program.ts wires it: each byte printed takes back a poll.
    const machine = new Machine(DEFAULT_CONFIG, outside, {
      write: (_s, bytes) => { outside.noteOutput(bytes.length); output += Buffer.from(bytes).toString('latin1'); },
    }, { compile });
    machine.loadProgram(parseElf(readFileSync(elf)));
    let reason;
    do reason = machine.run(slice); while (reason.kind === 'limit' && machine.step < 40_000_000);
    assert.deepEqual(reason, { kind: 'exit', code: 0, via: 'test-finisher' }, `compile ${compile}, slices of ${slice}: ${output}`);
    const hasher = new StateHasher(machine);
    hasher.update(Array.from({ length: machine.ram.pageCount }, (_, page) => page));
    return { output, steps: machine.step, hash: hasher.digest() };
  } finally {
    closeSync(fd);
  }
}

test('input a guest awaits in wfi arrives at the same step whatever the tier and the run slices', () => {
  const interpreted = runInProcess(false, 10_000_000);
  // Each line after 10,000 idle waits of the two-step idle loop (the handler reads minstret a few steps on).
  const [first, , , second] = [...interpreted.output.matchAll(/@(\d+)/g)].map((m) => Number(m[1]));
  assert.ok(second - first > 20_000 && second - first < 21_000, interpreted.output);
  for (const slice of [1_000_000, 10_000_000, 16_000_000, 3_999_999]) {
    assert.deepEqual(runInProcess(true, slice), interpreted, `compiled, slices of ${slice}`);
  }
});

test('so does input a guest awaits between timer ticks', () => {
  const interpreted = runInProcess(false, 10_000_000, TICKING);
  for (const slice of [1_000_000, 10_000_000, 3_999]) {
    assert.deepEqual(runInProcess(true, slice, TICKING), interpreted, `compiled, slices of ${slice}`);
  }
  const ran = rewind(['run', TICKING], { input: INPUT });
  assert.equal(ran.status, 0, ran.stderr);
  assert.equal(ran.stdout, interpreted.output);
});

test('rewind run and rewind record with piped input see it at the same steps, and the recording replays to the run', () => {
  const ran = rewind(['run', ELF, '--hash'], { input: INPUT });
  assert.equal(ran.status, 0, ran.stderr);
  assert.match(ran.stdout, /^97@\d+ 98@\d+ 10@\d+ 99@\d+ 100@\d+ 113@\d+ \n$/);
  const state = /final state hash [0-9a-f]{16}/.exec(ran.stderr)?.[0];
  assert.ok(state, ran.stderr);

  const file = join(workDir(), 'arrivals.rewind');
  const recorded = rewind(['record', ELF, '-o', file], { input: INPUT });
  assert.equal(recorded.status, 0, recorded.stderr);
  assert.equal(recorded.stdout, ran.stdout);
  const replayed = rewind(['replay', file, '--verbose']);
  assert.equal(replayed.status, 0, replayed.stderr);
  assert.match(replayed.stderr, new RegExp(`${state!} matches`));
});
