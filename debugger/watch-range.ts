/**
 * What a watch can cover (a data breakpoint, a gdb watchpoint, Go to Last Write): the engine watches
 * stores to and loads from RAM, and clips a range to the RAM it covers (emulator/run/watched-pages.ts).
 * A range with no RAM in it (device registers, nothing at all) would watch nothing and never fire, so
 * every front end refuses it with this sentence instead.
 */
import { MachineConfig } from '../emulator/machine-config';
import { hexNumber } from '../emulator/hex';
import { countText } from './count-text';

/** Why `length` bytes at `address` cannot be watched, or undefined when some of them are RAM. */
export function watchRangeProblem(address: number, length: number, config: Pick<MachineConfig, 'ramBase' | 'ramSize'>): string | undefined {
  if (!(length >= 1)) return 'a watched range needs a length of 1 byte or more';
  const ramEnd = config.ramBase + config.ramSize;
  if (address < ramEnd && address + length > config.ramBase) return undefined;
  return `${countText(length)} bytes at ${hexNumber(address)} hold no RAM, so nothing there can be watched: ` +
    `Rewind watches RAM only, ${hexNumber(config.ramBase)} to ${hexNumber(ramEnd - 1)}`;
}
