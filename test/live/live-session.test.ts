/**
 * Live sessions: the program runs and is recorded as it runs; the user travels back into what has run
 * and forward again; past the frontier it runs live, asking for input the user types. The recording it
 * leaves replays the same run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ReplayEngine } from '../../emulator/replay/engine';
import { decodeRecording } from '../../emulator/replay/recording-format';
import { DEFAULT_CONFIG, Machine } from '../../emulator/machine';
import { parseElf } from '../../emulator/elf';
import { ScriptedOutside } from '../../emulator/outside';
import { StateHasher } from '../../emulator/replay/state-hash';

const EXAMPLES = resolve(__dirname, '../../../examples');
const interactive = readFileSync(resolve(EXAMPLES, 'interactive/interactive.elf'));
const text = (chunks: Uint8Array[]): string => Buffer.concat(chunks).toString('utf8');

function liveInteractive(extra: { stdin?: Uint8Array } = {}) {
  const output: Uint8Array[] = [];
  const file: Uint8Array[] = [];
  const engine = ReplayEngine.live({
    program: interactive,
    programName: 'interactive.elf',
    console: { write: (_stream, bytes) => output.push(bytes.slice()) },
    append: (bytes) => file.push(bytes.slice()),
    snapshotInterval: 50_000,
    date: 1_700_000_000,
    ...extra,
  });
  return { engine, output, file };
}

function stateHashAfter(program: Uint8Array, steps: number, stdin: string): string {
  const machine = new Machine(DEFAULT_CONFIG, new ScriptedOutside(new TextEncoder().encode(stdin)), { write: () => undefined });
  machine.loadProgram(parseElf(program));
  machine.semihosting.commandLine = 'interactive.elf';
  machine.run(steps);
  assert.equal(machine.step, steps);
  const hasher = new StateHasher(machine);
  hasher.update(machine.ram.takeDirtyPages());
  return hasher.digest();
}

test('a live program stops for input, gets typed lines, and its output is shown once', async () => {
  const { engine, output } = liveInteractive();
  assert.equal(engine.live, true);
  let stop = await engine.run('forward');
  assert.deepEqual(stop, { reason: 'input' });
  assert.equal(engine.waitingForInput, true);
  const waitStep = engine.step;
  assert.equal(engine.lastStep, waitStep);
  assert.match(text(output), /calculator: .*\n> $/s);

  engine.sendInput(new TextEncoder().encode('6 * 7\n'));
  stop = await engine.run('forward');
  assert.deepEqual(stop, { reason: 'input' });
  assert.ok(engine.step > waitStep);
  assert.match(text(output), /6 \* 7 = 42\n> $/);

  // Back into history and forward again: nothing is printed twice.
  const shown = text(output);
  await engine.seek(waitStep - 10);
  await engine.seek(engine.lastStep);
  assert.equal(text(output), shown);

  engine.sendInput(new TextEncoder().encode('quit\n'));
  stop = await engine.run('forward');
  assert.equal(stop.reason, 'end');
  assert.equal(engine.live, false);
  assert.match(text(output), /> quit\nbye after 1 line\n$/);
});

test('travel back in a live session, then run on past the frontier', async () => {
  const { engine } = liveInteractive();
  await engine.run('forward');
  const frontier = engine.lastStep;
  await engine.seek(Math.floor(frontier / 2));
  assert.equal(engine.step, Math.floor(frontier / 2));
  // Running forward from the middle reaches the frontier again, replaying the recorded part.
  const stop = await engine.run('forward');
  assert.deepEqual(stop, { reason: 'input' });
  assert.equal(engine.step, frontier);
  await assert.rejects(engine.seek(frontier + 1), /the program has run to step/);
  // A single step at the frontier asks for input too.
  assert.deepEqual(await engine.stepInstruction('forward'), { reason: 'input' });
  engine.sendInput(new TextEncoder().encode('1 + 1\n'));
  assert.deepEqual(await engine.stepInstruction('forward'), { reason: 'step' });
  assert.equal(engine.lastStep, frontier + 1);
});

test('the recording a live session leaves replays the same run, with the same state', async () => {
  const { engine, file } = liveInteractive();
  await engine.run('forward');
  engine.sendInput(new TextEncoder().encode('12 * 7\n'));
  await engine.run('forward');
  engine.sendInput(new TextEncoder().encode('two words\n'));
  await engine.run('forward');
  const middle = engine.lastStep;
  await engine.seek(1000);
  await engine.finishLive();
  assert.equal(engine.step, 1000, 'finishing goes back to where the user was');

  const saved = decodeRecording(Buffer.concat(file));
  assert.equal(saved.recovery, '');
  assert.equal(saved.lastStep, middle);
  assert.equal(saved.end?.step, middle);
  assert.deepEqual(saved.events.map((e) => e.kind), ['console', 'console']);
  const whole = decodeRecording(engine.recordingBytes());
  const plain = (r: typeof saved) => JSON.stringify({ events: r.events.map((e) => (e.kind === 'console' ? { ...e, bytes: [...e.bytes] } : e)), end: r.end, lastStep: r.lastStep });
  assert.equal(plain(whole), plain(saved));

  // Replaying the saved file reaches the same state as a straight run with the same input.
  const replayed: Uint8Array[] = [];
  const replay = new ReplayEngine(saved, { console: { write: (_s, b) => replayed.push(b.slice()) } });
  const stop = await replay.run('forward');
  assert.equal(stop.reason, 'end');
  assert.equal(replay.step, middle);
  assert.match(text(replayed), /12 \* 7 = 84\n> "two words": 2 words/);
  assert.equal(saved.end?.hash, stateHashAfter(interactive, middle, '12 * 7\ntwo words\n'));
});

test('stdin given up front is fed, then end of input; a replay session refuses typed input', async () => {
  const { engine, output } = liveInteractive({ stdin: new TextEncoder().encode('3 - 5\n') });
  const stop = await engine.run('forward');
  assert.equal(stop.reason, 'end');
  assert.match(text(output), /3 - 5 = -2\n> \(end of input\)\nbye after 1 line\n$/);
  const replay = new ReplayEngine(decodeRecording(engine.recordingBytes()));
  assert.throws(() => replay.sendInput(new Uint8Array([10])), /replays a recording/);
});
