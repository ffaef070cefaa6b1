/**
 * Programs of the riscv-tests' own shape (their "-p" environment, written here from its description):
 * `_start: j reset_vector`, a trap vector first, then a prologue that zeroes every register, parks harts
 * other than 0, sets satp, one PMP entry over everything and medeleg/mideleg to 0 each behind its own
 * mtvec (so that a machine without them skips the write), sets mtvec to the trap vector and mret's into
 * the test in user or machine mode. Tests set TESTNUM (gp) and compare; the end is an `ecall` that the
 * trap vector turns into a write to `tohost` ((TESTNUM << 1) | 1: 1 passes), or the harness's port to
 * QEMU's virt board: the test finisher (0x5555, or (TESTNUM << 16) | 0x3333). `mtvec_handler` takes an
 * illegal instruction on the way, as rv32mi's tests do.
 *
 * Each passes and fails (at test 6) with the same status in `rewind run`, `rewind record` and `rewind
 * replay` (and the same steps and final state); the finisher's also on qemu-system-riscv32 -M virt -bios
 * none. (QEMU's virt board has no HTIF: a tohost test loops there for ever writing tohost; spike and
 * Rewind end.) Laid out as the riscv-tests link, with the data segment first in the program headers, or
 * with a jump at the DRAM base and the ELF's entry in a later segment: QEMU 7.2's virt board with `-bios
 * none` starts at the DRAM base whatever the entry, and so does Rewind (emulator/program-loader.ts;
 * before, Rewind started at the entry, skipped the jump and failed test 10 where QEMU passed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseElf } from '../../emulator/elf';
import { requireTool, scratchDir } from '../support/toolchain';
import { runOnQemu } from '../support/qemu';
import { rewind } from '../cli/rewind-cli';

type Mode = 'user' | 'machine';
type End = 'tohost' | 'finisher';
type Layout = 'at the DRAM base' | 'a boot jump at the DRAM base, the ELF entry later' | 'the data segment first';

/** Where the test ends: a write to tohost (spike's HTIF) or to the virt board's test finisher. */
function endCode(end: End): string {
  return end === 'tohost' ? `
write_tohost:
  sw TESTNUM, tohost, t5
  sw zero, tohost + 4, t5
  j write_tohost` : `
write_tohost:
  li t5, 0x100000
  srli t6, TESTNUM, 1
  beqz t6, 1f
  slli t6, t6, 16
  li t4, 0x3333
  or t6, t6, t4
  sw t6, 0(t5)
  j write_tohost
1:li t4, 0x5555
  sw t4, 0(t5)
  j write_tohost`;
}

/** `booted`: the boot jump at the DRAM base runs first (QEMU starts there, whatever the ELF's entry). */
function source(mode: Mode, end: End, failAt: number | undefined, booted: boolean): string {
  const check = (n: number, compute: string, expected: number): string =>
    `  li TESTNUM, ${n}\n${compute}\n  li x7, ${n === failAt ? expected + 1 : expected}\n  bne x14, x7, fail`;
  return `
#define TESTNUM gp
  .section .text.init
  .align 6
  .globl _start
_start:
  j reset_vector
  .align 2
trap_vector:
  csrr t5, mcause
  li t6, 8
  beq t5, t6, write_tohost
  li t6, 9
  beq t5, t6, write_tohost
  li t6, 11
  beq t5, t6, write_tohost
  la t5, mtvec_handler
  beqz t5, 1f
  jr t5
1:csrr t5, mcause
  ori TESTNUM, TESTNUM, 1337
${endCode(end)}
reset_vector:
${Array.from({ length: 31 }, (_, i) => `  li x${i + 1}, 0`).join('\n')}
  csrr a0, mhartid
1:bnez a0, 1b
  la t0, 1f
  csrw mtvec, t0
  csrwi satp, 0
  .align 2
1:la t0, 1f
  csrw mtvec, t0
  li t0, -1
  csrw pmpaddr0, t0
  li t0, 0x1f
  csrw pmpcfg0, t0
  .align 2
1:csrwi mie, 0
  la t0, 1f
  csrw mtvec, t0
  csrwi medeleg, 0
  csrwi mideleg, 0
  .align 2
1:li TESTNUM, 0
  la t0, trap_vector
  csrw mtvec, t0
  li a0, 1
  slli a0, a0, 31
  bltz a0, 1f
  li TESTNUM, 1337
  j write_tohost
1:csrwi mstatus, 0
  ${mode === 'machine' ? 'li a0, 0x1800\n  csrs mstatus, a0' : ''}
  la t0, test_begin
  csrw mepc, t0
  csrr a0, mhartid
  mret

test_begin:
${check(2, '  li x1, 3\n  li x2, 7\n  add x14, x1, x2', 10)}
${check(3, '  li x1, 0xffff8000\n  li x2, 0x7fff\n  sub x14, x1, x2', 0xffff0001 | 0)}
${check(4, '  la x1, tdat\n  lw x14, 4(x1)', 0x0ff00ff0)}
${check(5, '  la x1, tdat\n  li x2, 0xa00a\n  sh x2, 10(x1)\n  lhu x14, 10(x1)', 0xa00a)}
${check(6, '  li x1, -7\n  li x2, 2\n  div x14, x1, x2', -3)}
${check(7, '  la x1, tdat\n  lw x14, 1(x1)', 0xf000ff00 | 0)}
  # 8: an illegal instruction, which mtvec_handler skips (rv32mi's shape).
  li TESTNUM, 8
  li x14, 0
  .word 0
  li x7, 1
  bne x14, x7, fail
${check(9, '  li x1, 0x12345678\n  mulhu x14, x1, x1', 0x014b66dc)}
${check(10, '  la x1, boot_ran\n  lw x14, 0(x1)', booted ? 1 : 0)}
  bne x0, TESTNUM, pass
fail:
  fence
1:beqz TESTNUM, 1b
  sll TESTNUM, TESTNUM, 1
  or TESTNUM, TESTNUM, 1
  li a7, 93
  addi a0, TESTNUM, 0
  ecall
pass:
  fence
  li TESTNUM, 1
  li a7, 93
  li a0, 0
  ecall

  .align 2
  .globl mtvec_handler
mtvec_handler:
  csrr t5, mcause
  li t6, 2
  bne t5, t6, 1f
  li x14, 1
  csrr t5, mepc
  addi t5, t5, 2
  csrw mepc, t5
  mret
1:ori TESTNUM, TESTNUM, 1337
  j write_tohost

  # Code before the entry: a jump that marks that it ran (where it is depends on the link).
  .section .boot, "ax"
boot:
  la t0, boot_ran
  li t1, 1
  sw t1, 0(t0)
  j _start

  .data
  .align 4
boot_ran: .word 0
tdat: .word 0x00ff00ff, 0x0ff00ff0, 0xf00ff00f, 0xff00ff00

  .pushsection .tohost,"aw",@progbits
  .align 6
  .globl tohost
tohost: .dword 0
  .align 6
  .globl fromhost
fromhost: .dword 0
  .popsection
`;
}

/**
 * The riscv-tests' link (text at the DRAM base, data after); a boot jump at the DRAM base and the code,
 * with the ELF's entry, in a later segment; or the riscv-tests' link with the data segment first in
 * the program headers.
 */
function linkerScript(layout: Layout): string {
  const head = 'OUTPUT_ARCH(riscv) ENTRY(_start) PHDRS { boot PT_LOAD; text PT_LOAD; data PT_LOAD; }';
  const data = '. = ALIGN(0x1000); .data : { *(.data) *(.tohost) } :data .bss : { *(.bss) } :data';
  switch (layout) {
    case 'at the DRAM base': return 'OUTPUT_ARCH(riscv) ENTRY(_start) SECTIONS { . = 0x80000000; .text : { *(.text.init) *(.text) *(.boot) } . = ALIGN(0x1000); .data : { *(.data) *(.tohost) } .bss : { *(.bss) } }';
    case 'a boot jump at the DRAM base, the ELF entry later':
      return `${head} SECTIONS { . = 0x80000000; .boot : { *(.boot) } :boot . = 0x80003000; .text : { *(.text.init) *(.text) } :text ${data} }`;
    case 'the data segment first':
      return `OUTPUT_ARCH(riscv) ENTRY(_start) PHDRS { data PT_LOAD; text PT_LOAD; } SECTIONS { . = 0x80000000; .text : { *(.text.init) *(.text) *(.boot) } :text ${data} }`;
  }
}

function build(name: string, mode: Mode, end: End, failAt: number | undefined, layout: Layout): string {
  requireTool('riscv64-unknown-elf-gcc');
  const dir = scratchDir();
  const src = join(dir, `${name}.S`), ld = join(dir, `${name}.ld`), elf = join(dir, `${name}.elf`);
  writeFileSync(src, source(mode, end, failAt, layout === 'a boot jump at the DRAM base, the ELF entry later'));
  writeFileSync(ld, linkerScript(layout));
  execFileSync('riscv64-unknown-elf-gcc', ['-march=rv32imac_zicsr_zifencei', '-mabi=ilp32', '-nostdlib', '-nostartfiles', '-static',
    '-T', ld, '-Wl,--no-warn-rwx-segments', '-o', elf, src], { stdio: ['ignore', 'pipe', 'pipe'] });
  return elf;
}

const steps = (stderr: string, how: RegExp): string => how.exec(stderr)?.[1].replace(/,/g, '') ?? `no steps in ${stderr}`;

/** Every mode and end at the DRAM base; the other layouts in machine mode, through the finisher (QEMU runs them). */
const CASES: Array<[Mode, End, Layout]> = [
  ['user', 'tohost', 'at the DRAM base'], ['user', 'finisher', 'at the DRAM base'], ['machine', 'tohost', 'at the DRAM base'], ['machine', 'finisher', 'at the DRAM base'],
  ['machine', 'finisher', 'a boot jump at the DRAM base, the ELF entry later'], ['user', 'finisher', 'the data segment first'],
];

for (const [mode, end, layout] of CASES) {
  test(`a riscv-tests-shaped test in ${mode} mode ending through ${end}, ${layout}: the same status in run, record, replay${end === 'finisher' ? ' and QEMU' : ''}`, () => {
    for (const failAt of [undefined, 6]) {
      const name = `rvtest-${mode}-${end}-${layout.split(' ').slice(0, 2).join('-')}-${failAt ?? 'pass'}`;
      const elf = build(name, mode, end, failAt, layout);
      const image = parseElf(readFileSync(elf));
      const [first] = image.segments;
      assert.equal(first.paddr === image.entry, layout === 'at the DRAM base', `${name}: the entry is in the first segment (${image.entry.toString(16)})`);
      const status = failAt ?? 0;
      const ran = rewind(['run', elf, '--hash']);
      assert.equal(ran.status, status, `${name}: rewind run: ${ran.stderr}`);
      assert.equal(ran.stdout, '', name);
      const file = elf.replace(/\.elf$/, '.rewind');
      const recorded = rewind(['record', elf, '-o', file, '--verbose']);
      assert.equal(recorded.status, status, `${name}: rewind record: ${recorded.stderr}`);
      assert.equal(steps(recorded.stderr, /recorded ([\d,]+) steps/), steps(ran.stderr, /ran ([\d,]+) steps/), name);
      const replayed = rewind(['replay', file, '--verbose']);
      assert.equal(replayed.status, status, `${name}: rewind replay: ${replayed.stderr}`);
      assert.equal(/final state hash ([0-9a-f]{16}) matches/.exec(replayed.stderr)?.[1], /final state hash ([0-9a-f]{16})$/m.exec(ran.stderr)?.[1], `${name}: ${replayed.stderr}`);
      if (end === 'tohost') continue;
      const qemu = runOnQemu(elf, '', 20_000);
      assert.equal(qemu.timedOut, false, `${name}: QEMU did not end`);
      assert.equal(qemu.status, status, `${name}: QEMU's status`);
    }
  });
}
