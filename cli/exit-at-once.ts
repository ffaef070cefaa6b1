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

/**
 * The last 'exit' listener: exits with `status` through WASI's proc_exit (returns only if it cannot).
 * proc_exit is called from here, not from a module's `_start`: WASI asks only that a memory be set
 * (`initialize` with a memory of no pages, never read). Compiling and instantiating a module that
 * imports it took 1.6-10 ms of the exit (hello, load ~9, medians of 12).
 */
export function exitThroughWasi(status: number): void {
  try {
    const wasiModule = nodeBuiltin<typeof import('node:wasi')>('node:wasi');
    if (wasiModule === undefined) return;
    const wasi = new wasiModule.WASI({ version: 'preview1', returnOnExit: false });
    wasi.initialize({ exports: { memory: new WebAssembly.Memory({ initial: 0, maximum: 0 }) } } as unknown as WebAssembly.Instance);
    (wasi.wasiImport as { proc_exit(code: number): void }).proc_exit(status & 0xff);
  } catch {
    // No WASI here, or not as in Node 20: Node's exit.
  }
}
