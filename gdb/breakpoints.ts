/**
 * gdb's breakpoints and watchpoints (`Z0`–`Z4` / `z0`–`z4`) and the stop set they make for the core's
 * runs: code breakpoints by address, data watchpoints by range and access. gdb may insert the same
 * breakpoint more than once (software and hardware at one address): each kind is kept, so that the stop
 * reply can say `swbreak` or `hwbreak` as gdb expects.
 */
import { Watchpoint } from '../emulator/machine';
import { Until } from '../debugger/stop-conditions';

export type BreakKind = 'swbreak' | 'hwbreak';
export type WatchKind = 'watch' | 'rwatch' | 'awatch';

interface GdbWatchpoint {
  kind: WatchKind;
  watch: Watchpoint;
}

const ACCESS: Record<WatchKind, Watchpoint['access']> = { watch: 'write', rwatch: 'read', awatch: 'readWrite' };
const ZTYPE: Record<string, BreakKind | WatchKind> = { 0: 'swbreak', 1: 'hwbreak', 2: 'watch', 3: 'rwatch', 4: 'awatch' };

export class BreakpointTable {
  private readonly breaks = new Map<number, Set<BreakKind>>();
  private watches: GdbWatchpoint[] = [];

  /** Handles `Z`/`z` type,address,kind; returns the reply ('OK', or an error). */
  change(insert: boolean, type: string, address: number, length: number): string {
    const kind = ZTYPE[type];
    if (kind === undefined) return '';
    if (kind === 'swbreak' || kind === 'hwbreak') {
      const kinds = this.breaks.get(address) ?? new Set<BreakKind>();
      if (insert) kinds.add(kind);
      else kinds.delete(kind);
      if (kinds.size === 0) this.breaks.delete(address);
      else this.breaks.set(address, kinds);
      return 'OK';
    }
    if (length <= 0) return 'E16'; // EINVAL, as the session answers every request that makes no sense
    if (insert) {
      this.watches.push({ kind, watch: { address, length, access: ACCESS[kind] } });
    } else {
      const i = this.watches.findIndex((w) => w.kind === kind && w.watch.address === address && w.watch.length === length);
      if (i < 0) return 'OK'; // removing one that is not there: gdb only asks after inserting, so nothing to undo
      this.watches.splice(i, 1);
    }
    return 'OK';
  }

  /** The kind gdb inserted at a code address (software first: that is what `break` uses). */
  breakKindAt(address: number): BreakKind | undefined {
    const kinds = this.breaks.get(address);
    if (!kinds) return undefined;
    return kinds.has('swbreak') ? 'swbreak' : 'hwbreak';
  }

  watchKindOf(watch: Watchpoint): WatchKind {
    return this.watches.find((w) => w.watch === watch)?.kind ?? (watch.access === 'read' ? 'rwatch' : watch.access === 'write' ? 'watch' : 'awatch');
  }

  /** Forgets everything (a new gdb connects: it inserts its own again before resuming). */
  clear(): void {
    this.breaks.clear();
    this.watches = [];
  }

  /** gdb's breakpoints and watchpoints as a stop set, with the step breakpoints set by `monitor replay-break`. */
  until(stepBreakpoints: number[]): Until {
    return {
      breakpoints: [...this.breaks.keys()].map((address, i) => ({ id: i + 1, kind: 'instruction', addresses: [address] })),
      dataBreakpoints: this.watches.map((w, i) => ({ id: -(i + 1), watch: w.watch, label: w.kind })),
      stepBreakpoints,
    };
  }
}
