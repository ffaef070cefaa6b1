/** qemu-system-riscv32 as the benchmark runs it: plain TCG, `-icount`, and record/replay. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type QemuMode = 'plain' | 'icount' | 'rr=record' | 'rr=replay';

export interface QemuTiming { seconds: number; output: string; ok: boolean; message: string }

export function qemuAvailable(): boolean {
  return spawnSync('qemu-system-riscv32', ['--version']).status === 0;
}

/**
 * Runs `elf` to its end in `mode`; `rrfile` is the record/replay log (the record run writes it, the
 * replay run reads it). Wall time of the whole process: start-up is the caller's to subtract.
 */
export function runQemu(elf: string, mode: QemuMode, rrfile = ''): QemuTiming {
  // Semihosting for the programs linked with picolibc (console, clock, command line, exit); QEMU prints
  // their output on its stderr, the UART programs' on stdout.
  const args = ['-M', 'virt', '-bios', 'none', '-nographic', '-monitor', 'none', '-serial', 'stdio',
    '-semihosting-config', 'enable=on,target=native', '-kernel', elf];
  if (mode === 'icount') args.push('-icount', 'shift=0');
  if (mode === 'rr=record' || mode === 'rr=replay') args.push('-icount', `shift=0,${mode},rrfile=${rrfile}`);
  const started = process.hrtime.bigint();
  const r = spawnSync('qemu-system-riscv32', args, { encoding: 'utf8', timeout: 300_000 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const ok = !r.error && r.status === 0;
  const message = r.error ? r.error.message : ok ? '' : `exit status ${r.status}: ${(r.stderr ?? '').trim().split('\n')[0]}`;
  return { seconds, output: (r.stdout ?? '') + (ok ? r.stderr ?? '' : ''), ok, message };
}

/** A fresh directory for QEMU's record/replay logs; remove it with `rmSync(dir, { recursive: true })`. */
export function scratch(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-bench-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The output without the lines that report QEMU's clock: its semihosting clocks are the host's
 * (SYS_CLOCK its CPU time, SYS_ELAPSED and SYS_TIME its wall time, even with -icount), so a program that
 * times itself (bench/core.c, as CoreMark) prints other figures, and iterates as often as its
 * calibration says, on every run. Rewind's clocks follow the step count.
 */
export function withoutClockLines(output: string): string {
  return output.replace(/^(Total ticks|Total time \(secs\)|Elapsed \(gettimeofday\)|Iterations\/Sec|Iterations|\[0\]crcfinal)(?=[ :]).*$/gm, '$1 …');
}

/**
 * Programs that steer by the semihosting clock (bench/core.c calibrates its iteration count with
 * clock()): QEMU does not record its semihosting clocks (host time), so its replay takes another path
 * and never ends. Rewind records and replays them exactly; QEMU's record/replay columns say n/a (the
 * command section still times QEMU's record of them, which ends).
 */
export const CLOCK_READERS = new Set(['core.elf']);

export const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '—');
