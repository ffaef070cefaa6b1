/**
 * The end of `rewind run`, `record` and `replay`, which have written everything and left nothing running
 * (cli/main.ts). Node's exit (process.exit, or the natural end) first disposes its platform, which
 * joins V8's worker threads, each finishing the job it is on: an optimizing compile of the block
 * interpreter (`runBlock`, ~90M instructions) marked late in a short program's run is then waited for
 * to its end, for code that will never run. examples/hello (18.5K steps) had one running at its exit in
 * every run (wall time from the 'exit' event to the process's end on the loaded 2-core machine: ~85-130
 * ms, against ~10-35 with `--no-opt`).
 *
 * WASI's `proc_exit` (node:wasi with `returnOnExit: false`) ends the process with the C library's
 * `exit`: the 'exit' listeners have run (this one is the last), atexit handlers run (Node's resets the
 * terminal), and the worker threads end with the process, mid-job, without being joined. It is used
 * only when a worker thread is running (loading node:wasi costs ~1 ms; every exit through it without the
 * look cost rvtest, where nothing runs at its end, +2.1 ms of CPU and +127 page faults, session 18), on
 * Linux (the threads' states come from /proc), and never in a process that started a thread of its own (an index writer: a Node
 * Worker, which Node's exit stops in order). Anything unexpected leaves the exit to Node.
 */
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { writerThreadStarted } from '../emulator/replay/background-writes';
import { nodeBuiltin } from '../emulator/replay/node-builtin';

/** Ends the process with status `code`, without waiting for V8's compiles still running. */
export function exitAtOnce(code: number): never {
  if (!writerThreadStarted() && workerThreadRunning()) process.on('exit', exitThroughWasi);
  process.exit(code);
}

/**
 * True when a thread other than this one is running (V8's workers sleep between jobs). Read with
 * openSync and readSync, which the bundle's start has run (cli/cached-bundle.ts), into one buffer:
 * readFileSync, run cold for the first time here, made this look 1.3-3 ms of CPU against ~0.4-0.8.
 */
function workerThreadRunning(): boolean {
  try {
    const stat = Buffer.allocUnsafeSlow(512);
    for (const task of readdirSync('/proc/self/task')) {
      if (Number(task) === process.pid) continue;
      const fd = openSync(`/proc/self/task/${task}/stat`, 'r');
      let length = 0;
      try {
        length = readSync(fd, stat, 0, stat.length, 0);
      } finally {
        closeSync(fd);
      }
      // The state follows the command's name, which is in parentheses.
      const text = stat.toString('latin1', 0, length);
      if (text.charAt(text.lastIndexOf(')') + 2) === 'R') return true;
    }
  } catch {
    // No /proc (not Linux), or a thread gone meanwhile: Node's exit.
  }
  return false;
}

/** The last 'exit' listener: exits with `status` through WASI's proc_exit (returns only if it cannot). */
export function exitThroughWasi(status: number): void {
  try {
    const wasiModule = nodeBuiltin<typeof import('node:wasi')>('node:wasi');
    if (wasiModule === undefined) return;
    const wasi = new wasiModule.WASI({ version: 'preview1', returnOnExit: false });
    const module = new WebAssembly.Module(procExitModule(status & 0xff));
    wasi.start(new WebAssembly.Instance(module, wasi.getImportObject() as ConstructorParameters<typeof WebAssembly.Instance>[1]));
  } catch {
    // No WASI here, or not as in Node 20: Node's exit.
  }
}

const text = (s: string): number[] => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];

/**
 * A module whose `_start` calls WASI's proc_exit with `status` (0-255); it exports the empty memory that
 * WASI's start asks for.
 */
function procExitModule(status: number): Uint8Array {
  const value = status < 64 ? [status] : [(status & 0x7f) | 0x80, status >> 7]; // signed LEB128
  const body = [0, 0x41, ...value, 0x10, 0, 0x0b]; // no locals; i32.const status; call 0; end
  const imports = [1, ...text('wasi_snapshot_preview1'), ...text('proc_exit'), 0, 0];
  const exports = [2, ...text('memory'), 2, 0, ...text('_start'), 0, 1];
  const section = (id: number, content: number[]): number[] => [id, content.length, ...content];
  return Uint8Array.from([
    0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, [2, 0x60, 1, 0x7f, 0, 0x60, 0, 0]), // types: (i32) -> (), () -> ()
    ...section(2, imports),
    ...section(3, [1, 1]), // _start has type 1
    ...section(5, [1, 0, 0]), // one memory of no pages
    ...section(7, exports),
    ...section(10, [1, body.length, ...body]),
  ]);
}
