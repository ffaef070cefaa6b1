/**
 * When console input reaches the UART. A guest that polls (reads LSR or RBR) asks the outside world at
 * the step of its read. A guest that waits for the receive interrupt (IER bit 0, the PLIC routing source
 * 10 to a context whose interrupt the hart would take now) asks nothing: the byte arrives by itself, at
 * the step the outside world says, between two instructions, and the interrupt is taken at that step.
 *
 * Why this keeps replays exact: the outside world is asked only at steps the guest's state decides
 * (a read, or the run loop between instructions while the interrupt is awaited), and the two kinds are
 * recorded apart (a byte that arrived is marked so), so a replay asks the same questions at the same
 * steps. While the interrupt is awaited, reads do not ask: a byte that came in the middle of a block
 * would be taken as an interrupt at a step that depends on where the block ends.
 */
import { OutsideWorld } from '../outside';
import { takeable, TrapHost } from '../cpu/trap-entry';
import { Plic } from './plic';
import { Uart } from './uart';

/** The UART's interrupt source on QEMU's `virt` board. */
export const UART_IRQ = 10;

/** The machine as console input sees it. */
export interface InputHost extends TrapHost {
  readonly outside: OutsideWorld;
  /** Steps taken (exact between instructions; inside a block, its first step). */
  readonly step: number;
  /** Steps taken before the instruction now executing. */
  exactStep(): number;
  /** A poll that finds the input ended ends the run in progress (Machine.endRunAtEndedInput). */
  readonly endRunAtEndedInput: boolean;
  endRun(): void;
}

export class UartInput {
  constructor(private readonly m: InputHost, private readonly uart: Uart, private readonly plic: Plic) {}

  /** A received byte would be taken as an interrupt now: the guest waits for it. */
  private awaited(takeable: number): boolean {
    return this.uart.waitsForReceiveInterrupt && (this.plic.routes(UART_IRQ) & takeable) !== 0;
  }

  /** A guest read of the receive buffer or line status asks for a byte (unless it awaits the interrupt). */
  poll(): number | null {
    if (this.awaited(takeable(this.m))) return null;
    const byte = this.m.outside.pollUart(this.m.exactStep());
    if (byte === null && this.m.endRunAtEndedInput && this.m.outside.uartInputEnded?.() === true) this.m.endRun();
    return byte;
  }

  /**
   * The step from which a byte's arrival makes one of the `enabled` interrupts pending (Infinity: none
   * known). `idle`: the idle `wfi`s the question stands for (0: not asked from `wfi`); `timerDue`: a timer
   * interrupt will come too.
   */
  arrivalStep(enabled: number, idle: number, timerDue: boolean): number {
    if (!this.awaited(enabled)) return Infinity;
    return this.m.outside.uartArrivalStep(this.m.step, idle, timerDue);
  }

  /**
   * How many idle `wfi`s may pass before input the guest awaits (the receive interrupt would be taken)
   * arrives after a count of them (OutsideWorld.idleWaitsBeforeInput); Infinity if it does not await any.
   */
  idleWaitsBeforeArrival(): number {
    if (!this.awaited(takeable(this.m))) return Infinity;
    return this.m.outside.idleWaitsBeforeInput?.() ?? Infinity;
  }

  /** Between two instructions: a byte due at this step arrives (and raises the receive interrupt). */
  receiveDue(): void {
    const step = this.m.step;
    if (this.awaited(takeable(this.m)) && this.m.outside.uartArrivalStep(step, 0) <= step) {
      this.uart.receive(this.m.outside.uartArrival(step));
    }
  }
}
