/** The machine at the current step as the symbol reader sees it: registers, RAM, and the trap CSRs. */
import { Machine } from '../emulator/machine';
import { MachineView } from './symbols/api';

export function machineView(machine: Machine): MachineView {
  const { ramBase, ramSize } = machine.config;
  return {
    register: (n) => (n === 0 ? 0 : machine.x[n] >>> 0),
    get pc() { return machine.pc >>> 0; },
    readMemory: (address, length) => {
      // Only RAM is read: reading a device register could have effects, and outside RAM nothing is mapped.
      const start = address >>> 0;
      if (start < ramBase || start >= ramBase + ramSize) return new Uint8Array(0);
      return machine.peek(start, Math.min(length, ramBase + ramSize - start));
    },
    trapState: () => {
      const csr = machine.csr;
      return { mtvec: csr.mtvec >>> 0, mepc: csr.mepc >>> 0, mcause: csr.mcause >>> 0, stvec: csr.stvec >>> 0, sepc: csr.sepc >>> 0, scause: csr.scause >>> 0 };
    },
  };
}
