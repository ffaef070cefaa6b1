/**
 * What a data breakpoint saw, as gdb tells it: the expression, the old and the new value, and the access
 * (its real width and the instruction). A `write` data breakpoint is VS Code's "Break on Value Change":
 * a store that leaves the watched bytes as they were is not a stop (memset writing zeros over zeros).
 *
 * No old value needs replaying: every store to the watched bytes stops the engine, so going forward the
 * bytes before a store are the ones seen at the previous stop (or where the run began), and going back
 * the bytes after a store are the ones seen at the previous stop (the run goes back past later stores
 * first).
 */
import { Direction, EngineStop } from '../emulator/replay/engine';
import { decode } from '../emulator/isa/decode';
import { disassembleDecoded } from '../emulator/isa/disassemble';
import { hexAddress } from '../emulator/hex';
import { Position } from './position';
import { DataBreakpoint } from './stop-conditions';
import { formatValue } from './values/format';

type WatchStop = Extract<EngineStop, { reason: 'watchpoint' }>;

/**
 * Watched ranges up to this size are kept and compared (Break on Value Change); a wider one (gdb's
 * `Z2,0,90000000`, all of RAM) stops at every store to it, showing the bytes accessed: copying and
 * comparing megabytes at every store would stall the run.
 */
const COMPARED_BYTES = 64 << 10;
const compared = (d: DataBreakpoint): boolean => d.watch.length <= COMPARED_BYTES;

/** One access a data breakpoint reports. */
export interface DataAccess {
  data?: DataBreakpoint;
  access: 'read' | 'write';
  /** The value text before and after a write, or the value read. */
  before?: string;
  after: string;
  /** "4-byte store (sw) at 0x800002aa in post (bug.c:82)". */
  by: string;
}

export class WatchedValues {
  private readonly seen = new Map<number, Uint8Array>();

  /** The watched bytes where a run begins. */
  constructor(private readonly position: Position, private readonly direction: Direction, dataBreakpoints: readonly DataBreakpoint[]) {
    for (const d of dataBreakpoints) if (compared(d)) this.seen.set(d.id, this.bytes(d));
  }

  /** The access at a watchpoint stop, or undefined when a watched store changed nothing (not a stop). */
  access(stop: WatchStop, data: DataBreakpoint | undefined): DataAccess | undefined {
    const by = this.describeAccess(stop);
    if (!data || !compared(data)) return { data, access: stop.access, after: hexBytes(this.position.view.readMemory(stop.address, stop.size)), by };
    const now = this.bytes(data);
    if (stop.access === 'read') return { data, access: 'read', after: this.text(data, now), by };
    const remembered = this.seen.get(data.id) ?? now;
    const [before, after] = this.direction === 'forward' ? [remembered, now] : [now, remembered];
    this.seen.set(data.id, now);
    if (equal(before, after)) {
      // Break on Value Change: not a change. Break on Value Access: a write of the same value.
      return data.watch.access === 'write' ? undefined : { data, access: 'write', after: this.text(data, after), by };
    }
    return { data, access: 'write', before: this.text(data, before), after: this.text(data, after), by };
  }

  private bytes(d: DataBreakpoint): Uint8Array {
    return this.position.view.readMemory(d.watch.address, d.watch.length).slice();
  }

  private text(d: DataBreakpoint, bytes: Uint8Array): string {
    if (!d.type || bytes.length < d.watch.length) return hexBytes(bytes);
    return formatValue(this.position.valueContext(), { type: d.type, location: { kind: 'value', bytes } });
  }

  private describeAccess(stop: WatchStop): string {
    const raw = this.position.view.readMemory(stop.pc, 4);
    const word = raw.length === 4 ? (raw[0] | (raw[1] << 8) | (raw[2] << 16) | (raw[3] << 24)) >>> 0 : raw.length >= 2 ? raw[0] | (raw[1] << 8) : 0;
    const d = decode(word);
    const mnemonic = d ? disassembleDecoded(d, stop.pc).mnemonic : undefined;
    const fn = this.position.symbols?.functionAt(stop.pc)?.name;
    const kind = stop.access === 'write' ? 'store' : 'load';
    const where = this.position.where(stop.pc);
    return `${stop.size}-byte ${kind}${mnemonic ? ` (${mnemonic})` : ''} at ${hexAddress(stop.pc)}${fn ? ` in ${fn}` : ''}${where !== hexAddress(stop.pc) ? ` (${where})` : ''}`;
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function hexBytes(bytes: Uint8Array): string {
  if (bytes.length === 0) return '<unreadable>';
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return `0x${n.toString(16).padStart(bytes.length * 2, '0')}`;
}
