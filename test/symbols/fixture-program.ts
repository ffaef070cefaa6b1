/** Builds test/symbols/fixtures/*.c with the real compiler, as the examples are built, in a chosen DWARF version. */
import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireTool, scratchDir } from '../support/toolchain';
import { ROOT } from './examples';

export const FIXTURES = join(ROOT, 'test', 'symbols', 'fixtures');

/** Compiles `name`.c (copied next to the ELF, so relative DWARF paths resolve to the copy). Returns the ELF path. */
export function buildFixture(name: string, flags: string[]): string {
  requireTool('riscv64-unknown-elf-gcc');
  const dir = scratchDir();
  const tag = flags.join('').replace(/[^a-z0-9]/gi, '');
  const source = join(dir, `${name}.c`);
  const elf = join(dir, `${name}${tag}.elf`);
  copyFileSync(join(FIXTURES, `${name}.c`), source);
  execFileSync('riscv64-unknown-elf-gcc', ['-march=rv32imac', '-mabi=ilp32', '-mcmodel=medany', '-g', ...flags, '-fno-inline',
    `-ffile-prefix-map=${dir}=.`, '--specs=picolibc.specs', '--oslib=semihost', '--crt0=semihost',
    '-Wl,--defsym=__flash=0x80000000', '-Wl,--defsym=__flash_size=0x200000', '-Wl,--defsym=__ram=0x80200000',
    '-Wl,--defsym=__ram_size=0x200000', `${name}.c`, '-o', elf], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  return elf;
}
