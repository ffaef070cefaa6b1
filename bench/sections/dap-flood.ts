/**
 * The debug adapter under an output flood (issue 20), for section "dap": a live session of a program that
 * prints 1 MiB and 16 MiB of 64-byte lines (bench/flood/), driven over DAP: output events, wall time and
 * the adapter process's peak memory (VmHWM); and how long `pause` takes to be answered, and to stop, while
 * a program prints one endless line (median of 5).
 */
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { DebugProtocol } from '@vscode/debugprotocol';
import { RawAdapter } from '../../test/adapter/raw-client';

const FLOOD = join(__dirname, '..', '..', '..', 'bench', 'flood');
const PAUSES = 5;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function launched(program: string, dir: string, stopOnEntry = false): Promise<RawAdapter> {
  const adapter = new RawAdapter();
  await adapter.request('initialize', { adapterID: 'rewind', pathFormat: 'path' });
  adapter.send('launch', { program: join(FLOOD, program), recordingPath: join(dir, `${program}.rewind`), stopOnEntry });
  await adapter.waitFor((m) => (m as DebugProtocol.Event).event === 'initialized', 60_000, 'initialized');
  adapter.send('configurationDone');
  return adapter;
}

/** Events, bytes, seconds and peak MiB for a live session of a flood program run to its end. */
async function flood(program: string, dir: string): Promise<{ events: number; bytes: number; seconds: number; peak: number }> {
  const started = Date.now();
  const adapter = await launched(program, dir);
  try {
    await adapter.waitFor((m) => (m as DebugProtocol.Event).event === 'stopped', 600_000, 'the end of the flood');
    const output = adapter.events('output').filter((e) => (e.body as DebugProtocol.OutputEvent['body']).category === 'stdout');
    const bytes = output.reduce((n, e) => n + (e.body as DebugProtocol.OutputEvent['body']).output.length, 0);
    return { events: output.length, bytes, seconds: (Date.now() - started) / 1000, peak: adapter.peakMemoryMiB() };
  } finally {
    await adapter.stop();
  }
}

/** Milliseconds from `pause` to its response and to the stop, while the program prints without end. */
async function pauses(dir: string): Promise<{ answered: number; stopped: number; peak: number }> {
  const adapter = await launched('flood-endless.elf', dir, true);
  const answered: number[] = [];
  const stopped: number[] = [];
  try {
    await adapter.waitFor((m) => (m as DebugProtocol.Event).event === 'stopped', 60_000, 'the entry');
    for (let i = 0; i < PAUSES; i++) {
      const from = adapter.messages.length;
      await adapter.request('continue', { threadId: 1 });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const t0 = performance.now();
      const seq = adapter.send('pause', { threadId: 1 });
      await adapter.waitFor((m) => m.type === 'response' && (m as DebugProtocol.Response).request_seq === seq, 60_000, 'the pause answer', from);
      answered.push(performance.now() - t0);
      await adapter.waitFor((m) => (m as DebugProtocol.Event).event === 'stopped', 60_000, 'the pause', from);
      stopped.push(performance.now() - t0);
    }
    return { answered: median(answered), stopped: median(stopped), peak: adapter.peakMemoryMiB() };
  } finally {
    await adapter.stop();
  }
}

export async function floodRows(row: (name: string, value: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-flood-'));
  try {
    for (const [program, size] of [['flood-1m.elf', '1 MiB'], ['flood-16m.elf', '16 MiB']]) {
      const f = await flood(program, dir);
      row(`live flood of ${size} in 64-byte lines: stdout events (bytes arrived)`, `${f.events} (${f.bytes.toLocaleString('en-US')})`);
      row(`live flood of ${size}: seconds to the end; adapter peak RSS, MiB`, `${f.seconds.toFixed(1)}; ${f.peak.toFixed(0)}`);
    }
    const p = await pauses(dir);
    row(`pause during an endless one-line flood, median of ${PAUSES}: answered / stopped, ms`, `${p.answered.toFixed(0)} / ${p.stopped.toFixed(0)}`);
    row('endless flood with 5 pauses: adapter peak RSS, MiB', p.peak.toFixed(0));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
