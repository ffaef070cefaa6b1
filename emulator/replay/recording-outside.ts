/**
 * Recording: an OutsideWorld that passes every question to the real outside world and notes each
 * answer with the step it was given at. Questions answered "nothing yet" (no UART byte waiting, input
 * not typed yet) are not logged: a replay asks at the same steps and gets "nothing" wherever the log
 * has no answer.
 */
import { OutsideWorld } from '../outside';
import { InputEvent } from './recording-format';

export class RecordingOutside implements OutsideWorld {
  constructor(private readonly live: OutsideWorld, private readonly onEvent: (event: InputEvent) => void) {}

  readConsole(step: number, max: number): Uint8Array | undefined {
    const bytes = this.live.readConsole(step, max);
    if (bytes !== undefined) this.onEvent({ step, kind: 'console', bytes: bytes.slice() });
    return bytes;
  }

  pollUart(step: number): number | null {
    const byte = this.live.pollUart(step);
    if (byte !== null) this.onEvent({ step, kind: 'uart', byte });
    return byte;
  }

  uartArrivalStep(step: number, idle: number, timerDue?: boolean): number {
    return this.live.uartArrivalStep(step, idle, timerDue);
  }

  idleWaitsBeforeInput(): number {
    return this.live.idleWaitsBeforeInput?.() ?? Infinity;
  }

  uartArrival(step: number): number {
    const byte = this.live.uartArrival(step);
    this.onEvent({ step, kind: 'uart', byte, arrived: true });
    return byte;
  }

  uartInputEnded(): boolean {
    return this.live.uartInputEnded?.() ?? false;
  }

  dateAtStart(step: number): number {
    const seconds = Math.floor(this.live.dateAtStart(step));
    this.onEvent({ step, kind: 'clock', seconds });
    return seconds;
  }
}
