/**
 * A program idling in `wfi` where no interrupt can ever come can never go on: `rewind run` and `rewind
 * record` say so and stop (exit status 125) instead of running forever. uart_echo.elf with its input used
 * up (no 'q' came) hung both before. Idling with a timer armed, or with input that may still come, goes on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseElf } from '../../emulator/elf';
import { DEFAULT_CONFIG, Machine } from '../../emulator/machine';
import { HostOutside } from '../../cli/host-outside';
import { runAsm } from '../support/run-asm';
import { idlesForever } from '../../cli/idle-forever';
import { ROOT, rewind, workDir } from './rewind-cli';

const ECHO = join(ROOT, 'test', 'privileged', 'uart_echo.elf');
const WAITS = /^rewind: the program waits in wfi at pc 0x800000\w\w \(step [\d,]+\) for console input through the UART's receive interrupt, and standard input has ended, so it can never go on\n$/;

test('an interrupt-driven echo whose input has ended is stopped in run and record, and the recording replays', () => {
  const ran = rewind(['run', ECHO, '--hash'], { input: 'hi', timeout: 60_000 });
  assert.equal(ran.status, 125, ran.stderr);
  assert.equal(ran.stdout, 'HI');
  const [hash, message] = ran.stderr.split(/(?<=\n)/);
  assert.match(message, WAITS);
  const state = /final state hash [0-9a-f]{16}/.exec(hash)?.[0];
  assert.ok(state, ran.stderr);

  const file = join(workDir(), 'echo-ended.rewind');
  const recorded = rewind(['record', ECHO, '-o', file], { input: 'hi', timeout: 60_000 });
  assert.equal(recorded.status, 125, recorded.stderr);
  assert.equal(recorded.stdout, 'HI');
  const replayed = rewind(['replay', file, '--verbose']);
  assert.match(replayed.stderr, new RegExp(`${state!} matches`));
  assert.equal(replayed.status, 125, 'a replay exits as its run did');
});

test('idling with no interrupt enabled is forever; with the timer armed, or input still to come, it is not', () => {
  const off = runAsm('1: wfi\n j 1b', { maxSteps: 1000 });
  assert.match(idlesForever(off.machine, undefined) ?? '',
    /^the program idles forever at pc 0x8000000\w \(step 1,000\): no interrupt is enabled that could ever end its loop, so it can never go on$/);
  const timer = runAsm(`
    la t0, 1f
    csrw mtvec, t0
    li t0, 0x2004000
    li t1, 5000
    sw t1, 0(t0)
    sw zero, 4(t0)
    li t0, 0x80
    csrs mie, t0
    csrsi mstatus, 8
1:  wfi
    j 1b`, { maxSteps: 1000 });
  assert.equal(idlesForever(timer.machine, undefined), undefined, 'the timer interrupt comes at mtime 5000');
  const busy = runAsm('1: addi t0, t0, 1\n j 1b', { maxSteps: 1000 });
  assert.equal(idlesForever(busy.machine, undefined), undefined, 'a loop that counts is not idle');
  // uart_echo.elf idles awaiting the receive interrupt, and its terminal has not said it has ended.
  const fd = openSync(join(workDir(), 'empty.txt'), 'w+');
  try {
    const echo = new Machine(DEFAULT_CONFIG, new HostOutside(fd, () => undefined, 0), { write: () => undefined });
    echo.loadProgram(parseElf(readFileSync(ECHO)));
    assert.deepEqual(echo.run(1000), { kind: 'limit' });
    assert.equal(idlesForever(echo, undefined), undefined, 'the terminal is read after 10,000 idle waits');
  } finally {
    closeSync(fd);
  }
});
