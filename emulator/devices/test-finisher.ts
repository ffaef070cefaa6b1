/**
 * The SiFive test finisher of QEMU's `virt` board at 0x00100000: writing 0x5555 ends the run with
 * status 0, `(code << 16) | 0x3333` ends it with `code`, 0x7777 asks for a reset (which ends a recording).
 */
import { Device } from './device';

export const TEST_FINISHER_BASE = 0x00100000;

export type FinisherOutcome = { kind: 'exit'; code: number } | { kind: 'reset' };

export class TestFinisher implements Device {
  readonly name = 'test-finisher';
  readonly base = TEST_FINISHER_BASE;
  readonly size = 0x1000;

  constructor(private readonly finish: (outcome: FinisherOutcome) => void) {}

  read(): number {
    return 0;
  }

  write(offset: number, _size: 1 | 2 | 4, value: number): void {
    if (offset !== 0) return;
    const status = value & 0xffff;
    if (status === 0x5555) this.finish({ kind: 'exit', code: 0 });
    else if (status === 0x3333) this.finish({ kind: 'exit', code: (value >>> 16) & 0xffff });
    else if (status === 0x7777) this.finish({ kind: 'reset' });
  }
}
