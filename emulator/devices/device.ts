/** A memory-mapped device on the bus. Offsets are relative to `base`; values are little-endian. */
export interface Device {
  readonly name: string;
  readonly base: number;
  readonly size: number;
  read(offset: number, size: 1 | 2 | 4): number;
  write(offset: number, size: 1 | 2 | 4, value: number): void;
}

/** A device's state for snapshots: plain data. */
export type DeviceState = Record<string, number | number[] | boolean | null>;
