/**
 * Section "dap" (issue 4): the debug adapter's round trips over DAP (dist/adapter.js under node, driven
 * by the test-support DebugClient) on a long recording of a C program with debug info:
 * - stepBack at statement granularity (reverse-next over a call, in a loop): median ms;
 * - reverseContinue to a function breakpoint 100,000,000 steps back: ms;
 * - stackTrace + scopes + variables (Locals) after a stop: median ms for the three;
 * - a program flooding its console (dap-flood.ts): output events, peak memory, pause latency;
 * - a live session of an idle program left running for a minute (dap-live.ts): the adapter's memory.
 * The program is compiled here (riscv64-unknown-elf-gcc with picolibc, as examples/ are) and recorded
 * with the Recorder to 300 million steps.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';
import { Recorder } from '../../emulator/replay/recorder';
import { ScriptedOutside } from '../../emulator/outside';
import { fmt, scratch } from './qemu';
import { floodRows } from './dap-flood';
import { liveSessionRows } from './dap-live';

const ADAPTER = join(__dirname, '..', '..', '..', 'dist', 'adapter.js');
const RECORDED_STEPS = 300_000_000;
const BACK = 100_000_000;
const SAMPLES = 15;

/** About 12 steps per round: the checkpoint call at round 10,000,000 is near step 120 million. */
const SOURCE = `#include <stdio.h>
static volatile unsigned sink;
static unsigned __attribute__((noinline)) mix(unsigned x) { return (x * 2654435761u) ^ (x >> 13); }
static void __attribute__((noinline)) checkpoint(unsigned round) { sink = round; }
int main(void)
{
    unsigned s = 1;
    for (unsigned i = 0; i < 40000000u; i++) {
        s = mix(s + i);
        if (i == 10000000u)
            checkpoint(i);
    }
    printf("%u\\n", s);
    return 0;
}
`;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e6;

function build(dir: string): string {
  const c = join(dir, 'dapbench.c');
  const elf = join(dir, 'dapbench.elf');
  writeFileSync(c, SOURCE);
  const r = spawnSync('riscv64-unknown-elf-gcc', ['-march=rv32imac', '-mabi=ilp32', '-mcmodel=medany', '-g', '-O1', '--specs=picolibc.specs',
    '--oslib=semihost', '--crt0=semihost', '-Wl,--defsym=__flash=0x80000000', '-Wl,--defsym=__flash_size=0x200000',
    '-Wl,--defsym=__ram=0x80200000', '-Wl,--defsym=__ram_size=0x200000', c, '-o', elf], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`the dap benchmark compiles its program with riscv64-unknown-elf-gcc and picolibc, which failed: ${r.error?.message ?? r.stderr}`);
  }
  return elf;
}

function record(elf: string, dir: string): string {
  const parts: Uint8Array[] = [];
  const recorder = new Recorder(readFileSync(elf), 'dapbench.elf', new ScriptedOutside(), { write: () => undefined }, (b) => parts.push(b.slice()));
  recorder.finish(recorder.run(RECORDED_STEPS));
  const path = join(dir, 'dapbench.rewind');
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

async function stopAfter(dc: DebugClient, send: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped', 600_000) as Promise<DebugProtocol.StoppedEvent>;
  await send();
  return stopped;
}

const step = async (dc: DebugClient): Promise<number> => (await dc.customRequest('rewind/info')).body.step;

function row(name: string, value: string): void {
  console.log(`${name.padEnd(60)} ${value.padStart(12)}`);
}

export async function run(): Promise<void> {
  if (!existsSync(ADAPTER)) throw new Error(`${ADAPTER} is missing: run "npm run build" first`);
  const { dir, remove } = scratch();
  const dc = new DebugClient('node', ADAPTER, 'rewind');
  try {
    const recording = record(build(dir), dir);
    dc.defaultTimeout = 600_000;
    await dc.start();
    const source = { path: join(dir, 'dapbench.c') };
    const loopLine = SOURCE.split('\n').findIndex((l) => l.includes('s = mix(s + i);')) + 1;
    await Promise.all([
      dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()),
      dc.launch({ recording, stopOnEntry: true }),
      dc.waitForEvent('stopped'),
    ]);

    // Reverse continue to a breakpoint 100 million steps back.
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'checkpoint' }] });
    await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    const checkpointStep = await step(dc);
    await stopAfter(dc, () => dc.customRequest('rewind/seek', { step: checkpointStep + BACK }));
    let started = process.hrtime.bigint();
    const back = await stopAfter(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
    const reverseMs = ms(started);
    if (back.body.reason !== 'function breakpoint' || (await step(dc)) !== checkpointStep) {
      throw new Error(`reverse continue stopped at step ${await step(dc)} (${back.body.description}), not at the checkpoint (step ${checkpointStep})`);
    }
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });

    // stepBack (statement) in the loop, from a line breakpoint in the middle of the recording.
    await stopAfter(dc, () => dc.customRequest('rewind/seek', { step: checkpointStep + BACK / 2 }));
    await dc.setBreakpointsRequest({ source, breakpoints: [{ line: loopLine }] });
    await stopAfter(dc, () => dc.continueRequest({ threadId: 1 }));
    await dc.setBreakpointsRequest({ source, breakpoints: [] });
    const stepBacks: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      started = process.hrtime.bigint();
      await stopAfter(dc, () => dc.stepBackRequest({ threadId: 1 }));
      stepBacks.push(ms(started));
    }

    // stackTrace + scopes + variables after a stop.
    const inspections: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      await stopAfter(dc, () => dc.nextRequest({ threadId: 1 }));
      started = process.hrtime.bigint();
      const frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
      const scopes = (await dc.scopesRequest({ frameId: frames[0].id })).body.scopes;
      await dc.variablesRequest({ variablesReference: scopes[0].variablesReference });
      inspections.push(ms(started));
    }

    row(`recording: ${RECORDED_STEPS.toLocaleString('en-US')} steps; checkpoint at step`, checkpointStep.toLocaleString('en-US'));
    row(`stepBack (statement) median of ${SAMPLES}, ms`, fmt(median(stepBacks)));
    row(`reverseContinue to a breakpoint ${BACK.toLocaleString('en-US')} steps back, ms`, fmt(reverseMs, 0));
    row(`stackTrace + scopes + variables after a stop, median of ${SAMPLES}, ms`, fmt(median(inspections)));
  } finally {
    await dc.stop().catch(() => undefined);
    remove();
  }
  await floodRows(row);
  await liveSessionRows(row);
}
