/**
 * A program that polls the UART's line status for input after its input has ended can never go on:
 * `rewind run` and `rewind record` stop it with a sentence (exit status 125) instead of running forever,
 * whether the input was a --stdin file or a standard input that reached its end. A polling loop that
 * counts, stores, or can be interrupted is not stopped: it may still get somewhere.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CapturedConsole, runAsm } from '../support/run-asm';
import { assemble } from '../support/toolchain';
import { parseElf } from '../../emulator/elf';
import { DEFAULT_CONFIG, Machine } from '../../emulator/machine';
import { ScriptedOutside } from '../../emulator/outside';
import { Recorder } from '../../emulator/replay/recorder';
import { pollsEndedInput } from '../../cli/input-poll-loop';
import { rewind, workDir } from './rewind-cli';

/** Echoes every byte the UART receives, polling the line status's data-ready bit. */
const ECHO = `
    li t0, 0x10000000
1:  lbu t1, 5(t0)
    andi t1, t1, 1
    beqz t1, 1b
    lbu t2, 0(t0)
    sb t2, 0(t0)
    j 1b`;

test('an echo loop polling the line status after the input is used up is endless; not before it has ended', () => {
  const r = runAsm(ECHO, { input: 'hi', maxSteps: 100_000 });
  assert.equal(r.console.stdout, 'hi');
  assert.match(pollsEndedInput(r.machine, 'standard input has ended') ?? '',
    /^the program polls the UART for input forever at pc 0x800000\w\w \(step 100,000\), and standard input has ended, so it can never go on$/);
  assert.equal(pollsEndedInput(r.machine, undefined), undefined, 'input that has not ended may still come');
});

test('with endRunAtEndedInput, the machine and the recorder end the run at the first poll after the input ended, and go on from there', () => {
  const program = assemble(ECHO);
  const input = (): ScriptedOutside => new ScriptedOutside(new TextEncoder().encode('hi\n'));
  for (const endAtEnd of [false, true]) {
    const console = new CapturedConsole();
    const machine = new Machine(DEFAULT_CONFIG, input(), console);
    machine.loadProgram(parseElf(program));
    machine.endRunAtEndedInput = endAtEnd;
    assert.deepEqual(machine.run(1_000), endAtEnd ? { kind: 'ended' } : { kind: 'limit' });
    assert.equal(machine.step, endAtEnd ? 22 : 1_000);
    assert.equal(console.stdout, 'hi\n');
    assert.deepEqual(machine.run(1_000), endAtEnd ? { kind: 'ended' } : { kind: 'limit' }, 'every poll after the end ends the run');
    machine.endRunAtEndedInput = false;
    assert.deepEqual(machine.run(1_000), { kind: 'limit' });
  }
  const recorder = new Recorder(program, 'echo', input(), new CapturedConsole(), () => undefined);
  recorder.machine.endRunAtEndedInput = true;
  assert.deepEqual(recorder.run(1_000), { kind: 'ended' });
  assert.equal(recorder.machine.step, 22, 'the recorder polls the same world through its recording one');
});

test('a polling loop that counts, stores, or can be interrupted is not called endless', () => {
  const counts = runAsm(`
    li t0, 0x10000000
1:  addi s0, s0, 1              # a timeout counter: the registers never repeat
    lbu t1, 5(t0)
    andi t1, t1, 1
    beqz t1, 1b
    j .`, { maxSteps: 100_000 });
  assert.equal(pollsEndedInput(counts.machine, 'ended'), undefined);
  const stores = runAsm(`
    li t0, 0x10000000
    la s1, polls
1:  sw zero, 0(s1)
    lbu t1, 5(t0)
    andi t1, t1, 1
    beqz t1, 1b
    j .
    .data
polls: .word 0`, { maxSteps: 100_000 });
  assert.equal(pollsEndedInput(stores.machine, 'ended'), undefined);
  const interruptible = runAsm(`
    li t1, 0x80
    csrs mie, t1
    csrsi mstatus, 8
    li t0, 0x10000000
1:  lbu t1, 5(t0)
    andi t1, t1, 1
    beqz t1, 1b
    j .`, { maxSteps: 100_000 });
  assert.equal(pollsEndedInput(interruptible.machine, 'ended'), undefined, 'the timer may still interrupt it');
});

test('rewind run and record stop the echo loop when --stdin or standard input ends, and the replay agrees', () => {
  const elf = join(workDir(), 'echo-poll.elf');
  writeFileSync(elf, assemble(ECHO));
  const input = join(workDir(), 'echo-poll.txt');
  writeFileSync(input, 'hi\n');
  const fromFile = rewind(['run', elf, '--stdin', input]);
  assert.equal(fromFile.stdout, 'hi\n');
  assert.equal(fromFile.status, 125);
  // Stopped at the first poll after the input ended (the run ends there: run-slices.ts firstSlice), in run and record alike.
  assert.match(fromFile.stderr, new RegExp(`^rewind: the program polls the UART for input forever at pc 0x800000\\w\\w \\(step 22\\), and the --stdin file ${input} has no more input, so it can never go on\\n$`));
  // Standard input that ends (a pipe here; a terminal ends with Ctrl-D).
  const fromStdin = rewind(['run', elf], { input: 'hi\n' });
  assert.equal(fromStdin.stdout, 'hi\n');
  assert.equal(fromStdin.status, 125);
  assert.match(fromStdin.stderr, /and standard input has ended, so it can never go on/);
  const file = join(workDir(), 'echo-poll.rewind');
  const recorded = rewind(['record', elf, '-o', file, '--stdin', input]);
  assert.equal(recorded.status, 125, recorded.stderr);
  assert.match(recorded.stderr, /polls the UART for input forever at pc 0x800000\w\w \(step 22\)/);
  const replayed = rewind(['replay', file, '--verbose']);
  assert.equal(replayed.status, 125, replayed.stderr);
  assert.equal(replayed.stdout, 'hi\n');
  assert.match(replayed.stderr, /replayed 22 steps; final state hash [0-9a-f]{16} matches/);
});
