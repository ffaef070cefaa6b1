/**
 * The real RISC-V toolchain and QEMU, as the tests use them. A test that needs a tool that is missing
 * fails loudly with the package to install; it never skips.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PACKAGES: Record<string, string> = {
  'riscv64-unknown-elf-gcc': 'gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf',
  'riscv64-unknown-elf-objdump': 'gcc-riscv64-unknown-elf',
  'qemu-system-riscv32': 'qemu-system-misc',
  'gdb-multiarch': 'gdb-multiarch',
};

export function requireTool(name: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  if (found.status !== 0) {
    throw new Error(`${name} is not installed; this test needs it (apt-get install -y ${PACKAGES[name] ?? name}). .ci/run installs it.`);
  }
  return found.stdout.trim();
}

let scratch: string | undefined;
export function scratchDir(): string {
  return (scratch ??= mkdtempSync(join(tmpdir(), 'rewind-test-')));
}

let counter = 0;
/**
 * Assembles a bare-metal RV32IMAC program (`_start` at 0x80000000) with the real GNU assembler and
 * linker; returns the ELF bytes.
 */
export function assemble(source: string, march = 'rv32imac_zicsr_zifencei'): Uint8Array {
  requireTool('riscv64-unknown-elf-gcc');
  const dir = scratchDir();
  const name = `prog${counter++}`;
  const src = join(dir, `${name}.S`);
  const elf = join(dir, `${name}.elf`);
  writeFileSync(src, `.globl _start\n.section .text\n_start:\n${source}\n`);
  execFileSync('riscv64-unknown-elf-gcc', [`-march=${march}`, '-mabi=ilp32', '-nostdlib', '-nostartfiles',
    '-Wl,-Ttext=0x80000000', '-Wl,-N', '-Wl,--no-relax', '-o', elf, src], { stdio: ['ignore', 'pipe', 'pipe'] });
  return readFileSync(elf);
}
