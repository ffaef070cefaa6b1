/**
 * The fields of the CSRs that a debugger user reads (privileged spec, RV32): one table entry per CSR.
 * Adding a CSR's fields is adding an entry here; the S-mode views reuse the M-mode tables' fields.
 */
import { BitField } from './bit-fields';

const PRIVILEGE = { 0: 'U', 1: 'S', 3: 'M' } as const;
const flag = (name: string, bit: number, description: string): BitField => ({ name, hi: bit, lo: bit, description });

/** Interrupt bits shared by mie and mip (enable / pending). */
const interrupts = (suffix: 'IE' | 'IP', what: string): BitField[] => [
  flag(`SS${suffix}`, 1, `supervisor software interrupt ${what}`),
  flag(`MS${suffix}`, 3, `machine software interrupt ${what} (CLINT msip)`),
  flag(`ST${suffix}`, 5, `supervisor timer interrupt ${what}`),
  flag(`MT${suffix}`, 7, `machine timer interrupt ${what} (CLINT mtime ≥ mtimecmp)`),
  flag(`SE${suffix}`, 9, `supervisor external interrupt ${what}`),
  flag(`ME${suffix}`, 11, `machine external interrupt ${what}`),
];

const MSTATUS: BitField[] = [
    flag('SIE', 1, 'supervisor interrupts enabled'),
    flag('MIE', 3, 'machine interrupts enabled'),
    flag('SPIE', 5, 'SIE before the last trap into S-mode'),
    flag('UBE', 6, 'user accesses are big-endian'),
    flag('MPIE', 7, 'MIE before the last trap into M-mode (restored by mret)'),
    { name: 'SPP', hi: 8, lo: 8, description: 'privilege before the last trap into S-mode', values: { 0: 'U', 1: 'S' } },
    { name: 'VS', hi: 10, lo: 9, description: 'vector unit state', values: { 0: 'Off', 1: 'Initial', 2: 'Clean', 3: 'Dirty' } },
    { name: 'MPP', hi: 12, lo: 11, description: 'privilege before the last trap into M-mode (mret returns to it)', values: PRIVILEGE },
    { name: 'FS', hi: 14, lo: 13, description: 'floating-point unit state', values: { 0: 'Off', 1: 'Initial', 2: 'Clean', 3: 'Dirty' } },
    { name: 'XS', hi: 16, lo: 15, description: 'other extensions\' state', values: { 0: 'Off', 1: 'Initial', 2: 'Clean', 3: 'Dirty' } },
    flag('MPRV', 17, 'loads and stores use the privilege in MPP'),
    flag('SUM', 18, 'S-mode may access user pages'),
    flag('MXR', 19, 'loads from executable pages are allowed'),
    flag('TVM', 20, 'trap S-mode satp accesses and sfence.vma'),
    flag('TW', 21, 'trap wfi outside M-mode'),
    flag('TSR', 22, 'trap sret in S-mode'),
    flag('SD', 31, 'some state is dirty (FS, VS or XS)'),
];

const TVEC = (who: string): BitField[] => [
  { name: 'BASE', hi: 31, lo: 2, description: `${who} trap handler address (4-byte aligned)`, show: 'address' },
  { name: 'MODE', hi: 1, lo: 0, description: 'where traps go', values: { 0: 'Direct', 1: 'Vectored' } },
];

const CAUSE: BitField[] = [
  flag('Interrupt', 31, '1: an interrupt caused the trap; 0: an exception'),
  { name: 'Code', hi: 30, lo: 0, description: 'the exception or interrupt number' },
];

/** The supervisor's view of mstatus and of the interrupt bits: the same fields, fewer of them. */
const S_STATUS = new Set(['SIE', 'SPIE', 'UBE', 'SPP', 'VS', 'FS', 'XS', 'SUM', 'MXR', 'SD']);
const S_INTERRUPTS = new Set(['SSIE', 'STIE', 'SEIE', 'SSIP', 'STIP', 'SEIP']);
const EXCEPTIONS = ['instruction misaligned', 'instruction access fault', 'illegal instruction', 'breakpoint', 'load misaligned', 'load access fault',
  'store misaligned', 'store access fault', 'ecall from U-mode', 'ecall from S-mode', '', 'ecall from M-mode', 'instruction page fault', 'load page fault', '', 'store page fault'];
const delegation = (names: readonly string[], what: string): BitField[] =>
  names.flatMap((name, bit) => (name ? [flag(name.replace(/ /g, '_'), bit, `${what} ${name} to S-mode`)] : []));

export const CSR_FIELDS: Readonly<Record<string, readonly BitField[]>> = {
  mstatus: MSTATUS,
  sstatus: MSTATUS.filter((f) => S_STATUS.has(f.name)),
  misa: [
    { name: 'MXL', hi: 31, lo: 30, description: 'native register width', values: { 1: '32-bit', 2: '64-bit', 3: '128-bit' } },
    { name: 'Extensions', hi: 25, lo: 0, description: 'the extensions the hart implements, by letter', show: 'letters' },
  ],
  mie: interrupts('IE', 'enabled'),
  mip: interrupts('IP', 'pending'),
  sie: interrupts('IE', 'enabled').filter((f) => S_INTERRUPTS.has(f.name)),
  sip: interrupts('IP', 'pending').filter((f) => S_INTERRUPTS.has(f.name)),
  mcause: CAUSE,
  scause: CAUSE,
  mtvec: TVEC('machine'),
  stvec: TVEC('supervisor'),
  medeleg: delegation(EXCEPTIONS, 'delegate'),
  mideleg: interrupts('IP', 'delegated').filter((f) => S_INTERRUPTS.has(f.name)),
  satp: [
    { name: 'MODE', hi: 31, lo: 31, description: 'address translation', values: { 0: 'Bare (off)', 1: 'Sv32' } },
    { name: 'ASID', hi: 30, lo: 22, description: 'address-space identifier' },
    { name: 'PPN', hi: 21, lo: 0, description: 'root page table\'s physical page number' },
  ],
  mcounteren: [flag('CY', 0, 'U/S-mode may read cycle'), flag('TM', 1, 'U/S-mode may read time'), flag('IR', 2, 'U/S-mode may read instret')],
  mcountinhibit: [flag('CY', 0, 'mcycle stopped'), flag('IR', 2, 'minstret stopped')],
};
