/**
 * The glue between an `ebreak` and semihosting.ts: recognising the semihosting sequence
 * (`slli x0,x0,0x1f; ebreak; srai x0,x0,7`) around an ebreak, and the guest as semihosting sees it
 * (memory, the exact step, the heap, exit and input waits).
 */
import { Bus } from './memory/bus';
import { InputWait } from './cpu/traps';
import { SEMIHOSTING_ENTRY, SEMIHOSTING_EXIT, SemihostingGuest } from './semihosting';
import { StopReason } from './run/stop-reason';

/** Whether the ebreak at `pc` is a semihosting call. */
export function isSemihostingCall(bus: Bus, pc: number): boolean {
  const ram = bus.ram;
  const before = ram.offsetOf(pc - 4, 4);
  const after = ram.offsetOf(pc + 4, 4);
  return before >= 0 && after >= 0 && ram.read(before, 4) >>> 0 === SEMIHOSTING_ENTRY && ram.read(after, 4) >>> 0 === SEMIHOSTING_EXIT;
}

/**
 * Where QEMU's virt board puts the device tree it loads for firmware: the last 2 MiB-aligned address
 * below the end of RAM that leaves it room (0x87e00000 with 128 MiB). Its SYS_HEAPINFO ends the heap,
 * and starts the stack, there; so does ours, so that start-up code taking its stack from SYS_HEAPINFO
 * runs with the same stack (and prints the same addresses) on both.
 */
function belowDeviceTree(ramEnd: number): number {
  return ((ramEnd - 1) & ~(2 * 1024 * 1024 - 1)) >>> 0;
}

/** The guest for the semihosting call at `pc`, made at `step`; the heap starts after `imageEnd`. */
export function semihostingGuest(bus: Bus, pc: number, step: number, imageEnd: number, halt: (reason: StopReason) => void): SemihostingGuest {
  return {
    step,
    readWord: (address) => new DataView(bus.peek(address, 4).buffer).getInt32(0, true),
    readBytes: (address, length) => bus.peek(address, Math.min(length, 1 << 20)),
    writeBytes: (address, bytes) => bus.poke(address, bytes),
    heapInfo: () => {
      const heapBase = (imageEnd + 15) & ~15;
      const top = belowDeviceTree(bus.ram.base + bus.ram.size);
      return [heapBase, top, top, heapBase];
    },
    exit: (code) => halt({ kind: 'exit', code, via: 'semihosting' }),
    waitForInput: () => { throw new InputWait(pc); },
  };
}
