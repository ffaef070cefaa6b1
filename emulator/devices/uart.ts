/**
 * The NS16550A UART of QEMU's `virt` board at 0x10000000, byte-wide registers. Output goes to the
 * console sink; input comes from the outside world one byte at a time, asked for when the guest looks
 * (reads LSR or RBR), so a byte arrives at a step the guest itself chose and the replay can repeat it.
 *
 * Interrupts (its line is PLIC source 10 on `virt`): received data (IER bit 0, while a byte waits) and
 * transmitter empty (IER bit 1; transmits complete at once, so after every THR write, until IIR reports
 * it), with IIR saying which, as QEMU's 16550 does. A guest that waits for the receive interrupt does not
 * ask: the machine hands the UART a byte (`receive`) at the step the outside world delivers it (see
 * Machine.receiveDueInput), and while such an interrupt would be taken, reads do not ask either.
 */
import { Device, DeviceState } from './device';
import { markMutable } from '../mutable-fields';

export const UART_BASE = 0x10000000;

const LSR_DATA_READY = 0x01;
const LSR_THR_EMPTY = 0x20;
const LSR_TRANSMITTER_EMPTY = 0x40;
const LCR_DLAB = 0x80;
const IER_RECEIVED = 0x01;
const IER_TRANSMIT_EMPTY = 0x02;
const IIR_NONE = 0x01;
const IIR_TRANSMIT_EMPTY = 0x02;
const IIR_RECEIVED = 0x04;

export interface UartPorts {
  transmit(byte: number): void;
  /** The next received byte, or null when none is waiting (or the guest must wait for the interrupt). */
  receive(): number | null;
  /** The interrupt line (PLIC source 10) changed, or the receive interrupt was enabled or disabled. */
  interruptChanged(line: boolean): void;
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
  /** The transmitter-empty interrupt is pending (since the last transmit, until IIR reports it). */
  private transmitEmpty = false;
  private line = false;

  constructor(private readonly ports: UartPorts) {
    // The run loop reads these (waitsForReceiveInterrupt) before a guest first sets them up.
    markMutable(this, { ier: 1, held: 0 });
  }

  /** A received byte waits for the guest (what LSR's data-ready bit says), read without side effects. */
  get holdsByte(): boolean {
    return this.held !== null;
  }

  read(offset: number): number {
    switch (offset & 7) {
      case 0:
        if (this.lcr & LCR_DLAB) return this.divisor & 0xff;
        this.poll();
        { const byte = this.held ?? 0; this.held = null; this.update(); return byte; }
      case 1: return this.lcr & LCR_DLAB ? (this.divisor >>> 8) & 0xff : this.ier;
      case 2: {
        const iir = this.iir();
        if (iir === IIR_TRANSMIT_EMPTY) {
          this.transmitEmpty = false;
          this.update();
        }
        return (this.fcr & 1 ? 0xc0 : 0) | iir;
      }
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
        if (this.lcr & LCR_DLAB) {
          this.divisor = (this.divisor & 0xff00) | value;
        } else {
          this.ports.transmit(value);
          if (this.ier & IER_TRANSMIT_EMPTY) {
            this.transmitEmpty = true;
            this.update();
          }
        }
        return;
      case 1:
        if (this.lcr & LCR_DLAB) {
          this.divisor = (this.divisor & 0xff) | (value << 8);
        } else {
          const enabled = value & 0x0f & ~this.ier;
          this.ier = value & 0x0f;
          // Enabling the transmitter-empty interrupt raises it at once: the transmitter is always empty.
          this.transmitEmpty = (this.ier & IER_TRANSMIT_EMPTY) !== 0 && (this.transmitEmpty || (enabled & IER_TRANSMIT_EMPTY) !== 0);
          this.update(true);
        }
        return;
      case 2: this.fcr = value; return;
      case 3: this.lcr = value; return;
      case 4: this.mcr = value & 0x1f; return;
      case 7: this.scr = value; return;
    }
  }

  /** A guest waiting for the receive interrupt gets no byte from reads: it waits for `receive`. */
  get waitsForReceiveInterrupt(): boolean {
    return (this.ier & IER_RECEIVED) !== 0 && this.held === null;
  }

  /** A byte arrives from outside (the guest waits for the receive interrupt). */
  receive(byte: number): void {
    this.held = byte;
    this.update();
  }

  /** The interrupt IIR reports: received data first, then transmitter empty. */
  private iir(): number {
    if ((this.ier & IER_RECEIVED) !== 0 && this.held !== null) return IIR_RECEIVED;
    if ((this.ier & IER_TRANSMIT_EMPTY) !== 0 && this.transmitEmpty) return IIR_TRANSMIT_EMPTY;
    return IIR_NONE;
  }

  /** The line follows IIR; `enablesChanged` also tells when only what a byte would do changed. */
  private update(enablesChanged = false): void {
    const line = this.iir() !== IIR_NONE;
    if (line === this.line && !enablesChanged) return;
    this.line = line;
    this.ports.interruptChanged(line);
  }

  private poll(): void {
    if (this.held === null) {
      this.held = this.ports.receive();
      if (this.held !== null) this.update();
    }
  }

  save(): DeviceState {
    return {
      ier: this.ier, lcr: this.lcr, mcr: this.mcr, scr: this.scr, divisor: this.divisor, fcr: this.fcr, held: this.held,
      transmitEmpty: this.transmitEmpty,
    };
  }

  restore(s: DeviceState): void {
    Object.assign(this, { transmitEmpty: false }, s);
    this.line = this.iir() !== IIR_NONE;
  }
}
