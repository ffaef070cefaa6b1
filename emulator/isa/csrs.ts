/**
 * Control and status register numbers and names (machine, supervisor and user level) that the machine
 * implements.
 * The CPU's CSR file, the disassembler and the language server all use this list.
 */

export interface CsrSpec {
  readonly number: number;
  readonly name: string;
  readonly description: string;
}

const list: CsrSpec[] = [
  { number: 0xc00, name: 'cycle', description: 'cycle counter (user read-only shadow of mcycle)' },
  { number: 0xc01, name: 'time', description: 'timer (user read-only shadow of the CLINT mtime)' },
  { number: 0xc02, name: 'instret', description: 'instructions retired (user read-only shadow of minstret)' },
  { number: 0xc80, name: 'cycleh', description: 'upper 32 bits of cycle' },
  { number: 0xc81, name: 'timeh', description: 'upper 32 bits of time' },
  { number: 0xc82, name: 'instreth', description: 'upper 32 bits of instret' },
  { number: 0xf11, name: 'mvendorid', description: 'vendor ID' },
  { number: 0xf12, name: 'marchid', description: 'architecture ID' },
  { number: 0xf13, name: 'mimpid', description: 'implementation ID' },
  { number: 0xf14, name: 'mhartid', description: 'hardware thread ID' },
  { number: 0xf15, name: 'mconfigptr', description: 'pointer to the configuration data structure' },
  { number: 0x100, name: 'sstatus', description: 'supervisor status: the S-mode view of mstatus (SIE, SPIE, SPP, SUM, MXR)' },
  { number: 0x104, name: 'sie', description: 'supervisor interrupt enable (the delegated bits of mie)' },
  { number: 0x105, name: 'stvec', description: 'supervisor trap-handler base address (mode in bits 1:0)' },
  { number: 0x106, name: 'scounteren', description: 'supervisor counter enable for user mode' },
  { number: 0x10a, name: 'senvcfg', description: 'supervisor environment configuration' },
  { number: 0x140, name: 'sscratch', description: 'scratch register for supervisor trap handlers' },
  { number: 0x141, name: 'sepc', description: 'supervisor exception program counter' },
  { number: 0x142, name: 'scause', description: 'supervisor trap cause' },
  { number: 0x143, name: 'stval', description: 'supervisor bad address or instruction' },
  { number: 0x144, name: 'sip', description: 'supervisor interrupt pending (the delegated bits of mip)' },
  { number: 0x180, name: 'satp', description: 'supervisor address translation and protection (Sv32 mode, ASID, root page)' },
  { number: 0x300, name: 'mstatus', description: 'machine status (MIE, MPIE, MPP, SIE, SPIE, SPP, MPRV, SUM, MXR, TVM, TW, TSR)' },
  { number: 0x301, name: 'misa', description: 'ISA and extensions' },
  { number: 0x302, name: 'medeleg', description: 'machine exception delegation to S-mode' },
  { number: 0x303, name: 'mideleg', description: 'machine interrupt delegation to S-mode' },
  { number: 0x304, name: 'mie', description: 'machine interrupt enable' },
  { number: 0x305, name: 'mtvec', description: 'machine trap-handler base address (mode in bits 1:0)' },
  { number: 0x306, name: 'mcounteren', description: 'machine counter enable for user mode' },
  { number: 0x30a, name: 'menvcfg', description: 'machine environment configuration' },
  { number: 0x310, name: 'mstatush', description: 'upper 32 bits of mstatus' },
  { number: 0x31a, name: 'menvcfgh', description: 'upper 32 bits of menvcfg' },
  { number: 0x320, name: 'mcountinhibit', description: 'machine counter inhibit' },
  { number: 0x340, name: 'mscratch', description: 'scratch register for machine trap handlers' },
  { number: 0x341, name: 'mepc', description: 'machine exception program counter' },
  { number: 0x342, name: 'mcause', description: 'machine trap cause' },
  { number: 0x343, name: 'mtval', description: 'machine bad address or instruction' },
  { number: 0x344, name: 'mip', description: 'machine interrupt pending' },
  { number: 0x747, name: 'mseccfg', description: 'machine security configuration' },
  { number: 0x7a0, name: 'tselect', description: 'debug/trace trigger register select' },
  { number: 0x7a1, name: 'tdata1', description: 'first debug/trace trigger data register' },
  { number: 0x7a2, name: 'tdata2', description: 'second debug/trace trigger data register' },
  { number: 0x7a3, name: 'tdata3', description: 'third debug/trace trigger data register' },
  { number: 0xb00, name: 'mcycle', description: 'machine cycle counter' },
  { number: 0xb02, name: 'minstret', description: 'machine instructions-retired counter' },
  { number: 0xb80, name: 'mcycleh', description: 'upper 32 bits of mcycle' },
  { number: 0xb82, name: 'minstreth', description: 'upper 32 bits of minstret' },
];
for (let i = 0; i < 16; i++) list.push({ number: 0x3a0 + i, name: `pmpcfg${i}`, description: 'physical memory protection configuration' });
for (let i = 0; i < 64; i++) list.push({ number: 0x3b0 + i, name: `pmpaddr${i}`, description: 'physical memory protection address' });
for (let i = 3; i < 32; i++) {
  list.push({ number: 0xb00 + i, name: `mhpmcounter${i}`, description: 'machine performance-monitoring counter' });
  list.push({ number: 0xb80 + i, name: `mhpmcounter${i}h`, description: 'upper 32 bits of a performance-monitoring counter' });
  list.push({ number: 0x320 + i, name: `mhpmevent${i}`, description: 'machine performance-monitoring event selector' });
}

export const CSRS: readonly CsrSpec[] = list;
const byNumber = new Map(list.map((c) => [c.number, c]));
const byName = new Map(list.map((c) => [c.name, c]));

export const csrName = (n: number): string => byNumber.get(n)?.name ?? `0x${n.toString(16)}`;
export const csrByName = (name: string): CsrSpec | undefined => byName.get(name.toLowerCase());
