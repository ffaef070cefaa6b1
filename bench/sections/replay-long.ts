/**
 * The long-recording figures of the replay section (issue 19): a recording of ten billion steps
 * (bench/replay/long10.elf, recorded once per bench run into a scratch folder with its snapshot index,
 * as `rewind record` does), then what a user does with it in a fresh session:
 * - open at the end (F5 in VS Code) with the index beside the recording, and without it;
 * - random seeks, reverse steps by line (the core's reverse next) and by instruction, each median;
 * - reverse continue from the end to step 0 with a breakpoint where no code runs (a search of the
 *   whole recording), and with nothing at all to stop at (answered without a search);
 * - the process's peak memory beside the snapshot budget (the session runs in a child process of its
 *   own, so that its peak is not the bench's).
 * Latencies are wall-clock beside the process's CPU time (the machine is shared: the CPU time says what
 * the operation costs when it has a core to itself).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScriptedOutside } from '../../emulator/outside';
import { Recorder } from '../../emulator/replay/recorder';
import { decodeRecording } from '../../emulator/replay/recording-format';
import { ReplayEngine } from '../../emulator/replay/engine';
import { IndexFile, openIndexFile } from '../../emulator/replay/index-file';
import { Debugger } from '../../debugger/debugger';
import { fmt, scratch } from './qemu';
import { BENCH_DIR } from './emulation';

const PROGRAM = join(BENCH_DIR, 'replay', 'long10.elf');
const MIN_STEPS = 10_000_000_000;
const SAMPLES = 15;
const BUDGET = 512 * 1024 * 1024;

const ms = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e6;
const cpuMs = (from: NodeJS.CpuUsage): number => { const d = process.cpuUsage(from); return (d.user + d.system) / 1000; };
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
}

interface Figures {
  steps: number; openNoIndexMs: number; openMs: number; seekMs: number; seekSlowestMs: number;
  reverseLineMs: number; reverseInstructionMs: number; seekCpuMs: number; reverseLineCpuMs: number; reverseInstructionCpuMs: number; reverseContinueMs: number; reverseNothingMs: number; peakMB: number; snapshotMB: number; plainPeakMB: number;
}

/** Records long10.elf with its index into `dir`: the recording's path and how long it took. */
function record(dir: string): { path: string; seconds: number } {
  const path = join(dir, 'long10.rewind');
  const chunks: Uint8Array[] = [];
  const recorder = new Recorder(readFileSync(PROGRAM), 'long10.elf', new ScriptedOutside(), { write: () => undefined }, (c) => chunks.push(c.slice()));
  const index = IndexFile.create(path);
  if (!index) throw new Error(`cannot write an index beside ${path}`);
  recorder.keepIndex(index);
  const started = process.hrtime.bigint();
  recorder.finish(recorder.run(Infinity));
  const seconds = ms(started) / 1000;
  writeFileSync(path, Buffer.concat(chunks));
  return { path, seconds };
}

/** A fresh session on the recording, as a front end opens one. */
function open(path: string, withIndex: boolean): Debugger {
  const recording = decodeRecording(readFileSync(path));
  const index = withIndex ? openIndexFile(path) : undefined;
  if (typeof index === 'string') throw new Error(`the recorder wrote no usable index: ${index}`);
  const engine = new ReplayEngine(recording, { snapshotIndex: index, snapshotMemoryBytes: BUDGET, say: (text) => { throw new Error(text); } });
  return Debugger.open(engine, recording.program, PROGRAM, { sourceRoot: BENCH_DIR }).debugger;
}

/** Opening without the index: replays all of it (a child of its own, for its peak memory). */
async function openWithoutIndex(path: string): Promise<{ ms: number; peakMB: number }> {
  const started = process.hrtime.bigint();
  const plain = open(path, false);
  const stop = await plain.engine.run('forward');
  if (stop.reason !== 'end' || plain.step < MIN_STEPS) throw new Error(`F5 without the index stopped at step ${plain.step} (${stop.reason})`);
  return { ms: ms(started), peakMB: peakMB() };
}

const peakMB = (): number => process.resourceUsage().maxRSS / 1024;

/** The measurements with the index, in this process (the child). */
async function measure(path: string): Promise<Omit<Figures, 'openNoIndexMs' | 'plainPeakMB'>> {
  let started = process.hrtime.bigint();
  const opens: number[] = [];
  let d: Debugger | undefined;
  let steps = 0;
  for (let i = 0; i < 3; i++) {
    started = process.hrtime.bigint();
    d = open(path, true);
    steps = d.lastStep;
    const stop = await d.engine.run('forward');
    opens.push(ms(started));
    if (stop.reason !== 'end' || d.step !== steps) throw new Error(`F5 stopped at step ${d.step} (${stop.reason})`);
  }
  if (!d || steps < MIN_STEPS) throw new Error(`the recording ends at step ${steps}; the figures need ${MIN_STEPS}`);

  const next = random(19);
  const pick = (): number => 1 + Math.floor(next() * (steps - 1));
  const seeks: number[] = [], seekCpu: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const target = pick();
    started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    await d.engine.seek(target);
    seeks.push(ms(started));
    seekCpu.push(cpuMs(cpu));
    if (d.step !== target) throw new Error(`seek(${target}) ended at step ${d.step}`);
  }
  const lines: number[] = [], instructions: number[] = [], lineCpu: number[] = [], instructionCpu: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    await d.engine.seek(pick());
    await d.next(); // on a statement, as after any stop
    const at = d.step;
    started = process.hrtime.bigint();
    let cpu = process.cpuUsage();
    const stop = await d.reverseNext();
    lines.push(ms(started));
    lineCpu.push(cpuMs(cpu));
    if (stop.step >= at) throw new Error(`reverse next from step ${at} went to ${stop.step}`);
    started = process.hrtime.bigint();
    cpu = process.cpuUsage();
    await d.stepInstruction('backward');
    instructions.push(ms(started));
    instructionCpu.push(cpuMs(cpu));
    if (d.step !== stop.step - 1) throw new Error(`reverse stepi from ${stop.step} went to ${d.step}`);
  }
  await d.engine.seek(steps);
  started = process.hrtime.bigint();
  const back = await d.engine.run('backward', { breakpoints: [0x80100000] }); // beyond long10.elf's memory image
  const reverseContinueMs = ms(started);
  if (back.reason !== 'start' || d.step !== 0) throw new Error(`reverse continue stopped at step ${d.step} (${back.reason})`);
  await d.engine.seek(steps);
  started = process.hrtime.bigint();
  const nothing = await d.engine.run('backward');
  const reverseNothingMs = ms(started);
  if (nothing.reason !== 'start' || d.step !== 0) throw new Error(`reverse continue with nothing to stop at ended at step ${d.step} (${nothing.reason})`);
  return {
    steps, openMs: median(opens), seekMs: median(seeks), seekSlowestMs: Math.max(...seeks),
    reverseLineMs: median(lines), reverseInstructionMs: median(instructions), reverseContinueMs, reverseNothingMs,
    seekCpuMs: median(seekCpu), reverseLineCpuMs: median(lineCpu), reverseInstructionCpuMs: median(instructionCpu),
    snapshotMB: d.engine.snapshots.memoryBytes / 1048576, peakMB: peakMB(),
  };
}

function row(name: string, value: string, target: string, met?: boolean): void {
  const verdict = met === undefined ? '' : met ? 'met' : 'MISSED';
  console.log(`${name.padEnd(44)} ${value.padStart(16)}   ${target.padEnd(12)} ${verdict}`);
}

/** Prints the long-recording rows (called by the replay section). */
export function longRecordingRows(): void {
  const files = scratch();
  try {
    const { path, seconds } = record(files.dir);
    const child = (mode: string): unknown => {
      const r = spawnSync(process.execPath, [__filename, mode, path], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (r.status !== 0) throw new Error(`the long-recording session failed: ${r.stderr || r.stdout}`);
      return JSON.parse(r.stdout.trim().split('\n').pop()!);
    };
    const plain = child('plain') as { ms: number; peakMB: number };
    const f: Figures = { ...(child('indexed') as Figures), openNoIndexMs: plain.ms, plainPeakMB: plain.peakMB };
    const budgetMB = BUDGET / 1048576;
    console.log(`\nA recording of ${f.steps.toLocaleString('en-US')} steps (bench/replay/long10.elf; recorded with its index in ${fmt(seconds, 1)} s), in a fresh session:`);
    row('open at the end (F5), no index', `${fmt(f.openNoIndexMs / 1000, 2)} s`, '');
    row('open at the end (F5), with the index, median', `${fmt(f.openMs, 0)} ms`, '≤ 1 s', f.openMs <= 1000);
    row('random seek, median (CPU time)', `${fmt(f.seekMs, 1)} (${fmt(f.seekCpuMs, 1)}) ms`, '≤ 20 ms', f.seekMs <= 20);
    row('random seek, slowest', `${fmt(f.seekSlowestMs, 1)} ms`, '');
    row('reverse step by line (reverse next), median', `${fmt(f.reverseLineMs, 1)} (${fmt(f.reverseLineCpuMs, 1)}) ms`, '≤ 30 ms', f.reverseLineMs <= 30);
    row('reverse step by instruction, median', `${fmt(f.reverseInstructionMs, 2)} (${fmt(f.reverseInstructionCpuMs, 2)}) ms`, '≤ 5 ms', f.reverseInstructionMs <= 5);
    row('reverse continue to step 0, no hit', `${fmt(f.reverseContinueMs / 1000, 2)} s`, '');
    row('reverse continue to step 0, nothing set', `${fmt(f.reverseNothingMs, 2)} ms`, '');
    row('snapshot memory at the end', `${fmt(f.snapshotMB, 0)} MiB`, `≤ ${budgetMB} MiB`, f.snapshotMB <= budgetMB);
    row('peak memory (RSS), session with the index', `${fmt(f.peakMB, 0)} MB`, `≤ ${budgetMB + 100} MB`, f.peakMB <= budgetMB + 100);
    row('peak memory (RSS), open without the index', `${fmt(f.plainPeakMB, 0)} MB`, `≤ ${budgetMB + 100} MB`, f.plainPeakMB <= budgetMB + 100);
  } finally {
    files.remove();
  }
}

if (require.main === module) {
  const [mode, path] = process.argv.slice(2);
  (mode === 'plain' ? openWithoutIndex(path) : measure(path)).then((f) => console.log(JSON.stringify(f)), (e: unknown) => { console.error(e); process.exit(1); });
}
