/**
 * RISC-V semihosting (the Arm semihosting calls, entered by `slli x0,x0,0x1f; ebreak; srai x0,x0,7`):
 * operation number in a0, parameter (often a pointer to a block of words) in a1, result in a0.
 *
 * What the guest may reach is deliberately small: the console (`:tt`) and the special feature file
 * `:semihosting-features`. Host files, `SYS_SYSTEM`, remove and rename are refused (-1), because a
 * recording must be replayable anywhere and must never touch the host of whoever replays it.
 * Clocks follow the step count (a virtual 1 GHz clock, one step per nanosecond, as QEMU's
 * `-icount shift=0`); SYS_TIME, the date, is the date at the start (from the outside world) plus that
 * clock's seconds.
 */
import { ConsoleSink, OutsideWorld } from './outside';

export const SEMIHOSTING_ENTRY = 0x01f01013; // slli x0, x0, 0x1f
export const SEMIHOSTING_EXIT = 0x40705013;  // srai x0, x0, 7

/** Steps per second of the virtual clock (one step is one nanosecond). */
export const STEPS_PER_SECOND = 1_000_000_000;

const SYS = {
  OPEN: 0x01, CLOSE: 0x02, WRITEC: 0x03, WRITE0: 0x04, WRITE: 0x05, READ: 0x06, READC: 0x07,
  ISERROR: 0x08, ISTTY: 0x09, SEEK: 0x0a, FLEN: 0x0c, TMPNAM: 0x0d, REMOVE: 0x0e, RENAME: 0x0f,
  CLOCK: 0x10, TIME: 0x11, SYSTEM: 0x12, ERRNO: 0x13, GET_CMDLINE: 0x15, HEAPINFO: 0x16,
  EXIT: 0x18, EXIT_EXTENDED: 0x20, ELAPSED: 0x30, TICKFREQ: 0x31,
} as const;

const ADP_STOPPED_APPLICATION_EXIT = 0x20026;
// The feature file: magic "SHFB", then one byte of features: EXIT_EXTENDED and STDOUT_STDERR.
const FEATURES = new Uint8Array([0x53, 0x48, 0x46, 0x42, 0x03]);
const EBADF = 9;
const ENOENT = 2;
const EPERM = 1;

type Handle = { kind: 'stdin' } | { kind: 'stdout' } | { kind: 'stderr' } | { kind: 'features'; position: number };

/** What a snapshot keeps of the semihosting host: open handles and the last error. */
export interface SemihostingState { handles: Array<[number, Handle]>; nextHandle: number; errno: number; readcEnded?: true }

/** The guest memory and registers a semihosting call reads and writes. */
export interface SemihostingGuest {
  readonly step: number;
  readWord(address: number): number;
  readBytes(address: number, length: number): Uint8Array;
  writeBytes(address: number, bytes: Uint8Array): void;
  /** What SYS_HEAPINFO reports: heap base and limit, stack base and limit. */
  heapInfo(): [number, number, number, number];
  exit(code: number): void;
  /** The instruction must wait for input (it runs again later). */
  waitForInput(): never;
}

export class Semihosting {
  private handles = new Map<number, Handle>();
  private nextHandle = 1;
  private errno = 0;
  /**
   * SYS_READC has answered "end of input" (-1). picolibc 1.8's getc zero-extends that answer into the
   * character 0xFF, so a program reading stdin with getchar or fgets would never see the end and would
   * read 0xFF forever. The next SYS_READC therefore waits for input instead (the run stops there);
   * this is guest state, so a replay stops at the same step.
   */
  private readcEnded = false;
  commandLine = 'program';

  constructor(private readonly outside: OutsideWorld, private readonly sink: ConsoleSink) {}

  /** Runs operation `op` with parameter `arg`; returns the value for a0. */
  call(op: number, arg: number, g: SemihostingGuest): number {
    const param = (i: number): number => g.readWord(arg + 4 * i);
    switch (op) {
      case SYS.OPEN: return this.open(new TextDecoder().decode(g.readBytes(param(0), Math.min(param(2), 256))), param(1));
      case SYS.CLOSE: return this.handles.delete(param(0)) ? 0 : this.fail(EBADF);
      case SYS.WRITEC: this.sink.write('stdout', g.readBytes(arg, 1)); return 0;
      case SYS.WRITE0: this.sink.write('stdout', readCString(g, arg)); return 0;
      case SYS.WRITE: return this.write(param(0), g.readBytes(param(1), param(2) >>> 0), param(2) >>> 0);
      case SYS.READ: return this.read(param(0), param(1), param(2) >>> 0, g);
      case SYS.READC: return this.readCharacter(g);
      case SYS.ISERROR: return param(0) < 0 ? 1 : 0;
      case SYS.ISTTY: {
        const h = this.handles.get(param(0));
        return h === undefined ? this.fail(EBADF) : h.kind === 'features' ? 0 : 1;
      }
      case SYS.SEEK: {
        const h = this.handles.get(param(0));
        if (h === undefined) return this.fail(EBADF);
        if (h.kind === 'features') h.position = Math.min(param(1) >>> 0, FEATURES.length);
        return 0;
      }
      case SYS.FLEN: {
        const h = this.handles.get(param(0));
        return h === undefined ? this.fail(EBADF) : h.kind === 'features' ? FEATURES.length : 0;
      }
      case SYS.CLOCK: return Math.floor(g.step / (STEPS_PER_SECOND / 100)) | 0;
      case SYS.TIME: return (this.outside.dateAtStart(g.step) + Math.floor(g.step / STEPS_PER_SECOND)) | 0;
      case SYS.ELAPSED: {
        const ticks = g.step;
        g.writeBytes(arg, wordsToBytes([ticks % 4294967296, Math.floor(ticks / 4294967296)]));
        return 0;
      }
      case SYS.TICKFREQ: return STEPS_PER_SECOND;
      case SYS.ERRNO: return this.errno;
      case SYS.GET_CMDLINE: {
        const text = new TextEncoder().encode(this.commandLine + '\0');
        if (text.length > (param(1) >>> 0)) return -1;
        g.writeBytes(param(0), text);
        g.writeBytes(arg + 4, wordsToBytes([text.length - 1]));
        return 0;
      }
      case SYS.HEAPINFO: g.writeBytes(param(0), wordsToBytes(g.heapInfo())); return 0;
      case SYS.EXIT:
        // RV32 passes the reason code itself, as AArch32 does, and its exit has no status: 0 for an
        // application exit, 1 for any other reason, a pointer to a block included (the block is
        // RV64's), as QEMU and OpenOCD answer. A status needs SYS_EXIT_EXTENDED (picolibc uses it).
        g.exit(arg >>> 0 === ADP_STOPPED_APPLICATION_EXIT ? 0 : 1);
        return 0;
      case SYS.EXIT_EXTENDED:
        g.exit(param(0) >>> 0 === ADP_STOPPED_APPLICATION_EXIT ? param(1) : 1);
        return 0;
      case SYS.TMPNAM: case SYS.REMOVE: case SYS.RENAME: case SYS.SYSTEM:
        return this.fail(EPERM);
      default:
        return this.fail(EPERM);
    }
  }

  private open(name: string, mode: number): number {
    let handle: Handle;
    if (name === ':tt') handle = mode < 4 ? { kind: 'stdin' } : mode < 8 ? { kind: 'stdout' } : { kind: 'stderr' };
    else if (name === ':semihosting-features' && mode < 4) handle = { kind: 'features', position: 0 };
    else return this.fail(ENOENT);
    const id = this.nextHandle++;
    this.handles.set(id, handle);
    return id;
  }

  private write(id: number, bytes: Uint8Array, length: number): number {
    const h = this.handles.get(id);
    if (h === undefined || (h.kind !== 'stdout' && h.kind !== 'stderr')) {
      this.fail(EBADF);
      return length;
    }
    this.sink.write(h.kind, bytes);
    return 0; // bytes not written
  }

  /** SYS_READC has reported the end of console input: a further SYS_READC waits for input. */
  get consoleInputEnded(): boolean {
    return this.readcEnded;
  }

  private readCharacter(g: SemihostingGuest): number {
    if (this.readcEnded) return g.waitForInput();
    const bytes = this.outside.readConsole(g.step, 1);
    if (bytes === undefined) return g.waitForInput();
    if (bytes.length > 0) return bytes[0];
    this.readcEnded = true;
    return -1;
  }

  private read(id: number, buffer: number, length: number, g: SemihostingGuest): number {
    const h = this.handles.get(id);
    if (h === undefined) return this.fail(EBADF);
    let bytes: Uint8Array;
    if (h.kind === 'features') {
      bytes = FEATURES.slice(h.position, h.position + length);
      h.position += bytes.length;
    } else if (h.kind === 'stdin') {
      const input = this.outside.readConsole(g.step, length);
      if (input === undefined) return g.waitForInput();
      bytes = input;
    } else {
      return this.fail(EBADF);
    }
    g.writeBytes(buffer, bytes);
    return length - bytes.length; // bytes not read
  }

  private fail(errno: number): number {
    this.errno = errno;
    return -1;
  }

  save(): SemihostingState {
    // No iterator while no file is open (every checkpoint of most recordings, with its code out of the caches).
    const handles = this.handles.size === 0 ? [] : [...this.handles].map(([k, v]): [number, Handle] => [k, { ...v }]);
    const state = { handles, nextHandle: this.nextHandle, errno: this.errno };
    // Present only once set, so that the state hashes of every recording that never read past the end
    // of its input stay what they were.
    return this.readcEnded ? { ...state, readcEnded: true } : state;
  }

  restore(s: SemihostingState): void {
    this.handles = new Map(s.handles.map(([k, v]) => [k, { ...v }]));
    this.nextHandle = s.nextHandle;
    this.errno = s.errno;
    this.readcEnded = s.readcEnded === true;
  }
}

function readCString(g: SemihostingGuest, address: number): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < 65536; i++) {
    const byte = g.readBytes(address + i, 1)[0];
    if (byte === 0) break;
    out.push(byte);
  }
  return new Uint8Array(out);
}

function wordsToBytes(words: number[]): Uint8Array {
  const bytes = new Uint8Array(words.length * 4);
  const view = new DataView(bytes.buffer);
  words.forEach((w, i) => view.setUint32(i * 4, w >>> 0, true));
  return bytes;
}
