/**
 * File writes made by a worker thread. The recorder's snapshot index puts the RAM pages written in each
 * checkpoint interval in its file (long.elf: 256 KiB every 16 million steps, 19 MiB in all); the write
 * system calls, the kernel copying those bytes into the page cache, took ~5% of the recording's time
 * on the thread that runs the guest. Here that thread only copies the bytes into a ring shared with a
 * worker, which writes them at their place in the file; `flush` waits until every byte is written.
 *
 * The thread that runs the guest never waits for the worker while it writes: bytes that find no room
 * in the ring (the worker is still starting, or a piece is larger than half the ring) are written at
 * once, at their own place in the file, as before. A file's first `START_BYTES` are written at once too
 * (unless a worker is idle), so a small index never starts a thread; one worker serves every writer of
 * the process in turn. The
 * worker looks for bytes every few milliseconds while they come, and sleeps (until a message) once none
 * came for a second or its file is done.
 *
 * The ring holds records, each a 16-byte head (length, file position low and high words) and the bytes,
 * padded to 16; a length of -1 sends the reader back to the start of the ring.
 */
import { writeSync } from 'node:fs';
import type { MessagePort, Worker } from 'node:worker_threads';

/**
 * node:worker_threads, loaded when the first worker starts: loading it costs ~1.5 ms, which every
 * `rewind run` and every short recording (whose index never needs a worker) would pay at start.
 */
let threads: typeof import('node:worker_threads') | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const workerThreads = (): typeof import('node:worker_threads') => (threads ??= require('node:worker_threads') as typeof import('node:worker_threads'));

/** True once this process has loaded worker_threads for a writer (cli/exit-at-once.ts leaves such a process to Node's own exit, which stops its Workers in order). */
export function writerThreadStarted(): boolean {
  return threads !== undefined;
}

/** Bytes of a file written at once before a worker is used. */
export const START_BYTES = 1 << 20;
const RING_BYTES = 4 << 20;
const HEAD_BYTES = 16;
/**
 * While it has a file, the worker looks for new bytes this often (see `startWriting` for why it is not
 * woken). Each look costs this machine's kernel tens of µs (a futex wait with a timer in a small VM): at
 * 2 ms the worker took ~21 ms of CPU in a recording of long.elf (~190 ms), at 8 ms ~14; the ring (4 MiB)
 * holds what long.elf's index writes in ~80 ms, and `flush` wakes the worker at once.
 */
const POLL_MS = 8;
/** A worker that found nothing to write for this long sleeps until a message wakes it (a program waiting for input). */
const IDLE_MS = 1000;
/** Waiting for a worker that writes nothing for this long gives up (it died). */
const STALL_MS = 60_000;

/** The control words shared with the worker (an Int32Array's indices). */
const enum Slot { Head, Tail, State, Fd, Failed, Asleep }
/** The worker's life: starting (it may be overtaken), running, or overtaken before it ran. */
const enum State { Starting, Running, Overtaken }
const SLOTS = { head: Slot.Head, tail: Slot.Tail, state: Slot.State, fd: Slot.Fd, failed: Slot.Failed, asleep: Slot.Asleep, starting: State.Starting, running: State.Running, pollMs: POLL_MS, idlePolls: IDLE_MS / POLL_MS };

/** A worker with its ring. */
interface Lane {
  readonly worker: Worker;
  readonly control: Int32Array;
  readonly ring: Uint8Array;
  readonly words: Int32Array;
  readonly errors: MessagePort;
  /** Where the next record goes (the worker's `Head` after the last publish). */
  head: number;
}

/** Workers whose last file is flushed, ready for the next. */
const idle: Lane[] = [];

export class BackgroundWrites {
  /** Bytes appended so far: the file position of the next. */
  private position = 0;
  private lane?: Lane;
  /** No worker could be started: everything is written at once. */
  private withoutWorker = false;

  /** `startBytes`: how much of the file is written at once before a worker is used. */
  constructor(private readonly fd: number, private readonly startBytes = START_BYTES) {}

  /** Writes `bytes` after those before (copied or written before this returns: they may change after). */
  append(bytes: Uint8Array): void {
    const position = this.position;
    this.position += bytes.length;
    // A worker already started (an earlier file's, idle now) takes the start of the file too.
    if ((position >= this.startBytes || this.lane !== undefined || idle.length > 0) && this.queue(bytes, position)) return;
    writeAt(this.fd, bytes, position);
  }

  /** Waits until every byte appended is in the file; throws when the worker could not write one. */
  flush(): void {
    const lane = this.lane;
    if (!lane) return;
    this.lane = undefined;
    const { control } = lane;
    if (Atomics.compareExchange(control, Slot.State, State.Starting, State.Overtaken) === State.Starting) {
      // The worker has not started yet (and now never writes): this thread writes what is in the ring.
      void lane.worker.terminate();
      drain(lane, (length, at, position) => writeAt(this.fd, lane.ring.subarray(at, at + length), position));
      return;
    }
    wake(lane);
    // This thread waits for the worker now anyway: the worker, waiting up to `POLL_MS` for bytes, is told at once.
    Atomics.notify(control, Slot.Head);
    let tail = Atomics.load(control, Slot.Tail);
    let since = Date.now();
    while (tail !== lane.head) {
      if (Atomics.wait(control, Slot.Tail, tail, 1000) === 'timed-out' && Date.now() - since > STALL_MS) {
        void lane.worker.terminate();
        throw new Error(`the index writer stopped (nothing written for ${STALL_MS / 1000} s)`);
      }
      const now = Atomics.load(control, Slot.Tail);
      if (now !== tail) since = Date.now();
      tail = now;
    }
    Atomics.store(control, Slot.Fd, -1);
    const failed = Atomics.load(control, Slot.Failed) !== 0;
    const message = failed ? (workerThreads().receiveMessageOnPort(lane.errors)?.message as string | undefined) : undefined;
    Atomics.store(control, Slot.Failed, 0);
    idle.push(lane);
    if (failed) throw new Error(message ?? 'writing the index failed');
  }

  /**
   * True while this writer's worker sleeps until a message (it found nothing to write for `IDLE_MS`);
   * false while it looks for bytes or has not started; undefined with no worker (bytes written at once).
   * Tests wait for it, so that bytes appended after it are known to find the worker asleep.
   */
  workerAsleep(): boolean | undefined {
    return this.lane === undefined ? undefined : Atomics.load(this.lane.control, Slot.Asleep) === 1;
  }

  /** Puts `bytes` in the ring for the worker; false when they do not fit now. */
  private queue(bytes: Uint8Array, position: number): boolean {
    const lane = this.lane ??= this.withoutWorker ? undefined : startWriting(this.fd);
    if (!lane) {
      this.withoutWorker = true;
      return false;
    }
    const size = lane.ring.length;
    const need = HEAD_BYTES + ((bytes.length + 15) & ~15);
    if (need > size / 2) return false;
    let head = lane.head;
    const at = head & (size - 1);
    const wrap = size - at < need ? size - at : 0;
    const waiting = (head - Atomics.load(lane.control, Slot.Tail)) >>> 0;
    if (waiting + wrap + need > size) return false;
    if (wrap) {
      lane.words[at >> 2] = -1;
      head = (head + wrap) | 0;
    }
    const start = head & (size - 1);
    lane.words[start >> 2] = bytes.length;
    lane.words[(start >> 2) + 1] = position % 2 ** 32;
    lane.words[(start >> 2) + 2] = Math.floor(position / 2 ** 32);
    lane.ring.set(bytes, start + HEAD_BYTES);
    lane.head = (head + need) | 0;
    Atomics.store(lane.control, Slot.Head, lane.head);
    wake(lane);
    return true;
  }
}

/** Writes all of `bytes` at `position` of the file. */
function writeAt(fd: number, bytes: Uint8Array, position: number): void {
  for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
}

/** Every record between the worker's tail and `lane.head`, in order. */
function drain(lane: Lane, write: (length: number, at: number, position: number) => void): void {
  const size = lane.ring.length;
  for (let tail = Atomics.load(lane.control, Slot.Tail); tail !== lane.head;) {
    const at = tail & (size - 1);
    const length = lane.words[at >> 2];
    if (length < 0) { tail = (tail + size - at) | 0; continue; }
    write(length, at + HEAD_BYTES, (lane.words[(at >> 2) + 1] >>> 0) + lane.words[(at >> 2) + 2] * 2 ** 32);
    tail = (tail + HEAD_BYTES + ((length + 15) & ~15)) | 0;
  }
}

/**
 * An idle worker, or a new one, set to write to `fd`. It is woken by a message (cheap to send), not by
 * Atomics.notify: that takes a lock the worker holds now and then, and on a busy machine the thread
 * that runs the guest waited milliseconds for it.
 */
function startWriting(fd: number): Lane | undefined {
  let lane = idle.pop();
  try {
    lane ??= startLane();
  } catch {
    return undefined;
  }
  Atomics.store(lane.control, Slot.Fd, fd);
  wake(lane);
  return lane;
}

/** Wakes the worker if it sleeps (it then takes what the ring holds; it looks again after setting `Asleep`). */
function wake(lane: Lane): void {
  if (Atomics.compareExchange(lane.control, Slot.Asleep, 1, 0) === 1) lane.worker.postMessage(0);
}

function startLane(): Lane {
  const control = new Int32Array(new SharedArrayBuffer(8 * 4));
  control[Slot.Fd] = -1;
  control[Slot.Asleep] = 1;
  const ring = new SharedArrayBuffer(RING_BYTES);
  const { MessageChannel, Worker } = workerThreads();
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(`(${writerThread.toString()})()`, {
    eval: true,
    workerData: { control, ring, errors: port2, slots: SLOTS },
    transferList: [port2],
  });
  // An idle worker must not keep the process alive; every file is flushed before its writer is done.
  worker.unref();
  port1.unref();
  return { worker, control, ring: new Uint8Array(ring), words: new Int32Array(ring), errors: port1, head: 0 };
}

/**
 * The worker's code (run from its source text: it sees nothing of this module). Given a file (a
 * message says so), it takes records from the ring as they come, looking every few milliseconds, and
 * writes each at its position, until the file is done; then it waits for the next message. After a
 * failure it keeps taking records (so that `flush` ends) but writes no more, and says why once.
 */
function writerThread(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { workerData, parentPort } = require('node:worker_threads') as typeof import('node:worker_threads');
  const fs = require('node:fs') as typeof import('node:fs');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const { control, ring, errors, slots: s } = workerData as { control: Int32Array; ring: SharedArrayBuffer; errors: MessagePort; slots: typeof SLOTS };
  if (Atomics.compareExchange(control, s.state, s.starting, s.running) !== s.starting) return;
  const bytes = new Uint8Array(ring);
  const words = new Int32Array(ring);
  const size = bytes.length;
  const write = (): void => {
    for (let polls = 0; ; polls++) {
      const tail = Atomics.load(control, s.tail);
      const head = Atomics.load(control, s.head);
      if (head === tail) {
        if (Atomics.load(control, s.fd) < 0 || polls > s.idlePolls) {
          // To sleep until a message; bytes published before `asleep` was set are seen here.
          Atomics.store(control, s.asleep, 1);
          if (Atomics.load(control, s.head) === head) return;
          Atomics.store(control, s.asleep, 0);
        } else {
          Atomics.wait(control, s.head, head, s.pollMs);
        }
        continue;
      }
      polls = 0;
      const at = tail & (size - 1);
      const length = words[at >> 2];
      let next = tail + size - at;
      if (length >= 0) {
        next = tail + 16 + ((length + 15) & ~15);
        const position = (words[(at >> 2) + 1] >>> 0) + words[(at >> 2) + 2] * 2 ** 32;
        const fd = Atomics.load(control, s.fd);
        try {
          if (Atomics.load(control, s.failed) === 0) {
            for (let done = 0; done < length;) done += fs.writeSync(fd, bytes, at + 16 + done, length - done, position + done);
          }
        } catch (e) {
          errors.postMessage((e as Error).message);
          Atomics.store(control, s.failed, 1);
        }
      }
      Atomics.store(control, s.tail, next | 0);
      Atomics.notify(control, s.tail);
    }
  };
  parentPort?.on('message', write);
}
