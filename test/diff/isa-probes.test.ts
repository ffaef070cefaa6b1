/**
 * riscv-tests' corner cases against QEMU 7.2, value by value: test/privileged/isa_probes.elf prints one
 * "name value" line per probe (CSR WARL fields, ID CSRs, CSRs Rewind has not, illegal instructions'
 * mtval, shamt[5] on RV32, odd jump targets, div/rem edge cases, counters over a trap). Every line
 * equals QEMU's but those listed here, each a difference MANUAL's "Where QEMU differs" explains.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runOnRewind } from './rewind-run';
import { runOnQemu } from '../support/qemu';

const ELF = join(__dirname, '..', '..', '..', 'test', 'privileged', 'isa_probes.elf');

/** Probe -> [Rewind's value, QEMU's value, why]. */
const DIFFERENT: Record<string, [string, string, string]> = {
  'misa': ['40141105', '401411ad', 'QEMU\'s default CPU has F, D and H; Rewind is RV32IMAC (+S, U)'],
  'mstatus mpp=2': ['00001800', '00001000', 'MPP is WARL and 2 is reserved without H: Rewind keeps the old MPP, QEMU 7.2 stores 2'],
  'mstatus all ones but fs': ['007e19aa', '807e1faa', 'QEMU 7.2 has mstatus.VS writable, and SD set by its F state'],
  'mcounteren': ['00000007', 'ffffffff', 'Rewind has no hpmcounters: only CY, TM and IR are writable'],
  'mcountinhibit': ['fffffffd', 'ffffffff', 'bit 1 is read-only 0 (time has no inhibit bit, says the spec); QEMU 7.2 keeps it'],
  'mimpid': ['00000000', '00070216', 'QEMU puts its version there'],
  'marchid': ['00000000', '00070216', 'QEMU puts its version there'],
  'mepc odd': ['80000002', '80000003', 'bit 0 of mepc reads 0 (IALIGN 16); QEMU 7.2 keeps it'],
  'mie ones': ['00000aaa', '00003eee', 'QEMU has H\'s VS interrupts, SGEI and Sscofpmf\'s LCOF'],
  'mip ones': ['000002a2', '000026e6', 'QEMU has H\'s VS interrupts and Sscofpmf\'s LCOF'],
  'mideleg ones': ['00000222', '00003666', 'QEMU has H\'s VS interrupts and Sscofpmf\'s LCOF'],
  'csr mtinst.cause': ['00000002', 'ffffffff', 'an H-extension CSR'],
  'csr mtinst.tval': ['34a02973', 'ffffffff', 'an H-extension CSR'],
  'csr mtval2.cause': ['00000002', 'ffffffff', 'an H-extension CSR'],
  'csr mtval2.tval': ['34b02973', 'ffffffff', 'an H-extension CSR'],
  'csr pmpaddr16.cause': ['ffffffff', '00000002', 'QEMU has 16 PMP entries; Rewind reads 0 from all 64'],
  'csr pmpaddr16.tval': ['ffffffff', '3c002973', 'QEMU has 16 PMP entries; Rewind reads 0 from all 64'],
  'csr tinfo.cause': ['00000002', 'ffffffff', 'QEMU has debug triggers'],
  'csr tinfo.tval': ['7a402973', 'ffffffff', 'QEMU has debug triggers'],
  'minstret over ecall': ['0000000c', '0000000d', 'an ecall that traps does not retire (the spec); QEMU\'s icount counts it'],
};

const lines = (output: string): Map<string, string> =>
  new Map(output.trim().split('\n').map((line) => [line.slice(0, line.lastIndexOf(' ')), line.slice(line.lastIndexOf(' ') + 1)]));

test('isa_probes.elf prints what QEMU 7.2 prints, but for the differences MANUAL explains', () => {
  const rewind = runOnRewind(ELF, '');
  assert.deepEqual(rewind.reason, { kind: 'exit', code: 0, via: 'test-finisher' });
  const qemu = runOnQemu(ELF, '', 20_000);
  assert.equal(qemu.status, 0, qemu.output);
  const ours = lines(rewind.output);
  const theirs = lines(qemu.output);
  assert.deepEqual([...ours.keys()], [...theirs.keys()], 'the same probes, in the same order');
  assert.ok(ours.size > 120, `${ours.size} probes`);
  for (const [name, value] of ours) {
    const known = DIFFERENT[name];
    if (known) assert.deepEqual([value, theirs.get(name)], known.slice(0, 2), `${name}: ${known[2]}`);
    else assert.equal(value, theirs.get(name), `${name}: Rewind ${value}, QEMU ${theirs.get(name)}`);
  }
});
