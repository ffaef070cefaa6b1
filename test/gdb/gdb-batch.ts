/**
 * Runs the real gdb-multiarch in batch mode (`-batch -nx`) against a remote target, with a list of
 * commands, and returns everything it printed. Asynchronous on purpose: the stub under test runs in
 * this same process and must keep answering while gdb runs.
 */
import { spawn } from 'node:child_process';
import { requireTool } from '../support/toolchain';

export async function runGdb(elf: string, port: number, commands: string[], timeoutMs = 120_000): Promise<string> {
  requireTool('gdb-multiarch');
  // gdb waits 2 s for a reply by default; on a loaded machine QEMU's first reply came later, gdb read it
  // as the reply to its next packet ("Remote replied unexpectedly to 'vMustReplyEmpty'") and gave up the
  // connection, so every later command printed nothing to compare. The runs' own timeout bounds the wait.
  const args = ['-batch', '-nx', '-ex', 'set architecture riscv:rv32', '-ex', 'set pagination off', '-ex', 'set confirm off',
    '-ex', 'set remotetimeout 60', '-ex', `file ${elf}`, '-ex', `target remote 127.0.0.1:${port}`];
  for (const c of commands) args.push('-ex', c);
  return new Promise((resolve, reject) => {
    // One stream for both, joined by the shell, so that console output (gdb writes some of it to stderr)
    // stays in order with the command output around it.
    const child = spawn('sh', ['-c', 'exec gdb-multiarch "$@" 2>&1', 'sh', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gdb-multiarch did not finish within ${timeoutMs} ms; it printed:\n${out}`));
    }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', () => { clearTimeout(timer); resolve(out); });
  });
}

/** The value gdb printed for register `name` in `info registers` output (the last one printed). */
export function registerValue(output: string, name: string): number {
  const matches = [...output.matchAll(new RegExp(`^${name}\\s+0x([0-9a-f]+)`, 'gm'))];
  if (matches.length === 0) throw new Error(`gdb printed no value for register ${name}:\n${output}`);
  return parseInt(matches[matches.length - 1][1], 16);
}

/** Splits gdb's output at marker lines printed with `echo`, so each command's output can be checked alone. */
export function sections(output: string): Map<string, string> {
  const map = new Map<string, string>();
  const parts = output.split(/^=== (\S+)$/m);
  for (let i = 1; i < parts.length; i += 2) map.set(parts[i], parts[i + 1] ?? '');
  return map;
}

export const mark = (name: string): string => `echo === ${name}\\n`;
