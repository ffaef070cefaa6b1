/**
 * Warm code's wasm modules are compiled for Liftoff alone, with no tier-up, V8's flags set for the
 * compile and set back at once (emulator/cpu/wasm/warm-tiering.ts), and in a process that runs one
 * program once (rewind run, record, replay) they are written with TurboFan held (warm-cases.ts,
 * v8-hold.ts). Only V8's choice of when to optimize changes: the state machine's 600 warm cases run compiled, and the compiled machine
 * stops where the interpreting one does, in the same state, at every slice of the run and at its end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { MachinePair } from './machine-pair';
import { expectOneRun } from '../../emulator/cpu/wasm/warm-tiering';

const ELF = join(__dirname, '..', '..', '..', 'bench', 'statemachine.elf');

test('warm cases compiled for Liftoff alone, in a one-run process, end alike, slice by slice', () => {
  expectOneRun();
  const pair = new MachinePair('statemachine', ELF, '', 'wasm');
  let reason = pair.run(7_000_003);
  while (reason.kind === 'limit') reason = pair.run(7_000_003);
  assert.deepEqual(reason, { kind: 'exit', code: 0, via: 'test-finisher' });
  assert.ok(pair.compiled.machine.warmBlocksCompiled > 600, `${pair.compiled.machine.warmBlocksCompiled} warm blocks compiled`);
  assert.match(pair.compiled.output, /statemachine: checksum 0x[0-9A-F]{8}\n$/);
});
