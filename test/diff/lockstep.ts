/**
 * Lockstep comparison of Rewind with a QEMU trace: the machine's registers before each instruction
 * against QEMU's register dump before the same instruction.
 *
 * The caller starts Rewind's step counter at the number of instructions QEMU's reset ROM ran (6):
 * under `-icount` QEMU's clock counts them, and mtime, mcycle and minstret follow the clock.
 *
 * Alignment (one QEMU record per Rewind step, with these known exceptions):
 * - QEMU starts in its reset ROM; the trace starts at the ELF's entry, where Rewind starts. The ROM
 *   leaves values in a0 (hart id), a1 (device tree address), a2 (firmware info) and t0 (the entry
 *   address); Rewind's machine starts with zeros there. Those four are copied from QEMU's first record
 *   into Rewind before comparing, so a program that uses them stays comparable; any other difference at
 *   the entry is a mismatch.
 * - Under `-icount`, QEMU runs an instruction that touches a device twice (the first attempt is
 *   abandoned and the instruction recompiled as the block's last), logging the same record twice.
 *   A record that repeats the one before exactly, where Rewind has moved on, is skipped.
 * - SYS_WRITEC and SYS_WRITE0 leave a0 undefined ("corrupted", says the semihosting specification);
 *   QEMU writes 0xdeadbeef there, Rewind 0. After such a call Rewind's a0 is set to QEMU's value.
 * - Rewind counts taking an interrupt as a step of its own (pc unchanged, then the handler); QEMU takes
 *   interrupts between instructions and logs no record for it. When Rewind's pc disagrees and its next
 *   step takes an interrupt, that step is taken and the comparison repeated.
 */
import { Machine } from '../../emulator/machine';
import { Mcause } from '../../emulator/cpu/traps';
import { TRACED_CSRS, TraceRecord, TracedCsr } from '../support/qemu';

/** The CSR values a guest would read (read directly: the machine may be in user mode). */
function csrValue(machine: Machine, name: TracedCsr): number {
  return name === 'mip' ? machine.pendingInterrupts() : machine.csr[name];
}
const ABI = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7',
  's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'];
/** Registers QEMU's reset ROM sets before jumping to the entry: a0, a1, a2, t0. */
export const BOOT_ROM_REGISTERS = [10, 11, 12, 5];

const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

export interface LockstepResult {
  /** QEMU records compared (each one instruction). */
  compared: number;
  /** Rewind's step at each compared record, and that record's index (for re-checking at those positions). */
  steps: number[];
  recordIndex: number[];
  /** Interrupts Rewind took between records (QEMU logs none for them). */
  interrupts: number[];
  /** QEMU records skipped because they repeat the one before exactly (an instruction QEMU ran twice). */
  repeatedRecords: number;
  /** Semihosting calls after which a0 was taken from QEMU (it is undefined by the specification). */
  undefinedA0: number;
  /** The first disagreement, described for a human; undefined when all agree. */
  mismatch?: string;
}

/** The differences between Rewind's state now and `record`, as "reg: expected (QEMU) / actual (Rewind)". */
export function differences(machine: Machine, record: TraceRecord): string[] {
  const out: string[] = [];
  if ((machine.pc >>> 0) !== record.pc) out.push(`pc: QEMU ${hex(record.pc)}, Rewind ${hex(machine.pc)}`);
  for (let i = 1; i < 32; i++) {
    const actual = machine.x[i] >>> 0;
    if (actual !== record.x[i]) out.push(`x${i}/${ABI[i]}: QEMU ${hex(record.x[i])}, Rewind ${hex(actual)}`);
  }
  for (const name of TRACED_CSRS) {
    const actual = csrValue(machine, name) >>> 0;
    if (actual !== record.csr[name]) out.push(`${name}: QEMU ${hex(record.csr[name])}, Rewind ${hex(actual)}`);
  }
  return out;
}

/** Walks `records` with `machine` (at the entry, step 0) one step at a time; stops at the first mismatch. */
export function lockstep(machine: Machine, records: readonly TraceRecord[]): LockstepResult {
  const result: LockstepResult = { compared: 0, steps: [], recordIndex: [], interrupts: [], repeatedRecords: 0, undefinedA0: 0 };
  for (const r of BOOT_ROM_REGISTERS) machine.x[r] = records[0].x[r] | 0;
  for (let i = 0; i < records.length; i++) {
    if (i > 0) stepLikeQemu(machine, records[i], result);
    let diff = differences(machine, records[i]);
    // QEMU re-ran the previous instruction (an I/O access under -icount): its record repeats exactly.
    while (diff.length > 0 && i > 0 && sameRecord(records[i], records[i - 1])) {
      result.repeatedRecords++;
      if (++i === records.length) return result;
      diff = differences(machine, records[i]);
    }
    if (diff.length > 0 && diff[0].startsWith('pc:')) {
      const before = { step: machine.step, unretired: machine.unretired };
      machine.run(1, true, false);
      const tookInterrupt = machine.unretired === before.unretired + 1 && (machine.csr.mcause & Mcause.Interrupt) !== 0;
      if (!tookInterrupt) {
        result.mismatch = describe(i, before.step, records, diff);
        return result;
      }
      result.interrupts.push(before.step);
      diff = differences(machine, records[i]);
    }
    if (diff.length > 0) {
      result.mismatch = describe(i, machine.step, records, diff);
      return result;
    }
    result.steps.push(machine.step);
    result.recordIndex.push(i);
    result.compared++;
  }
  return result;
}

/** Semihosting ebreak: `slli x0,x0,0x1f; ebreak; srai x0,x0,7` around it. */
const EBREAK = 0x00100073;
/** SYS_WRITEC and SYS_WRITE0, which leave a0 "corrupted" (the semihosting specification). */
const CALLS_THAT_CORRUPT_A0 = [0x03, 0x04];

/**
 * One step; after a semihosting call that the specification says leaves a0 undefined, a0 takes QEMU's
 * value (0xdeadbeef; Rewind leaves 0), so that the comparison goes on exactly.
 */
function stepLikeQemu(machine: Machine, next: TraceRecord, result: LockstepResult): void {
  const corruptsA0 = CALLS_THAT_CORRUPT_A0.includes(machine.x[10]) && new DataView(machine.peek(machine.pc, 4).buffer).getUint32(0, true) === EBREAK;
  machine.run(1, true, false);
  if (corruptsA0 && machine.pc === next.pc) {
    machine.x[10] = next.x[10] | 0;
    result.undefinedA0++;
  }
}

function sameRecord(a: TraceRecord, b: TraceRecord): boolean {
  return a.pc === b.pc && a.x.every((v, i) => v === b.x[i]) && TRACED_CSRS.every((name) => a.csr[name] === b.csr[name]);
}

function describe(index: number, step: number, records: readonly TraceRecord[], diff: string[]): string {
  const previous = index > 0 ? ` after the instruction at ${hex(records[index - 1].pc)}` : ' at the entry';
  return `record ${index} (Rewind step ${step}, QEMU pc ${hex(records[index].pc)}${previous}): ${diff.join('; ')}`;
}
