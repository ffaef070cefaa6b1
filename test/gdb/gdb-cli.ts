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
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`rewind gdb did not start serving: ${err}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
