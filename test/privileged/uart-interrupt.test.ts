/**
 * Console input as UART receive interrupts (PLIC source 10, context 0, mip.MEIP): uart_echo.elf idles in
 * `wfi` and echoes what its interrupt handler reads. The byte that wakes it arrives by itself at the step
 * the outside world delivers it; a recording marks such bytes, and a replay takes the interrupt at the
 * same step. QEMU, given the same input on its serial port, prints the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseElf } from '../../emulator/elf';
import { DEFAULT_CONFIG, Machine } from '../../emulator/machine';
import { OutsideWorld } from '../../emulator/outside';
import { Recorder } from '../../emulator/replay/recorder';
import { decodeRecording } from '../../emulator/replay/recording-format';
import { ReplayEngine } from '../../emulator/replay/engine';
import { StateHasher } from '../../emulator/replay/state-hash';
import { qemuArgs } from '../support/qemu';
import { requireTool } from '../support/toolchain';

const DIR = resolve(__dirname, '../../../test/privileged');
const ELF = join(DIR, 'uart_echo.elf');
const INPUT = readFileSync(join(DIR, 'uart_echo.txt'), 'latin1');
const expectedOutput = (input: string): string =>
  `${input.slice(0, input.indexOf('q') + 1).toUpperCase()}\n${input.indexOf('q') + 1} bytes\n`;

/** Someone typing: each byte can be read from its step on (a poll before then finds nothing). */
class Typist implements OutsideWorld {
  private next = 0;
  constructor(private readonly keys: ReadonlyArray<{ step: number; byte: number }>) {}
  pollUart(step: number): number | null {
    return this.next < this.keys.length && this.keys[this.next].step <= step ? this.keys[this.next++].byte : null;
  }
  uartArrivalStep(step: number): number {
    return this.next < this.keys.length ? Math.max(step, this.keys[this.next].step) : Infinity;
  }
  uartArrival(): number {
    return this.keys[this.next++].byte;
  }
  readConsole(): Uint8Array { return new Uint8Array(0); }
  dateAtStart(): number { return 0; }
}

const typed = (text: string, from: number, every: number): Array<{ step: number; byte: number }> =>
  [...text].map((c, i) => ({ step: from + i * every, byte: c.charCodeAt(0) }));

function hashOf(machine: Machine): string {
  const hasher = new StateHasher(machine);
  hasher.update(Array.from({ length: machine.ram.pageCount }, (_, page) => page));
  return hasher.digest();
}

test('a byte typed while the guest idles is taken as an interrupt at the step it arrives, and replays there', async () => {
  const keys = typed('hi q', 5_000, 3_000);
  const output: number[] = [];
  const file: Uint8Array[] = [];
  const recorder = new Recorder(readFileSync(ELF), 'uart_echo.elf', new Typist(keys),
    { write: (_s, bytes) => output.push(...bytes) }, (bytes) => file.push(bytes.slice()));
  const reason = recorder.run(1_000_000);
  recorder.finish(reason);
  assert.deepEqual(reason, { kind: 'exit', code: 0, via: 'test-finisher' });
  assert.equal(Buffer.from(output).toString('latin1'), expectedOutput('hi q'));

  const recording = decodeRecording(Buffer.concat(file));
  // Each key came while the guest waited in wfi: it arrived by itself at the step it was typed.
  assert.deepEqual(recording.events.map((e) => e.kind === 'uart' && e.arrived ? e.step : -1), keys.map((k) => k.step));
  const lastStep = recorder.machine.step;

  // Interpreted, with the same typist: the same steps and state (compiled code takes the interrupts alike).
  const interpreted = new Machine(DEFAULT_CONFIG, new Typist(keys), { write: () => undefined }, { compile: false });
  interpreted.loadProgram(parseElf(readFileSync(ELF)));
  interpreted.semihosting.commandLine = 'uart_echo.elf';
  interpreted.run(1_000_000);
  assert.equal(interpreted.step, lastStep);
  assert.equal(hashOf(interpreted), hashOf(recorder.machine));

  // The replay, straight to the end and then back into the middle and on again (from snapshots).
  let replayed = '';
  const engine = new ReplayEngine(recording, { snapshotInterval: 2_000, console: { write: (_s, bytes) => { replayed += Buffer.from(bytes).toString('latin1'); } } });
  await engine.seek(lastStep);
  assert.equal(replayed, expectedOutput('hi q'));
  assert.equal(hashOf(engine.machine), hashOf(recorder.machine));
  for (const k of keys) {
    await engine.seek(k.step);
    await engine.stepInstruction('forward');
    assert.equal(engine.machine.csr.mcause >>> 0, 0x8000000b, `the interrupt is taken at step ${k.step}`);
    assert.equal(engine.machine.pc, engine.machine.csr.mtvec >>> 0);
  }
  await engine.seek(lastStep);
  assert.equal(hashOf(engine.machine), hashOf(recorder.machine));
});

test('a live session waits in the idle loop for typed input, and its recording replays', async () => {
  const program = readFileSync(ELF);
  const live = ReplayEngine.live({ program, programName: 'uart_echo.elf' });
  const first = await live.run('forward');
  assert.equal(first.reason, 'input', 'an idle guest awaiting the receive interrupt waits for input');
  live.sendInput(new TextEncoder().encode('ok'));
  assert.equal((await live.run('forward')).reason, 'input');
  live.sendInput(new TextEncoder().encode(' q'));
  const end = await live.run('forward');
  assert.equal(end.reason, 'end');
  await live.finishLive();
  const recording = decodeRecording(live.recordingBytes());
  assert.equal(recording.events.filter((e) => e.kind === 'uart' && e.arrived).length >= 2, true, 'each piece of typed input arrived by interrupt');
  let replayed = '';
  const replay = new ReplayEngine(recording, { console: { write: (_s, bytes) => { replayed += Buffer.from(bytes).toString('latin1'); } } });
  const stop = await replay.run('forward');
  assert.equal(stop.reason, 'end');
  assert.equal(replay.step, live.lastStep);
  assert.equal(replayed, expectedOutput('ok q'));
});

test('QEMU, given the same input on its serial port, prints the same', () => {
  requireTool('qemu-system-riscv32');
  const args = qemuArgs(ELF);
  args[args.indexOf('-serial') + 1] = 'stdio';
  const r = spawnSync('qemu-system-riscv32', args, { input: INPUT, timeout: 30_000, encoding: 'latin1' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, expectedOutput(INPUT));
});
