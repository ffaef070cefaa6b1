/**
 * The NS16550A UART of QEMU's `virt` board at 0x10000000, byte-wide registers. Output goes to the
 * console sink; input comes from the outside world one byte at a time, asked for when the guest looks
 * (reads LSR or RBR), so a byte arrives at a step the guest itself chose and the replay can repeat it.
 * No interrupts yet (there is no PLIC): guests poll, as bare-metal start-up code does.
 */
import { Device, DeviceState } from './device';

export const UART_BASE = 0x10000000;

const LSR_DATA_READY = 0x01;
const LSR_THR_EMPTY = 0x20;
const LSR_TRANSMITTER_EMPTY = 0x40;
const LCR_DLAB = 0x80;

export interface UartPorts {
  transmit(byte: number): void;
  /** The next received byte, or null when none is waiting. */
  receive(): number | null;
}

export class Uart implements Device {
  readonly name = 'uart';
  readonly base = UART_BASE;
  readonly size = 0x100;
  private ier = 0;
  private lcr = 0;
  private mcr = 0;
  private scr = 0;
  private divisor = 0;
  private fcr = 0;
  /** A received byte the guest has not read yet. */
  private held: number | null = null;

  constructor(private readonly ports: UartPorts) {}

  read(offset: number): number {
    switch (offset & 7) {
      case 0:
        if (this.lcr & LCR_DLAB) return this.divisor & 0xff;
        this.poll();
        { const byte = this.held ?? 0; this.held = null; return byte; }
      case 1: return this.lcr & LCR_DLAB ? (this.divisor >>> 8) & 0xff : this.ier;
      case 2: return (this.fcr & 1 ? 0xc0 : 0) | 0x01; // no interrupt pending
      case 3: return this.lcr;
      case 4: return this.mcr;
      case 5: this.poll(); return LSR_THR_EMPTY | LSR_TRANSMITTER_EMPTY | (this.held !== null ? LSR_DATA_READY : 0);
      case 6: return 0xb0; // DCD, DSR, CTS asserted, as QEMU reports
      default: return this.scr;
    }
  }

  write(offset: number, _size: 1 | 2 | 4, value: number): void {
    value &= 0xff;
    switch (offset & 7) {
      case 0:
        if (this.lcr & LCR_DLAB) this.divisor = (this.divisor & 0xff00) | value;
        else this.ports.transmit(value);
        return;
      case 1:
        if (this.lcr & LCR_DLAB) this.divisor = (this.divisor & 0xff) | (value << 8);
        else this.ier = value & 0x0f;
        return;
      case 2: this.fcr = value; return;
      case 3: this.lcr = value; return;
      case 4: this.mcr = value & 0x1f; return;
      case 7: this.scr = value; return;
    }
  }

  private poll(): void {
    if (this.held === null) this.held = this.ports.receive();
  }

  save(): DeviceState {
    return { ier: this.ier, lcr: this.lcr, mcr: this.mcr, scr: this.scr, divisor: this.divisor, fcr: this.fcr, held: this.held };
  }

  restore(s: DeviceState): void {
    Object.assign(this, s);
  }
}
