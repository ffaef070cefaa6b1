/**
 * Compiles a C program with the real riscv64-unknown-elf-gcc and picolibc, for QEMU virt's memory map
 * as the examples are (see examples/Makefile), with or without picolibc's semihosting start-up code.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireTool, scratchDir } from '../support/toolchain';

let counter = 0;

/** `crt0`: 'semihost' calls exit when main returns; 'default' is picolibc's own, which loops forever there. */
export function compileC(source: string, crt0: 'semihost' | 'default' = 'semihost'): { elf: Uint8Array; path: string } {
  requireTool('riscv64-unknown-elf-gcc');
  const dir = scratchDir();
  const name = `c${process.pid}-${counter++}`;
  const src = join(dir, `${name}.c`);
  const path = join(dir, `${name}.elf`);
  writeFileSync(src, source);
  execFileSync('riscv64-unknown-elf-gcc', ['-march=rv32imac', '-mabi=ilp32', '-mcmodel=medany', '-O1',
    '--specs=picolibc.specs', '--oslib=semihost', ...(crt0 === 'semihost' ? ['--crt0=semihost'] : []),
    '-Wl,--defsym=__flash=0x80000000', '-Wl,--defsym=__flash_size=0x200000',
    '-Wl,--defsym=__ram=0x80200000', '-Wl,--defsym=__ram_size=0x200000', src, '-o', path], { stdio: ['ignore', 'pipe', 'pipe'] });
  return { elf: readFileSync(path), path };
}

/** Reads stdin with fgets until it returns NULL: picolibc's stdin, one SYS_READC per character. */
export const FGETS_SOURCE = `
#include <stdio.h>
int main(void)
{
    char line[64];
    while (fgets(line, sizeof line, stdin))
        printf("got: %s", line);
    printf("done\\n");
    return 0;
}
`;
