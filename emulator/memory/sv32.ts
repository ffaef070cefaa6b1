/**
 * Sv32 address translation (privileged spec 1.12, section 4.3): a two-level walk from satp's root page
 * table, the permission checks (R/W/X, U with SUM and MXR), 4 MiB superpages, and the accessed and dirty
 * bits set by the walk itself, as QEMU does (a store through a clean page sets D; the first access A).
 *
 * There is no TLB: every access walks the tables as they are in RAM now. A guest that changes a page
 * table without sfence.vma therefore sees the change at once (the spec allows either), and nothing can
 * be stale: translations, like everything else here, are a pure function of the machine's state.
 */
import { CsrFile, Mstatus } from '../cpu/csr-file';
import { Cause, GuestTrap } from '../cpu/traps';
import { Ram } from './ram';

export const enum Access { Fetch = 0, Load = 1, Store = 2 }

const PTE_V = 1, PTE_R = 2, PTE_W = 4, PTE_X = 8, PTE_U = 16, PTE_A = 64, PTE_D = 128;
const PAGE_FAULT = [Cause.InstructionPageFault, Cause.LoadPageFault, Cause.StorePageFault];
const ACCESS_FAULT = [Cause.InstructionAccessFault, Cause.LoadAccessFault, Cause.StoreAccessFault];

/** The machine as translation sees it. */
export interface TranslationHost {
  readonly csr: CsrFile;
  readonly privilege: number;
  readonly ram: Ram;
}

/** The privilege data accesses are made with: MPRV makes M-mode loads and stores use MPP's. */
export function dataPrivilege(m: TranslationHost): number {
  const status = m.csr.mstatus;
  return m.privilege === 3 && (status & Mstatus.MPRV) !== 0 ? (status & Mstatus.MPP) >>> 11 : m.privilege;
}

/** Whether an access of this kind is translated now. */
export function translates(m: TranslationHost, access: Access): boolean {
  if (m.csr.satp >= 0) return false; // MODE (bit 31) is Bare
  return (access === Access.Fetch ? m.privilege : dataPrivilege(m)) < 3;
}

/**
 * The physical address of virtual address `va` for an access of kind `access` by the instruction at
 * `pc`; throws the page fault (or, for a page table outside RAM, the access fault) the spec says.
 */
export function translate(m: TranslationHost, va: number, access: Access, pc: number): number {
  va >>>= 0;
  const csr = m.csr;
  const privilege = access === Access.Fetch ? m.privilege : dataPrivilege(m);
  const fault = (): never => { throw new GuestTrap(PAGE_FAULT[access], va, pc); };
  const ram = m.ram;
  let table = (csr.satp & 0x3fffff) * 4096;
  for (let level = 1; level >= 0; level--) {
    const vpn = level === 1 ? va >>> 22 : (va >>> 12) & 0x3ff;
    const pteAddress = table + vpn * 4;
    // Physical addresses have 34 bits; RAM and devices are below 2^32.
    const offset = pteAddress < 4294967296 ? ram.offsetOf(pteAddress, 4) : -1;
    if (offset < 0) throw new GuestTrap(ACCESS_FAULT[access], va, pc);
    let pte = ram.i32[offset >>> 2];
    if ((pte & PTE_V) === 0 || ((pte & PTE_R) === 0 && (pte & PTE_W) !== 0)) fault();
    const ppn = pte >>> 10;
    if ((pte & (PTE_R | PTE_X)) === 0) {
      // A pointer to the next level; a pointer at the last level is a fault.
      if (level === 0) fault();
      table = ppn * 4096;
      continue;
    }
    // A leaf: check the permissions for this privilege and kind of access.
    if (privilege === 0 ? (pte & PTE_U) === 0 : (pte & PTE_U) !== 0 && (access === Access.Fetch || (csr.mstatus & Mstatus.SUM) === 0)) fault();
    const allowed = access === Access.Fetch ? (pte & PTE_X) !== 0
      : access === Access.Load ? (pte & PTE_R) !== 0 || ((csr.mstatus & Mstatus.MXR) !== 0 && (pte & PTE_X) !== 0)
        : (pte & PTE_W) !== 0;
    if (!allowed) fault();
    // A superpage must be aligned: its low page number must be zero.
    if (level === 1 && (ppn & 0x3ff) !== 0) fault();
    const wanted = PTE_A | (access === Access.Store ? PTE_D : 0);
    if ((pte & wanted) !== wanted) {
      pte |= wanted;
      ram.write(offset, 4, pte);
    }
    const physical = level === 1 ? (ppn >>> 10) * 0x400000 + (va & 0x3fffff) : ppn * 4096 + (va & 0xfff);
    if (physical >= 4294967296) throw new GuestTrap(ACCESS_FAULT[access], va, pc);
    return physical;
  }
  return fault();
}

/**
 * Where virtual address `va` maps now, for tools (a debugger's memory view, disassembly): the same walk
 * without permission checks and without setting A or D (looking must not change the machine); -1 when
 * nothing is mapped there.
 */
export function lookup(m: TranslationHost, va: number): number {
  va >>>= 0;
  const ram = m.ram;
  let table = (m.csr.satp & 0x3fffff) * 4096;
  for (let level = 1; level >= 0; level--) {
    const vpn = level === 1 ? va >>> 22 : (va >>> 12) & 0x3ff;
    const pteAddress = table + vpn * 4;
    const offset = pteAddress < 4294967296 ? ram.offsetOf(pteAddress, 4) : -1;
    if (offset < 0) return -1;
    const pte = ram.i32[offset >>> 2];
    if ((pte & PTE_V) === 0) return -1;
    const ppn = pte >>> 10;
    if ((pte & (PTE_R | PTE_X)) === 0) {
      table = ppn * 4096;
      continue;
    }
    const physical = level === 1 ? (ppn >>> 10) * 0x400000 + (va & 0x3fffff) : ppn * 4096 + (va & 0xfff);
    return physical < 4294967296 ? physical : -1;
  }
  return -1;
}
