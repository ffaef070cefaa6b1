/**
 * Running the same ELF on qemu-system-riscv32 (the `virt` board, no firmware), for the differential
 * tests: its console output and exit status, and a per-instruction register trace
 * (`-singlestep -d nochain,exec,cpu`, one register dump before every instruction).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { requireTool, scratchDir } from './toolchain';

export interface QemuRun {
  output: string;
  status: number | null;
  timedOut: boolean;
}

function baseArgs(elf: string): string[] {
  return ['-M', 'virt', '-bios', 'none', '-nographic', '-monitor', 'none', '-serial', 'stdio',
    '-semihosting-config', 'enable=on,target=native', '-icount', 'shift=0', '-kernel', elf];
}

/** Runs `elf` to its end (or `timeoutMs`) and returns what it printed and its exit status. */
export function runOnQemu(elf: string, timeoutMs = 20_000, input = ''): QemuRun {
  requireTool('qemu-system-riscv32');
  const r = spawnSync('qemu-system-riscv32', baseArgs(elf), { input, timeout: timeoutMs, encoding: 'utf8', maxBuffer: 64 << 20 });
  const timedOut = r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
  return { output: r.stdout ?? '', status: r.status, timedOut };
}

export interface TraceRecord {
  pc: number;
  /** x0..x31 before the instruction at `pc` executes. */
  x: number[];
}

/**
 * The first `count` instruction records of `elf` on QEMU, from the first record at `startPc` on (QEMU
 * begins in its reset ROM at 0x1000, which jumps to the ELF's entry).
 */
export async function qemuTrace(elf: string, startPc: number, count: number): Promise<TraceRecord[]> {
  requireTool('qemu-system-riscv32');
  const log = join(scratchDir(), `trace-${process.pid}-${Date.now()}.log`);
  const child = spawn('qemu-system-riscv32', [...baseArgs(elf), '-singlestep', '-d', 'nochain,exec,cpu', '-D', log],
    { stdio: ['pipe', 'ignore', 'ignore'] });
  child.stdin.end();
  // The trace is written as QEMU runs; stop it once the log is long enough (or after a generous time).
  const records: TraceRecord[] = [];
  try {
    await waitForTraceLength(log, count, child);
    child.kill('SIGKILL');
    await parseTrace(log, startPc, count, records);
  } finally {
    child.kill('SIGKILL');
    rmSync(log, { force: true });
  }
  return records;
}

// Each record (one instruction) takes a little over 2 KB of log text.
const BYTES_PER_RECORD = 2600;

async function waitForTraceLength(log: string, count: number, child: ReturnType<typeof spawn>): Promise<void> {
  const deadline = Date.now() + 120_000;
  let exited = false;
  child.on('exit', () => { exited = true; });
  while (!exited && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const size = existsSync(log) ? statSync(log).size : 0;
    if (size > (count + 100) * BYTES_PER_RECORD) return;
  }
}

async function parseTrace(log: string, startPc: number, count: number, records: TraceRecord[]): Promise<void> {
  let stream;
  try {
    stream = createReadStream(log, { encoding: 'utf8' });
  } catch {
    return;
  }
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let pc = -1;
  let x: number[] = [];
  let started = false;
  try {
    for await (const line of lines) {
      if (line.startsWith(' pc ')) {
        pc = parseInt(line.slice(4).trim(), 16);
        x = [];
      } else if (line.startsWith(' x')) {
        for (const m of line.matchAll(/x(\d+)\/\S+\s+([0-9a-f]{8})/g)) x[Number(m[1])] = parseInt(m[2], 16);
        if (x.length === 32 && x[31] !== undefined) {
          if (pc === startPc) started = true;
          if (started) records.push({ pc, x });
          if (records.length >= count) break;
        }
      }
    }
  } catch {
    // The file may not exist yet.
  } finally {
    lines.close();
    stream.destroy();
  }
}

export function qemuVersion(): string {
  return spawnSync('qemu-system-riscv32', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
}
