/**
 * One gdb connection: reads packets, answers them from the time-travel core (its runs in both
 * directions, with gdb's breakpoints as the stop set), and keeps reading while a (reverse-)continue runs, so that an interrupt (the 0x03 byte or `vCtrlC`) can cancel it between the
 * engine's slices. Packets are answered one at a time, in order; nothing a client sends can end the
 * stub or change the recording: history is read-only, and bad input gets an error or is dropped.
 */
import { Control, EngineStop, ReplayEngine } from '../emulator/replay/engine';
import { watchRangeProblem } from '../debugger/watch-range';
import { Debugger } from '../debugger/debugger';
import { Stop } from '../debugger/stop';
import { framePacket, Framed, MAX_PACKET, PacketReader } from './packet-framing';
import { BreakpointTable } from './breakpoints';
import { bytesToHex, hexToText, parseHexNumber, textToHex } from './hex';
import { generalRegistersHex, readRegister } from './registers';
import { stopReply } from './stop-reply';
import { TARGET_XML } from './target-description';
import { runMonitorCommand } from './monitor-commands';

/** What gdb may ask for in one packet (hex 0x4000 = 16 KiB). */
const PACKET_SIZE = 0x4000;

const SUPPORTED = [
  `PacketSize=${PACKET_SIZE.toString(16)}`,
  'qXfer:features:read+',
  'swbreak+',
  'hwbreak+',
  'ReverseStep+',
  'ReverseContinue+',
  'QStartNoAckMode+',
  'vContSupported+',
].join(';');

/** The reply to anything that would change the past (`G`, `P`, `M`, `X`): EPERM. */
const READ_ONLY = 'E01';
/** Stands in the queue for a packet that was dropped for its size, so that its error reply keeps its turn. */
const OVERSIZED = '\u0000oversized';
/** A request with arguments that make no sense: EINVAL. */
const INVALID = 'E16';
/** Memory that is not there (outside RAM, or a device whose reads have effects): EFAULT. */
const NO_MEMORY = 'E0e';

export interface Connection {
  write(bytes: Buffer): void;
  /** Ends the connection (after `k` or `D`). */
  end(): void;
  /** While the client has not read enough of what was sent: resolves when it has (no reply is made meanwhile). */
  unread?(): Promise<void> | undefined;
  /** Stops (and resumes) reading the client's bytes, while many packets wait for their turn. */
  pauseInput?(): void;
  resumeInput?(): void;
}

/** Bytes of packets waiting for their turn beyond which the client's bytes are no longer read. */
const MOST_WAITING_BYTES = 1 << 20;

export interface SessionOptions {
  recordingName: string;
  /** Notes for the stub's own log (the terminal running `rewind gdb`). */
  log?: (line: string) => void;
  /** Logs every packet both ways (`rewind gdb --trace`), for debugging a front end's conversation. */
  trace?: boolean;
}

export class GdbSession {
  private readonly reader = new PacketReader();
  private readonly table: BreakpointTable;
  private noAck = false;
  private lastSent: Buffer | null = null;
  private readonly pending: string[] = [];
  private pendingBytes = 0;
  private working = false;
  /** Set while a resume runs; the interrupt sets `cancelled`. */
  private running: { cancelled: boolean } | null = null;
  private closed = false;
  private lastStop = 'T05thread:1;';
  /** Resolves when the packet queue is empty and nothing runs (`close` waits for it). */
  private idle: Promise<void> = Promise.resolve();

  private readonly engine: ReplayEngine;

  constructor(private readonly core: Debugger, private readonly connection: Connection, private readonly options: SessionOptions) {
    this.engine = core.engine;
    this.table = new BreakpointTable();
  }

  /** Bytes from the client. */
  receive(bytes: Uint8Array): void {
    for (const framed of this.reader.push(bytes)) this.onFramed(framed);
  }

  /** The client went away: a running operation is cancelled, gdb's breakpoints are removed. */
  close(): Promise<void> {
    this.closed = true;
    if (this.running) this.running.cancelled = true;
    return this.idle.then(() => this.table.clear());
  }

  private onFramed(f: Framed): void {
    switch (f.kind) {
      case 'interrupt':
        if (this.running) this.running.cancelled = true;
        return;
      case 'ack':
        return;
      case 'nack':
        if (!this.noAck && this.lastSent) this.connection.write(this.lastSent);
        return;
      case 'badChecksum':
        this.options.log?.(`dropped a packet with a bad checksum (${JSON.stringify(f.payload.slice(0, 40))})`);
        if (!this.noAck) this.connection.write(Buffer.from('-'));
        return;
      case 'oversized':
        this.options.log?.(`dropped a packet of ${f.length} bytes (the limit is ${MAX_PACKET})`);
        if (!this.noAck) this.connection.write(Buffer.from('+'));
        this.enqueue(OVERSIZED);
        return;
      case 'packet':
        if (this.options.trace) this.options.log?.(`<- ${f.payload.slice(0, 200)}`);
        if (!this.noAck) this.connection.write(Buffer.from('+'));
        if (f.payload === 'vCtrlC') {
          // Answered at once, even while a continue runs: the stop reply follows when it has stopped.
          if (this.running) this.running.cancelled = true;
          this.send('OK');
          return;
        }
        this.enqueue(f.payload);
    }
  }

  private enqueue(payload: string): void {
    this.pending.push(payload);
    this.pendingBytes += payload.length;
    // A client that sends faster than it reads the replies is read no further until they are read.
    if (this.pendingBytes > MOST_WAITING_BYTES) this.connection.pauseInput?.();
    if (!this.working) this.idle = this.work();
  }

  private async work(): Promise<void> {
    this.working = true;
    try {
      while (this.pending.length > 0 && !this.closed) {
        // Awaited only when there is something to wait for: a packet starts at once (an interrupt right behind it must find it running).
        const unread = this.connection.unread?.();
        if (unread) await unread;
        if (this.closed) break;
        const payload = this.pending.shift()!;
        this.pendingBytes -= payload.length;
        if (this.pendingBytes <= MOST_WAITING_BYTES / 2) this.connection.resumeInput?.();
        let reply: string | undefined;
        try {
          reply = await this.handle(payload);
        } catch (e) {
          this.options.log?.(`error answering ${JSON.stringify(payload.slice(0, 40))}: ${(e as Error).message}`);
          reply = 'E01';
        }
        if (reply !== undefined && !this.closed) this.send(reply);
        if (payload === 'QStartNoAckMode' && reply === 'OK') this.noAck = true;
      }
    } finally {
      this.working = false;
    }
  }

  private send(payload: string): void {
    if (this.closed) return;
    if (this.options.trace) this.options.log?.(`-> ${payload.slice(0, 200)}`);
    this.lastSent = framePacket(payload);
    this.connection.write(this.lastSent);
  }

  /** Answers one packet; undefined means no reply (`k`). */
  private async handle(p: string): Promise<string | undefined> {
    if (p === OVERSIZED) return INVALID;
    switch (p[0]) {
      case '?': return this.lastStop;
      case 'g': return generalRegistersHex(this.engine.machine);
      case 'p': return this.readRegisterPacket(p.slice(1));
      case 'G': case 'P': case 'M': case 'X': return READ_ONLY;
      case 'm': return this.readMemory(p.slice(1));
      case 'c': case 'C': return p.length > 1 && p[0] === 'c' ? INVALID : this.resume('continue');
      case 's': case 'S': return p.length > 1 && p[0] === 's' ? INVALID : this.resume('step');
      case 'b':
        if (p === 'bc') return this.resume('reverseContinue');
        if (p === 'bs') return this.resume('reverseStep');
        return '';
      case 'Z': case 'z': return this.changeBreakpoint(p);
      case 'H': case 'T': return 'OK';
      case 'k':
        this.connection.end();
        return undefined;
      case 'D':
        this.send('OK');
        this.connection.end();
        return undefined;
      case 'q': case 'Q': return this.query(p);
      case 'v': return this.vPacket(p);
      default: return '';
    }
  }

  private query(p: string): string | Promise<string> {
    if (p.startsWith('qSupported')) return SUPPORTED;
    if (p === 'QStartNoAckMode') return 'OK';
    if (p === 'qAttached' || p.startsWith('qAttached:')) return '1';
    if (p === 'qC') return 'QC1';
    if (p === 'qfThreadInfo') return 'm1';
    if (p === 'qsThreadInfo') return 'l';
    if (p.startsWith('qSymbol:')) return 'OK';
    if (p.startsWith('qXfer:features:read:')) return this.readFeatures(p.slice('qXfer:features:read:'.length));
    if (p.startsWith('qRcmd,')) return this.monitor(p.slice('qRcmd,'.length));
    return '';
  }

  private vPacket(p: string): string | Promise<string> | undefined {
    if (p === 'vCont?') return 'vCont;c;C;s;S';
    if (p.startsWith('vCont;')) {
      // One thread: the first action decides (gdb sends e.g. `vCont;s:1;c` or `vCont;c`).
      const action = p.slice(6).split(';')[0].split(':')[0];
      if (action === 'c' || action[0] === 'C') return this.resume('continue');
      if (action === 's' || action[0] === 'S') return this.resume('step');
      return INVALID;
    }
    if (p.startsWith('vKill')) {
      this.send('OK');
      this.connection.end();
      return undefined;
    }
    return '';
  }

  private readRegisterPacket(arg: string): string {
    const regnum = parseHexNumber(arg);
    if (regnum === undefined) return INVALID;
    const value = readRegister(this.engine.machine, regnum);
    if (value === undefined) return INVALID;
    return Buffer.from(Uint32Array.of(value).buffer).toString('hex');
  }

  private readMemory(arg: string): string {
    const [a, l] = arg.split(',');
    const address = parseHexNumber(a);
    const length = parseHexNumber(l);
    if (address === undefined || length === undefined) return INVALID;
    const ram = this.engine.machine.ram;
    // Only RAM: device registers have effects when read, and a debugger must not cause any.
    let readable = 0;
    const wanted = Math.min(length, PACKET_SIZE / 2);
    while (readable < wanted && ram.offsetOf(address + readable) >= 0) readable++;
    if (readable === 0 && wanted > 0) return NO_MEMORY;
    return bytesToHex(this.engine.machine.peek(address, readable));
  }

  private readFeatures(arg: string): string {
    const match = /^([^:]+):([0-9a-fA-F]+),([0-9a-fA-F]+)$/.exec(arg);
    if (!match) return INVALID;
    if (match[1] !== 'target.xml') return 'E00';
    const offset = parseInt(match[2], 16);
    const length = parseInt(match[3], 16);
    const chunk = TARGET_XML.slice(offset, offset + length);
    return (offset + length >= TARGET_XML.length ? 'l' : 'm') + chunk;
  }

  private changeBreakpoint(p: string): string {
    const match = /^([Zz])([0-4]),([0-9a-fA-F]+),([0-9a-fA-F]+)/.exec(p);
    if (!match) return /^[Zz][0-4]/.test(p) ? INVALID : '';
    const [insert, type, address, length] = [match[1] === 'Z', match[2], parseInt(match[3], 16) >>> 0, parseInt(match[4], 16)];
    // A watchpoint over no RAM would never fire: gdb hears EFAULT ("Could not insert hardware watchpoint"), the log why.
    const problem = insert && type >= '2' && length > 0 ? watchRangeProblem(address, length, this.engine.machine.config) : undefined;
    if (problem) {
      this.options.log?.(`watchpoint refused: ${problem}`);
      return NO_MEMORY;
    }
    return this.table.change(insert, type, address, length);
  }

  private async monitor(hex: string): Promise<string> {
    const line = hexToText(hex);
    if (line === undefined) return INVALID;
    const text = await runMonitorCommand(line, { core: this.core, recordingName: this.options.recordingName });
    return textToHex(text);
  }

  private async resume(how: 'continue' | 'step' | 'reverseContinue' | 'reverseStep'): Promise<string> {
    const run = { cancelled: false };
    this.running = run;
    const control: Control = { cancelled: () => run.cancelled || this.closed };
    const until = this.table.until(this.core.stepBreakpoints.list());
    try {
      let stop: Stop;
      switch (how) {
        case 'continue': stop = await this.core.run('forward', until, control); break;
        case 'step': stop = await this.stepForward(); break;
        case 'reverseContinue': stop = await this.core.run('backward', until, control); break;
        case 'reverseStep': stop = await this.core.stepInstruction('backward'); break;
      }
      const cause: EngineStop = stop.cause ?? { reason: 'step' };
      if (cause.reason === 'watchpoint') await this.beforeWatchedAccess(how === 'reverseContinue' ? 'reverse' : 'forward');
      const reply = stopReply(cause, this.table, how === 'step' || how === 'reverseStep');
      if (reply.console) this.send('O' + textToHex(reply.console));
      this.lastStop = reply.packet;
      return reply.packet;
    } finally {
      this.running = null;
    }
  }

  /**
   * gdb's RISC-V support treats watchpoints as "non-steppable": it expects the target to report a hit
   * with the accessing instruction not yet executed in the direction of travel, and then steps over it
   * itself (forward with `s`, or back with `bs`), watchpoints removed, to compare the old and new values.
   * QEMU reports them so. The engine stops after the access going forward and before it going back, so
   * we move one step against the direction of travel; after gdb's own step the user sees what QEMU
   * shows: just after the write going forward, just before it (at the writing instruction) going back.
   */
  private async beforeWatchedAccess(direction: 'forward' | 'reverse'): Promise<void> {
    const e = this.engine;
    await e.seek(direction === 'forward' ? e.step - 1 : e.step + 1);
  }

  /**
   * One instruction forward that still reports a watchpoint the instruction hits (the engine's plain
   * step ignores stop conditions): a run bounded by a step breakpoint at the next step.
   */
  private async stepForward(): Promise<Stop> {
    const next = this.engine.step + 1;
    if (next > this.engine.lastStep) return this.core.stepInstruction('forward');
    return this.core.run('forward', this.table.until([next]));
  }
}
