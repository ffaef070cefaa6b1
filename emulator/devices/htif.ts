/**
 * HTIF's `tohost` word, for programs (riscv-tests and the like) that end by writing `(code << 1) | 1`
 * to the symbol `tohost`. It is plain RAM: the machine watches writes to its page (RAM's write barrier)
 * and calls `written` for them.
 */
import { Ram } from '../memory/ram';
import { StopReason } from '../run/stop-reason';

const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

export class Htif {
  /** RAM offset of `tohost`, or -1 when the program has none. */
  offset = -1;

  constructor(private readonly ram: Ram, private readonly halt: (reason: StopReason) => void) {}

  /** A RAM write of `size` bytes at `offset` completed: act on it if it wrote `tohost`. */
  written(offset: number, size: number): void {
    const t = this.offset;
    if (t < 0 || offset + size <= t || offset >= t + 4) return;
    const value = this.ram.read(t, 4) >>> 0;
    if (value === 0) return;
    if (value & 1) this.halt({ kind: 'exit', code: value >>> 1, via: 'htif' });
    else this.halt({ kind: 'stuck', message: `unsupported HTIF request ${hex(value)} written to tohost (only exit codes are handled)` });
  }
}
