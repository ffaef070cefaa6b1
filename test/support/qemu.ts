/**
 * Running the same ELF on qemu-system-riscv32 (the `virt` board, no firmware), for the differential
 * tests: its console output and exit status, and per-instruction traces (`-singlestep -d nochain,exec`,
 * with `cpu` a register dump before every instruction).
 *
 * Console wiring (see examples/README.md for why): the UART goes to a file chardev,
 * semihosting output to QEMU's stderr, and stdin stays free for the guest's semihosting reads of ":tt"
 * (QEMU 7.2's SYS_READC is broken, and anything else reading stdin would steal the input).
 * Always `-icount shift=0`: one instruction is one nanosecond of virtual time, so the 10 MHz `mtime`
 * ticks once per 100 instructions, the clock Rewind derives from its step count.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { requireTool, scratchDir } from './toolchain';

export interface QemuRun {
  /** UART output, then semihosting output (each program uses one of them). */
  output: string;
  status: number | null;
  timedOut: boolean;
}

/**
 * `-icount shift=0,sleep=off`: with the default `sleep=on` QEMU's virtual clock also follows the host
 * clock (three runs of one program read mtime 0x1a81, 0xa46, 0xa31 after the same 40,000
 * instructions); with `sleep=off` it is the instruction count exactly, and a `wfi` jumps to the next
 * timer deadline at once.
 */
export function qemuArgs(elf: string, uartFile?: string): string[] {
  return ['-M', 'virt', '-bios', 'none', '-display', 'none', '-monitor', 'none',
    '-serial', uartFile === undefined ? 'none' : `file:${uartFile}`,
    '-semihosting-config', 'enable=on,target=native', '-icount', 'shift=0,sleep=off', '-kernel', elf];
}

let runs = 0;

/** Runs `elf` to its end (or `timeoutMs`) with `input` on its stdin; returns what it printed and its exit status. */
export function runOnQemu(elf: string, input = '', timeoutMs = 30_000): QemuRun {
  requireTool('qemu-system-riscv32');
  // A file, not /dev/stdout: Node's child stdout is a socket, which QEMU's file chardev cannot open.
  const uartFile = join(scratchDir(), `uart-${process.pid}-${runs++}.txt`);
  try {
    const r = spawnSync('qemu-system-riscv32', qemuArgs(elf, uartFile), { input, timeout: timeoutMs, encoding: 'utf8', maxBuffer: 64 << 20 });
    const timedOut = r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
    const uart = existsSync(uartFile) ? readFileSync(uartFile, 'utf8') : '';
    return { output: uart + (r.stderr ?? ''), status: r.status, timedOut };
  } finally {
    rmSync(uartFile, { force: true });
  }
}

/** The machine state QEMU prints before an instruction runs. */
export interface TraceRecord {
  pc: number;
  /** x0..x31. */
  x: Uint32Array;
  /** The machine-mode CSRs of the dump that Rewind models, by name (mstatus, mie, mip, mtvec, ...). */
  csr: Record<TracedCsr, number>;
}

export const TRACED_CSRS = ['mstatus', 'mip', 'mie', 'mtvec', 'mepc', 'mcause', 'mtval', 'mscratch'] as const;
export type TracedCsr = typeof TRACED_CSRS[number];

export interface QemuTrace<T> {
  trace: T;
  /**
   * Instructions QEMU ran before the first one at `startPc` (its reset ROM: 6). Under `-icount` they
   * count in QEMU's clock, so they matter wherever the guest reads the time.
   */
  before: number;
}

/**
 * Runs `elf` on QEMU with a register dump before every instruction and returns the first `count`
 * records from the first one at `startPc` on (QEMU begins in its reset ROM at 0x1000, which jumps to the
 * ELF's entry). The log streams through a named pipe and QEMU is stopped once enough has arrived, so
 * nothing large touches the disk.
 */
export async function qemuTrace(elf: string, startPc: number, count: number, input = ''): Promise<QemuTrace<TraceRecord[]>> {
  const records: TraceRecord[] = [];
  const parser = new DumpParser(startPc, count, records);
  const stderr = await streamLog(elf, ['nochain,exec,cpu'], input, (line) => parser.line(line));
  if (records.length === 0) throw new Error(`QEMU's trace of ${elf} never reached pc 0x${startPc.toString(16)}: ${stderr.trim() || 'no message'}`);
  return { trace: records, before: parser.before };
}

/**
 * Runs `elf` on QEMU to its end (or until `maxCount` instructions) and returns the pc of every
 * instruction from the first one at `startPc` on: a light trace (about 70 bytes of log per instruction
 * against 1,200 with registers) for checking where interrupts land over a whole run.
 */
export async function qemuPcTrace(elf: string, startPc: number, maxCount: number, input = ''): Promise<QemuTrace<Uint32Array>> {
  const pcs = new Uint32Array(maxCount);
  let n = 0;
  let before = 0;
  let started = false;
  const stderr = await streamLog(elf, ['nochain,exec'], input, (line) => {
    // "Trace 0: 0x7f... [00000000/80000000/00109003/ff020201] "
    if (!line.startsWith('Trace ')) return true;
    const open = line.indexOf('[');
    const pc = parseInt(line.slice(open + 10, open + 18), 16);
    if (pc === startPc) started = true;
    if (started) pcs[n++] = pc;
    else before++;
    return n < maxCount;
  });
  if (n === 0) throw new Error(`QEMU's trace of ${elf} never reached pc 0x${startPc.toString(16)}: ${stderr.trim() || 'no message'}`);
  return { trace: pcs.subarray(0, n), before };
}

/** Feeds QEMU's `-d` log to `onLine` line by line until it returns false or QEMU ends. */
/** Returns the start of QEMU's stderr (for a message when the trace is empty). */
async function streamLog(elf: string, debug: string[], input: string, onLine: (line: string) => boolean): Promise<string> {
  requireTool('qemu-system-riscv32');
  const fifo = join(scratchDir(), `trace-${process.pid}-${Date.now()}.fifo`);
  const made = spawnSync('mkfifo', [fifo]);
  if (made.status !== 0) throw new Error(`cannot make a named pipe for QEMU's trace at ${fifo}: ${made.stderr}`);
  const child = spawn('qemu-system-riscv32', [...qemuArgs(elf), '-singlestep', '-d', debug.join(','), '-D', fifo],
    { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { if (stderr.length < 4096) stderr += d.toString(); });
  child.stdin.on('error', () => undefined);
  child.stdin.end(input);
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const stream = createReadStream(fifo, { encoding: 'latin1', highWaterMark: 1 << 20 });
  let rest = '';
  let wanted = true;
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const text = rest + chunk;
      let start = 0;
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
        wanted = onLine(text.slice(start, end));
        start = end + 1;
        if (!wanted) break;
      }
      if (!wanted) break;
      rest = text.slice(start);
    }
  } finally {
    stream.destroy();
    child.kill('SIGKILL');
    await exited;
    rmSync(fifo, { force: true });
  }
  return stderr;
}

/** Parses `-d cpu` dumps: a record is complete at its last register line (x28..x31). */
class DumpParser {
  private pc = -1;
  private x = new Uint32Array(32);
  private csr = {} as Record<TracedCsr, number>;
  private started = false;
  before = 0;

  constructor(private readonly startPc: number, private readonly count: number, private readonly records: TraceRecord[]) {}

  line(line: string): boolean {
    if (line.startsWith(' x')) {
      // " x0/zero  00000000 x1/ra    00000000 x2/sp    00000000 x3/gp    00000000": four per line.
      for (const m of line.matchAll(/x(\d+)\/\S+\s+([0-9a-f]{8})/g)) this.x[Number(m[1])] = parseInt(m[2], 16);
      return line.startsWith(' x28') ? this.complete() : true;
    }
    const m = /^ (\w+)\s+([0-9a-f]{8})$/.exec(line);
    if (m) {
      if (m[1] === 'pc') this.pc = parseInt(m[2], 16);
      else if ((TRACED_CSRS as readonly string[]).includes(m[1])) this.csr[m[1] as TracedCsr] = parseInt(m[2], 16);
    }
    return true;
  }

  private complete(): boolean {
    if (this.pc === this.startPc) this.started = true;
    if (this.started) this.records.push({ pc: this.pc, x: this.x.slice(), csr: { ...this.csr } });
    else this.before++;
    return this.records.length < this.count;
  }
}

export function qemuVersion(): string {
  return spawnSync('qemu-system-riscv32', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
}
