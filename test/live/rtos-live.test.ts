/**
 * A live session of an RTOS whose console is interrupt-driven (examples/rtos): between timer ticks it
 * idles in `wfi` with the UART's receive interrupt enabled. It is not waiting for input, since its
 * tick wakes it: the session keeps running and printing its status reports, as on a board, and stops
 * only where the program does. (It stopped every 10,000 idle `wfi`s saying "the program waits for
 * input", a typed file already consumed or not.) A live session given the input as a file runs as
 * `rewind run --stdin` does: the same output, steps and final state.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_CONFIG, Machine } from '../../emulator/machine';
import { parseElf } from '../../emulator/elf';
import { ScriptedOutside } from '../../emulator/outside';
import { ReplayEngine } from '../../emulator/replay/engine';
import { StateHasher } from '../../emulator/replay/state-hash';

const DIR = resolve(__dirname, '../../../examples/rtos');
const RTOS = readFileSync(resolve(DIR, 'rtos.elf'));
const INPUT = readFileSync(resolve(DIR, 'input.txt'));

function hash(machine: Machine): string {
  const hasher = new StateHasher(machine);
  hasher.update(Array.from({ length: machine.ram.pageCount }, (_, page) => page));
  return hasher.digest();
}

async function live(stdin?: Uint8Array): Promise<{ output: string; stops: string[]; engine: ReplayEngine }> {
  let output = '';
  const engine = ReplayEngine.live({
    program: RTOS, programName: 'rtos.elf', stdin, date: 0,
    console: { write: (_stream, bytes) => { output += Buffer.from(bytes).toString('latin1'); } },
  });
  const stops: string[] = [];
  for (let i = 0; i < 20; i++) {
    const stop = await engine.run('forward');
    stops.push(stop.reason);
    if (stop.reason === 'end') break;
  }
  return { output, stops, engine };
}

test('a live RTOS given its input as a file runs to its end as rewind run --stdin does', async () => {
  const { output, stops, engine } = await live(INPUT);
  assert.deepEqual(stops, ['end']);
  const machine = new Machine(DEFAULT_CONFIG, new ScriptedOutside(INPUT), { write: () => undefined });
  machine.loadProgram(parseElf(RTOS));
  machine.semihosting.commandLine = 'rtos.elf';
  assert.deepEqual(machine.run(100_000_000), { kind: 'exit', code: 0, via: 'test-finisher' });
  assert.equal(engine.step, machine.step);
  assert.equal(hash(engine.machine), hash(machine));
  assert.match(output, /> quit\nbye\n(status: .*\n){5}rtos: 86 bytes typed, 0 lost\n$/);
});

test('a live RTOS with nothing typed keeps printing its status reports: its tick wakes it, not input', async () => {
  const { output, stops } = await live();
  assert.deepEqual(stops, ['end']);
  assert.equal(output.match(/^status: tick \d+,/gm)?.length, 12);
  assert.match(output, /rtos: no quit typed; stopping\n$/);
});
