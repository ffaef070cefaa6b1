/**
 * The debug adapter in a long live session (issue 20), for section "dap": bench/idle/idle.elf (a
 * program that idles forever, writing no memory) run live over DAP for a minute: the adapter process's
 * resident memory every 15 seconds and at its peak, and the size of the recording it writes as it goes.
 * An idle session must settle, not grow with the time it is left open.
 */
import { join } from 'node:path';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { DebugProtocol } from '@vscode/debugprotocol';
import { RawAdapter } from '../../test/adapter/raw-client';

const IDLE = join(__dirname, '..', '..', '..', 'bench', 'idle', 'idle.elf');
const SECONDS = 60;
const EVERY = 15;

export async function liveSessionRows(row: (name: string, value: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-live-'));
  const recording = join(dir, 'idle.rewind');
  const adapter = new RawAdapter();
  try {
    await adapter.request('initialize', { adapterID: 'rewind', pathFormat: 'path' });
    adapter.send('launch', { program: IDLE, recordingPath: recording });
    await adapter.waitFor((m) => (m as DebugProtocol.Event).event === 'initialized', 60_000, 'initialized');
    adapter.send('configurationDone');
    const samples: string[] = [];
    for (let t = EVERY; t <= SECONDS; t += EVERY) {
      await new Promise((resolve) => setTimeout(resolve, EVERY * 1000));
      samples.push(adapter.memoryMiB().toFixed(0));
    }
    const size = existsSync(recording) ? statSync(recording).size : 0;
    row(`idle live session, adapter RSS every ${EVERY} s to ${SECONDS} s, MiB`, samples.join(' '));
    row(`idle live session: adapter peak RSS, MiB; recording after ${SECONDS} s, bytes`, `${adapter.peakMemoryMiB().toFixed(0)}; ${size.toLocaleString('en-US')}`);
  } finally {
    await adapter.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
