/**
 * The real adapter process driven byte by byte, for what `DebugClient` cannot do: send malformed
 * messages, stop reading what the adapter writes (a client that falls behind), and see the process's
 * peak memory and exit.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DebugProtocol } from '@vscode/debugprotocol';
import { ROOT } from './fixture';

const ADAPTER = join(ROOT, 'out/adapter/main.js');

export class RawAdapter {
  readonly process: ChildProcess;
  readonly messages: DebugProtocol.ProtocolMessage[] = [];
  exitCode: number | null | undefined;
  private pending = Buffer.alloc(0);
  private seq = 1;
  private waiters: Array<() => void> = [];

  constructor() {
    this.process = spawn(process.execPath, [ADAPTER], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stdout!.on('data', (chunk: Buffer) => this.received(chunk));
    this.process.stderr!.resume();
    this.process.on('exit', (code) => {
      this.exitCode = code;
      this.wake();
    });
  }

  /** Bytes as they are, framed or not. */
  sendRaw(bytes: string | Buffer): void {
    this.process.stdin!.write(bytes);
  }

  /** A framed message with any body (not necessarily an object, nor valid JSON). */
  sendBody(body: string): void {
    this.sendRaw(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  /** A request; returns its seq. */
  send(command: string, args?: unknown): number {
    const seq = this.seq++;
    this.sendBody(JSON.stringify({ seq, type: 'request', command, arguments: args }));
    return seq;
  }

  /** Sends a request and waits for its response. */
  async request(command: string, args?: unknown, timeoutMs = 30_000): Promise<DebugProtocol.Response> {
    const seq = this.send(command, args);
    return this.waitFor((m) => m.type === 'response' && (m as DebugProtocol.Response).request_seq === seq, timeoutMs, `the response to ${command}`) as Promise<DebugProtocol.Response>;
  }

  /** The first message (already received or to come) that matches, after index `from`. */
  async waitFor(match: (m: DebugProtocol.ProtocolMessage) => boolean, timeoutMs = 30_000, what = 'a message', from = 0): Promise<DebugProtocol.ProtocolMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.slice(from).find(match);
      if (found) return found;
      if (this.exitCode !== undefined) throw new Error(`the adapter exited (status ${this.exitCode}) before ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  events(name: string): DebugProtocol.Event[] {
    return this.messages.filter((m): m is DebugProtocol.Event => m.type === 'event' && (m as DebugProtocol.Event).event === name);
  }

  /** Stops reading the adapter's output: it piles up in the pipe and the adapter's write buffer. */
  stopReading(): void {
    this.process.stdout!.pause();
  }

  resumeReading(): void {
    this.process.stdout!.resume();
  }

  /** The adapter process's peak resident memory so far, in MiB (Linux). */
  peakMemoryMiB(): number {
    return this.status('VmHWM');
  }

  /** The adapter process's resident memory now, in MiB (Linux). */
  memoryMiB(): number {
    return this.status('VmRSS');
  }

  private status(field: string): number {
    const status = readFileSync(`/proc/${this.process.pid}/status`, 'utf8');
    return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)![1]) / 1024;
  }

  async stop(): Promise<void> {
    if (this.exitCode !== undefined) return;
    this.process.kill();
    await new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
  }

  private received(chunk: Buffer): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    for (;;) {
      const headerEnd = this.pending.indexOf('\r\n\r\n');
      if (headerEnd < 0) break;
      const length = Number(/Content-Length: (\d+)/.exec(this.pending.subarray(0, headerEnd).toString())![1]);
      if (this.pending.length < headerEnd + 4 + length) break;
      this.messages.push(JSON.parse(this.pending.subarray(headerEnd + 4, headerEnd + 4 + length).toString()));
      this.pending = this.pending.subarray(headerEnd + 4 + length);
    }
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
