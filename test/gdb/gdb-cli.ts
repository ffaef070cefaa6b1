/** Runs the built `rewind gdb` command as a user does, for the tests of the CLI's stub. */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** The built CLI's entry (out/cli/main.js). */
export const GDB_CLI = join(__dirname, '..', '..', 'cli', 'main.js');

export interface RunningStub { child: ChildProcess; port: number; stdout: () => string; stderr: () => string }

/**
 * Starts `rewind gdb ARGS --port 0` and waits for the port it says it serves on. `stdin: 'pipe'` gives
 * it a standard input the test can type into (a live session's input).
 */
export async function startGdbCli(args: string[], stdin: 'ignore' | 'pipe' = 'ignore'): Promise<RunningStub> {
  const child = spawn(process.execPath, [GDB_CLI, 'gdb', ...args, '--port', '0'], { stdio: [stdin, 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { err += d; });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const m = / on 127\.0\.0\.1:(\d+)\n/.exec(err);
    if (m) return { child, port: Number(m[1]), stdout: () => out, stderr: () => err };
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`rewind gdb did not start serving: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Ends the stub with SIGTERM and returns its exit status (null once killed): SIGKILL after `graceMs`,
 * so that a stub that ignores SIGTERM fails the test instead of hanging it. A stub already gone answers at
 * once (waiting for its 'exit' then would never end).
 */
export function stopGdbCli(r: RunningStub, graceMs = 30_000): Promise<number | null> {
  if (r.child.exitCode !== null || r.child.signalCode !== null) return Promise.resolve(r.child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => r.child.kill('SIGKILL'), graceMs);
    r.child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    r.child.kill('SIGTERM');
  });
}

/** For a test's `finally`: a stub left running (the test failed before it stopped it) would outlive the test. */
export function killGdbCli(r: RunningStub | undefined): void {
  if (r && r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
}
