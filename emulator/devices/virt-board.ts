/**
 * The devices of QEMU's `virt` board around the hart, on one bus with RAM, and how their interrupts
 * reach it: the CLINT drives MSIP and MTIP, the PLIC drives MEIP and SEIP from its sources (the UART is
 * source 10), and console input reaches the UART as uart-input.ts says.
 */
import { ConsoleSink } from '../outside';
import { Bus } from '../memory/bus';
import { Ram } from '../memory/ram';
import { StopReason } from '../run/stop-reason';
import { Clint } from './clint';
import { DeviceState } from './device';
import { Plic } from './plic';
import { FinisherOutcome, TestFinisher } from './test-finisher';
import { Uart } from './uart';
import { InputHost, UART_IRQ, UartInput } from './uart-input';

/** mip's bits the CLINT drives (a const enum, a literal where used: csr-file.ts says why). */
const enum Mip { MSIP = 1 << 3, MTIP = 1 << 7 }

/** The machine as its devices see it. */
export interface BoardHost extends InputHost {
  /**
   * A device changed when interrupts come: if one now comes before the run slice ends, end the slice
   * (and the block) after the current instruction. One that comes no sooner needs nothing: a tick
   * handler that sets the next deadline runs on in its block.
   */
  interruptSourcesChanged(): void;
  /** The guest ended the run (test finisher). */
  halt(reason: StopReason): void;
}

export class VirtBoard {
  readonly clint: Clint;
  readonly plic = new Plic();
  readonly uart: Uart;
  readonly bus: Bus;
  readonly input: UartInput;

  constructor(host: BoardHost, ram: Ram, sink: ConsoleSink, stepsPerTick: number) {
    this.clint = new Clint(host, stepsPerTick);
    // A CLINT or PLIC store can come in the middle of a block. (A load that changes the PLIC, a claim,
    // only lowers its lines.)
    this.clint.onChange = this.plic.onChange = () => host.interruptSourcesChanged();
    this.uart = new Uart({
      transmit: (byte) => sink.write('stdout', Uint8Array.of(byte)),
      receive: () => this.input.poll(),
      interruptChanged: (line) => {
        this.plic.setLevel(UART_IRQ, line);
        host.interruptSourcesChanged();
      },
    });
    this.input = new UartInput(host, this.uart, this.plic);
    const finisher = new TestFinisher((outcome: FinisherOutcome) =>
      host.halt(outcome.kind === 'exit' ? { kind: 'exit', code: outcome.code, via: 'test-finisher' } : { kind: 'reset' }));
    this.bus = new Bus(ram, [this.clint, this.uart, this.plic, finisher]);
  }

  save(): { clint: DeviceState; uart: DeviceState; plic: DeviceState } {
    return { clint: this.clint.save(), uart: this.uart.save(), plic: this.plic.save() };
  }

  restore(s: { clint: DeviceState; uart: DeviceState; plic: DeviceState }): void {
    this.clint.restore(s.clint);
    this.uart.restore(s.uart);
    this.plic.restore(s.plic);
  }

  /** The mip bits the devices drive now. */
  pendingInterrupts(): number {
    return (this.clint.msip ? Mip.MSIP : 0) | (this.clint.timerPending() ? Mip.MTIP : 0) | this.plic.lines;
  }
}
