/**
 * HTIF, the host interface of the spike simulator, for programs built for its environment (riscv-tests,
 * proxy-kernel style start-up code): they talk to the host through two 64-bit words in their own RAM,
 * at the symbols `tohost` and `fromhost`. It is plain RAM: the machine watches writes to the page of
 * `tohost` (RAM's write barrier) and calls `written` for them.
 *
 * - `(code << 1) | 1` written to tohost: the program exits with `code`.
 * - A pointer written to tohost (even, non-zero, high word zero): a system call, the proxy kernel's way.
 *   The pointer names eight 64-bit words: the call number, then its arguments. SYS_write (64) to fd 1 or
 *   2 prints `len` bytes at `buf`; its result (the byte count, or -1) goes back into the first word,
 *   tohost is cleared and fromhost set to 1, which is what the guest waits for.
 *
 * Output is a pure function of the run, so none of this needs recording.
 */
import { ConsoleSink } from '../outside';
import { Ram } from '../memory/ram';
import { StopReason } from '../run/stop-reason';
import { hexAddress as hex } from '../hex';
import { ElfImage } from '../elf';

const SYS_WRITE = 64;
/** The most one SYS_write prints (a bound for a corrupted length). */
const MAX_WRITE = 1 << 20;

export class Htif {
  /** RAM offset of `tohost`, or -1 when the program has none. */
  offset = -1;
  /** RAM offset of `fromhost`, or -1 when the program has none. */
  fromhostOffset = -1;

  constructor(private readonly ram: Ram, private readonly sink: ConsoleSink, private readonly halt: (reason: StopReason) => void) {}

  /** Finds `tohost` and `fromhost` in a loaded program; true if it has `tohost` in RAM. */
  locate(image: ElfImage): boolean {
    const tohost = image.symbol('tohost');
    if (!tohost) return false;
    this.offset = this.ram.offsetOf(tohost.value, 4);
    const fromhost = image.symbol('fromhost');
    if (fromhost) this.fromhostOffset = this.ram.offsetOf(fromhost.value, 8);
    return this.offset >= 0;
  }

  /** A RAM write of `size` bytes at `offset` completed: act on it if it wrote `tohost`. */
  written(offset: number, size: number): void {
    const t = this.offset;
    if (t < 0 || offset + size <= t || offset >= t + 4) return;
    const value = this.ram.read(t, 4) >>> 0;
    if (value === 0) return;
    const high = t + 8 <= this.ram.size ? this.ram.read(t + 4, 4) >>> 0 : 0;
    if (value & 1) this.halt({ kind: 'exit', code: value >>> 1, via: 'htif' });
    else if (high === 0 && this.fromhostOffset >= 0) this.systemCall(value);
    else this.halt({ kind: 'stuck', message: `unsupported HTIF request ${hex(high)}_${hex(value).slice(2)} written to tohost (exit codes and the SYS_write system call are handled)` });
  }

  private systemCall(pointer: number): void {
    const words = this.ram.offsetOf(pointer, 64);
    if (words < 0) {
      this.halt({ kind: 'stuck', message: `HTIF system call block at ${hex(pointer)} is outside RAM` });
      return;
    }
    const word = (i: number): number => this.ram.read(words + 8 * i, 4) >>> 0;
    const [which, fd, buffer, length] = [word(0), word(1), word(2), word(3)];
    let result = -1;
    if (which === SYS_WRITE && (fd === 1 || fd === 2)) {
      const start = this.ram.offsetOf(buffer, Math.max(1, Math.min(length, MAX_WRITE)));
      if (start >= 0 || length === 0) {
        const n = Math.min(length, MAX_WRITE);
        if (n > 0) this.sink.write(fd === 1 ? 'stdout' : 'stderr', this.ram.u8.slice(start, start + n));
        result = n;
      }
    }
    // The answer, then tohost cleared and fromhost set: the guest polls fromhost.
    this.ram.write(words, 4, result);
    this.ram.write(words + 4, 4, result < 0 ? -1 : 0);
    this.ram.write(this.offset, 4, 0);
    this.ram.write(this.fromhostOffset, 4, 1);
    this.ram.write(this.fromhostOffset + 4, 4, 0);
  }
}
