/**
 * The physical address space as the hart sees it: RAM, then memory-mapped devices (CLINT, UART, test
 * finisher, …) at their `virt` addresses; anything else is an access fault. This is the slow path of
 * loads and stores: RAM accesses that compiled code and closures can do themselves never come here
 * (see compile.ts); MMIO, misaligned-into-device and bookkeeping accesses do.
 */
import { Device } from '../devices/device';
import { Cause, GuestTrap } from '../cpu/traps';
import { Ram } from './ram';

export class Bus {
  /**
   * Each device's first address and the one after its last, beside `devices`: looking them up in the
   * devices themselves, objects of as many classes, threw away the optimized load and store paths at
   * each device class a program first reached (bench/kernel, rtos: the PLIC, the CLINT, the UART).
   */
  private readonly bases: number[];
  private readonly ends: number[];

  constructor(readonly ram: Ram, private readonly devices: Device[]) {
    this.bases = devices.map((d) => d.base);
    this.ends = devices.map((d) => d.base + d.size);
  }

  /** A load of `size` bytes at `address`, sign- or zero-extended to an int32; throws a GuestTrap on a fault. */
  load(address: number, size: 1 | 2 | 4, signed: boolean, pc: number): number {
    let value: number;
    const offset = this.ram.offsetOf(address, size);
    if (offset >= 0) {
      value = this.ram.read(offset, size);
    } else {
      const device = this.deviceAt(address, size);
      if (!device) throw new GuestTrap(Cause.LoadAccessFault, this.faultingPart(address), pc);
      value = device.read(address - device.base, size);
    }
    if (size === 4) return value | 0;
    const shift = size === 1 ? 24 : 16;
    return signed ? (value << shift) >> shift : (value << shift) >>> shift;
  }

  /** A store; throws a GuestTrap on a fault. RAM writes go through RAM's write barrier. */
  store(address: number, size: 1 | 2 | 4, value: number, pc: number): void {
    const offset = this.ram.offsetOf(address, size);
    if (offset >= 0) {
      this.ram.write(offset, size, value);
    } else {
      const device = this.deviceAt(address, size);
      if (!device) throw new GuestTrap(Cause.StoreAccessFault, this.faultingPart(address), pc);
      device.write(address - device.base, size, value);
    }
  }

  /**
   * The address mtval reports for an access at `address` that faults: the part of it that faults (the
   * privileged spec), as QEMU reports it: for a misaligned access that starts in RAM and runs past its
   * end, the first byte after RAM.
   */
  private faultingPart(address: number): number {
    return this.ram.offsetOf(address) >= 0 ? (this.ram.base + this.ram.size) >>> 0 : address;
  }

  private deviceAt(address: number, size: number): Device | undefined {
    const bases = this.bases, ends = this.ends;
    for (let i = 0; i < bases.length; i++) if (address >= bases[i] && address + size <= ends[i]) return this.devices[i];
    return undefined;
  }

  /** Reads guest RAM for tools (debuggers, semihosting); bytes outside RAM read as zero. */
  peek(address: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      const offset = this.ram.offsetOf(address + i);
      if (offset >= 0) out[i] = this.ram.u8[offset];
    }
    return out;
  }

  /** Writes guest RAM on the guest's behalf (semihosting reads); bytes outside RAM are dropped. */
  poke(address: number, bytes: Uint8Array): void {
    bytes.forEach((byte, i) => {
      const offset = this.ram.offsetOf(address + i);
      if (offset >= 0) this.ram.write(offset, 1, byte);
    });
  }
}
