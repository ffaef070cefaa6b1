/**
 * Section "speed" (issue 7): how fast the machine runs guest code, on the CPU-bound programs
 * (bench/*.elf), per way of running it, side by side with QEMU's record/replay in the same run:
 * - interpreter: every instruction through its closure (`compile: false`, the reference), on the first
 *   INTERPRETER_STEPS steps only;
 * - compiled: hot blocks, then hot pages as regions (emulator/cpu/region.ts), a plain run to the end;
 * - replay: the same program recorded, then replayed to its end by the replay engine (snapshots
 *   included), which is what every seek, reverse step and reverse continue does;
 * - QEMU `-icount shift=0,rr=replay` on the same ELF, start-up subtracted (n/a for a program that reads
 *   the clock, which QEMU cannot replay: CLOCK_READERS).
 * Targets: replay ≥ 500 MIPS on each program, and ≥ 1.0 × QEMU's replay over all of them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseElf } from '../../emulator/elf';
import { DEFAULT_CONFIG, Machine } from '../../emulator/machine';
import { ScriptedOutside } from '../../emulator/outside';
import { Recorder } from '../../emulator/replay/recorder';
import { decodeRecording } from '../../emulator/replay/recording-format';
import { ReplayEngine } from '../../emulator/replay/engine';
import { BENCH_DIR } from './emulation';
import { CLOCK_READERS, fmt, qemuAvailable, runQemu, scratch } from './qemu';

const INTERPRETER_STEPS = 30_000_000;

const seconds = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e9;

function plainRun(program: Uint8Array, compile: boolean, steps: number): { steps: number; seconds: number } {
  const machine = new Machine(DEFAULT_CONFIG, new ScriptedOutside(), { write: () => undefined }, { compile });
  machine.loadProgram(parseElf(program));
  const started = process.hrtime.bigint();
  const reason = machine.run(steps);
  const took = seconds(started);
  if (steps === Infinity && (reason.kind !== 'exit' || reason.code !== 0)) {
    throw new Error(`the program did not exit cleanly: ${JSON.stringify(reason)}`);
  }
  return { steps: machine.step, seconds: took };
}

async function replayRun(program: Uint8Array, name: string): Promise<{ steps: number; seconds: number }> {
  const chunks: Uint8Array[] = [];
  const recorder = new Recorder(program, name, new ScriptedOutside(), { write: () => undefined }, (c) => chunks.push(c.slice()));
  recorder.finish(recorder.run(Infinity));
  const engine = new ReplayEngine(decodeRecording(Buffer.concat(chunks)));
  const started = process.hrtime.bigint();
  const end = await engine.run('forward');
  const took = seconds(started);
  if (end.reason !== 'end') throw new Error(`the replay of ${name} stopped at step ${engine.step} (${end.reason}), not at its end`);
  return { steps: engine.step, seconds: took };
}

export async function run(): Promise<void> {
  const programs = readdirSync(BENCH_DIR).filter((f) => f.endsWith('.elf')).sort();
  if (programs.length === 0) throw new Error(`no benchmark programs in ${BENCH_DIR}: run make -C bench`);
  const withQemu = qemuAvailable();
  if (!withQemu) console.log('qemu-system-riscv32 is not installed (apt-get install qemu-system-misc): no QEMU column');
  const startup = withQemu ? runQemu(join(BENCH_DIR, 'startup', 'exit.elf'), 'plain').seconds : 0;
  const rr = scratch();
  console.log(`million instructions per second; interpreter on the first ${INTERPRETER_STEPS.toLocaleString('en-US')} steps only`);
  console.log(`${'program'.padEnd(12)} ${'interpreter'.padStart(11)} ${'compiled'.padStart(9)} ${'replay'.padStart(8)} ${'QEMU replay'.padStart(12)} ${'ratio'.padStart(6)}  target ≥ 500`);
  // Steps and replay time over all programs; beside them, over the programs QEMU replayed, for the ratio.
  let steps = 0, replaySeconds = 0, qemuSeconds = 0, qemuSteps = 0, replaySecondsBesideQemu = 0;
  let allMet = true;
  try {
    for (const file of programs) {
      const elf = join(BENCH_DIR, file);
      const program = readFileSync(elf);
      const interpreted = plainRun(program, false, INTERPRETER_STEPS);
      const compiled = plainRun(program, true, Infinity);
      const replayed = await replayRun(program, basename(file));
      const mips = (r: { steps: number; seconds: number }): number => r.steps / r.seconds / 1e6;
      let qemuColumn = '—';
      let ratio = NaN;
      if (withQemu && CLOCK_READERS.has(file)) {
        // QEMU cannot replay a program that reads the clock: its replay runs until the 5-minute timeout.
        qemuColumn = 'n/a';
      } else if (withQemu) {
        const rrfile = join(rr.dir, `${file}.rr`);
        const recorded = runQemu(elf, 'rr=record', rrfile);
        const q = recorded.ok ? runQemu(elf, 'rr=replay', rrfile) : recorded;
        if (q.ok) {
          const s = Math.max(q.seconds - startup, 1e-3);
          qemuSeconds += s;
          qemuSteps += replayed.steps;
          replaySecondsBesideQemu += replayed.seconds;
          qemuColumn = fmt(replayed.steps / s / 1e6);
          ratio = s / replayed.seconds;
        } else {
          console.log(`  QEMU on ${file}: ${q.message}`);
          qemuSeconds = NaN;
        }
      }
      steps += replayed.steps;
      replaySeconds += replayed.seconds;
      const met = mips(replayed) >= 500;
      allMet &&= met;
      console.log(`${file.replace(/\.elf$/, '').padEnd(12)} ${fmt(mips(interpreted)).padStart(11)} ${fmt(mips(compiled)).padStart(9)} ` +
        `${fmt(mips(replayed)).padStart(8)} ${qemuColumn.padStart(12)} ${fmt(ratio, 2).padStart(6)}  ${met ? 'met' : 'MISSED'}`);
    }
  } finally {
    rr.remove();
  }
  const replayAll = steps / replaySeconds / 1e6;
  const ratioAll = qemuSeconds / replaySecondsBesideQemu;
  console.log(`${'all'.padEnd(12)} ${''.padStart(11)} ${''.padStart(9)} ${fmt(replayAll).padStart(8)} ` +
    `${fmt(qemuSteps / qemuSeconds / 1e6).padStart(12)} ${fmt(ratioAll, 2).padStart(6)}`);
  console.log(`target (issue 7): replay ≥ 500 MIPS on every program — ${allMet ? 'met' : 'MISSED'}`);
  console.log(`goal (issue 7): replay ≥ 1.0 × QEMU -icount shift=0,rr=replay over the programs QEMU replays — ${ratioAll >= 1 ? 'met' : 'not yet'} (${fmt(ratioAll, 2)})`);
}
