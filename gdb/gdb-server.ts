/**
 * The GDB remote stub's TCP server: one gdb at a time, over one replay engine. When a gdb disconnects
 * (detach, kill, or a dropped connection, even in the middle of a reverse-continue) its breakpoints go,
 * the engine stays at its step with its step breakpoints, and the next gdb may connect: the same as
 * reconnecting to QEMU's `-s` stub, except that `kill` does not end the stub (the recording is not a
 * process that can die).
 */
import { createServer, Server, Socket } from 'node:net';
import { AddressInfo } from 'node:net';
import { ReplayEngine } from '../emulator/replay/engine';
import { Debugger } from '../debugger/debugger';
import { GdbSession } from './gdb-session';

/** Replies the client has not read beyond which no more are made until it reads. */
const UNREAD_BYTES = 1 << 20;

export interface GdbServerOptions {
  recordingName: string;
  log?: (line: string) => void;
  /** Log every packet (see SessionOptions.trace). */
  trace?: boolean;
}

export class GdbServer {
  private readonly server: Server;
  private active: { socket: Socket; session: GdbSession } | null = null;
  /** Resolves when the last session has finished (its operation cancelled, its breakpoints removed). */
  private lastClosed: Promise<void> = Promise.resolve();

  /** The core the stub travels with; its step breakpoints outlive a connection. */
  private readonly core: Debugger;

  constructor(readonly engine: ReplayEngine, private readonly options: GdbServerOptions) {
    this.core = new Debugger(engine);
    this.server = createServer((socket) => this.accept(socket));
  }

  /** Starts listening; port 0 picks a free port (see the returned address). */
  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /** Stops listening and ends the current connection. */
  async close(): Promise<void> {
    this.active?.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.lastClosed;
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    if (this.active) {
      this.options.log?.(`refused a connection from ${peer}: a gdb is already connected (one at a time)`);
      socket.destroy();
      return;
    }
    const session = new GdbSession(this.core, {
      write: (bytes) => { if (!socket.destroyed) socket.write(bytes); },
      end: () => socket.end(),
      // A client that asks and never reads (m packets in a loop) must not pile the replies up here.
      unread: () => (socket.writableLength < UNREAD_BYTES || socket.destroyed ? undefined : new Promise<void>((resolve) => {
        const done = (): void => { socket.off('drain', done); socket.off('close', done); resolve(); };
        socket.on('drain', done);
        socket.on('close', done);
      })),
      pauseInput: () => socket.pause(),
      resumeInput: () => socket.resume(),
    }, { recordingName: this.options.recordingName, log: this.options.log, trace: this.options.trace });
    this.active = { socket, session };
    this.options.log?.(`gdb connected from ${peer}`);
    let closed: Promise<void> | undefined;
    const finish = (): void => {
      if (closed) return;
      closed = session.close();
      this.lastClosed = closed.then(() => {
        if (this.active?.session === session) this.active = null;
        this.options.log?.(`gdb disconnected; at step ${this.engine.step}, waiting for the next connection`);
      });
    };
    socket.on('data', (data) => session.receive(data));
    socket.on('end', () => { socket.end(); finish(); });
    socket.on('close', finish);
    socket.on('error', (e) => {
      this.options.log?.(`connection error from ${peer}: ${e.message}`);
      finish();
    });
  }
}
