/**
 * The memory-heavy figures of the replay section (issue 20): bench/replay/churn.elf rewrites 100 MiB of
 * RAM every two million steps, 100 million steps in all. Recorded once, then replayed to the end and
 * sought to random steps with a snapshot budget of 512 MiB and of 1 MiB: the forward replay's time, the
 * seek latency (median and slowest), the snapshots' memory by the budget's count and the page memory
 * the store holds from the process.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScriptedOutside } from '../../emulator/outside';
import { Recorder } from '../../emulator/replay/recorder';
import { decodeRecording, Recording } from '../../emulator/replay/recording-format';
import { ReplayEngine } from '../../emulator/replay/engine';
import { fmt } from './qemu';
import { BENCH_DIR } from './emulation';

const PROGRAM = join(BENCH_DIR, 'replay', 'churn.elf');
const SEEKS = 9;
const MiB = 1 << 20;

const ms = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e6;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function record(): Recording {
  const chunks: Uint8Array[] = [];
  const recorder = new Recorder(readFileSync(PROGRAM), 'churn.elf', new ScriptedOutside(), { write: () => undefined }, (c) => chunks.push(c.slice()));
  recorder.finish(recorder.run(Infinity));
  return decodeRecording(Buffer.concat(chunks));
}

function row(name: string, value: string, target = '', met?: boolean): void {
  const verdict = met === undefined ? '' : met ? 'met' : 'MISSED';
  console.log(`${name.padEnd(44)} ${value.padStart(16)}   ${target.padEnd(12)} ${verdict}`);
}

/** Prints the memory-heavy rows (called by the replay section). */
export async function memoryHeavyRows(): Promise<void> {
  const recording = record();
  console.log(`\nA program rewriting 100 MiB every 2 million steps (bench/replay/churn.elf, ${recording.lastStep.toLocaleString('en-US')} steps):`);
  for (const budgetMiB of [512, 1]) {
    const budget = budgetMiB * MiB;
    const engine = new ReplayEngine(recording, { snapshotMemoryBytes: budget });
    let started = process.hrtime.bigint();
    await engine.run('forward');
    const forward = ms(started);
    let s = 20;
    const seeks: number[] = [];
    for (let i = 0; i < SEEKS; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const target = 1 + Math.floor((s / 2 ** 32) * (recording.lastStep - 1));
      started = process.hrtime.bigint();
      await engine.seek(target);
      seeks.push(ms(started));
    }
    const label = `budget ${budgetMiB} MiB:`;
    row(`${label} replay to the end`, `${fmt(forward / 1000, 2)} s`);
    row(`${label} random seek, median`, `${fmt(median(seeks), 0)} ms`);
    // With 1 MiB no snapshot of this program fits: every seek back replays from step 0, by design.
    if (budgetMiB >= 512) row(`${label} random seek, slowest`, `${fmt(Math.max(...seeks), 0)} ms`, '≤ 1 s', Math.max(...seeks) <= 1000);
    else row(`${label} random seek, slowest (from step 0)`, `${fmt(Math.max(...seeks), 0)} ms`);
    row(`${label} snapshot memory (kept)`, `${fmt(engine.snapshots.memoryBytes / MiB, 0)} MiB`, `≤ ${budgetMiB} MiB`, engine.snapshots.memoryBytes <= budget);
    row(`${label} pages held (kept and free)`, `${fmt(engine.snapshots.heldBytes / MiB, 0)} MiB`);
  }
}
