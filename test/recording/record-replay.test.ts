/**
 * Record, then replay through the engine: the same console bytes, the same exit, the same final state
 * hash, for every example (the interactive one with its input file) and for a program that asks the
 * outside world for a console byte, a UART byte and the clock. Replaying twice gives the same again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplayEngine } from '../../emulator/replay/engine';
import { examples, outsideProgram, Program } from '../engine/programs';
import { CLOCK, concat, record, stateHash } from '../engine/record';

async function replay(program: Program): Promise<{ console: Uint8Array; output: Uint8Array[]; engine: ReplayEngine }> {
  const { recording } = record(program);
  const output: Uint8Array[] = [];
  const engine = new ReplayEngine(recording, { snapshotInterval: 50_000, console: { write: (_s, bytes) => output.push(bytes.slice()) } });
  const stop = await engine.run('forward');
  assert.equal(stop.reason, 'end');
  return { console: concat(output), output, engine };
}

for (const program of [...examples(), outsideProgram()]) {
  test(`record then replay ${program.name}: identical output, exit and final state`, async () => {
    const recorded = record(program);
    assert.ok(recorded.recording.end, 'the recorder wrote its end chunk');
    assert.equal(recorded.recording.recovery, '');
    assert.ok(recorded.console.length > 0 || program.name === 'outside.elf', `${program.name} printed nothing`);

    const { console, output, engine } = await replay(program);
    assert.equal(Buffer.from(console).toString('latin1'), Buffer.from(recorded.console).toString('latin1'));
    assert.equal(engine.step, recorded.recording.lastStep);
    assert.deepEqual(engine.machine.halted, recorded.recording.end.reason);
    // The engine's own state hash (what its snapshots carry) at the end is the one the recorder wrote.
    assert.equal(engine.snapshots.take().hash, recorded.recording.end.hash, 'the final state hash of the replay is the recorded one');
    const finalState = stateHash(engine.machine);

    // Going back and replaying again prints nothing a second time and reaches the same state.
    await engine.seek(Math.floor(engine.lastStep / 3));
    await engine.run('forward');
    assert.equal(concat(output).length, console.length, 'nothing printed twice');
    assert.equal(stateHash(engine.machine), finalState);
  });
}

test('the interactive example answers its input file, and the recording holds one console event per read', async () => {
  const program = examples().find((p) => p.name === 'interactive.elf')!;
  const recorded = record(program);
  const text = Buffer.from(recorded.console).toString('utf8');
  assert.match(text, /^calculator: /);
  assert.match(text, /> 12 \* 7 = 84\n> 100 \/ 0: division by zero\n/);
  assert.match(text, /> quit\nbye after 6 lines\n$/);
  const lines = program.input.length ? Buffer.from(program.input).toString('utf8').split('\n').filter((l) => l !== '').length : 0;
  assert.equal(recorded.recording.events.filter((e) => e.kind === 'console').length, lines, 'one read per line up to quit');
  assert.deepEqual(recorded.recording.end?.reason, { kind: 'exit', code: 0, via: 'semihosting' });
});

test('every kind of outside value is recorded once, with its step, and replayed from the log alone', async () => {
  const program = outsideProgram('ab\ncd\n', 'xy.');
  const recorded = record(program);
  const kinds = recorded.recording.events.map((e) => e.kind);
  // Six console bytes and the end of input, three UART bytes, two clock readings.
  assert.deepEqual(kinds, ['console', 'console', 'console', 'console', 'console', 'console', 'console', 'uart', 'uart', 'uart', 'clock', 'clock']);
  assert.deepEqual(recorded.recording.events.filter((e) => e.kind === 'clock').map((e) => e.kind === 'clock' && e.seconds), [CLOCK, CLOCK]);
  const steps = recorded.recording.events.map((e) => e.step);
  assert.deepEqual(steps, [...steps].sort((a, b) => a - b));
  assert.deepEqual(recorded.recording.end?.reason, { kind: 'exit', code: 9, via: 'test-finisher' });
  assert.equal(Buffer.from(recorded.console).toString(), 'xy.');
  // The log is small: a compute-bound stretch costs nothing.
  assert.ok(recorded.file.length - program.elf.length < 1024, `the log takes ${recorded.file.length - program.elf.length} bytes`);
});
