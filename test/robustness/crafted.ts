/**
 * Hostile and unusual inputs built from real programs: an ELF with a thousand PT_LOAD segments that each
 * cover RAM, a program that reads 3 MiB of console input in one call, and recordings changed with
 * valid checksums.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assemble } from '../support/toolchain';
import { SEMIHOST } from '../engine/programs';
import { EXAMPLES } from '../cli/rewind-cli';

export const example = (name: string): string => join(EXAMPLES, name, `${name}.elf`);

/**
 * examples/hello with `extra` PT_LOAD segments of no file bytes and `memsz` bytes at RAM's start placed
 * before its own segments (which then load over them as usual): the program still runs.
 */
export function manySegments(extra: number, memsz = 128 << 20): Uint8Array {
  const elf = readFileSync(example('hello'));
  const view = new DataView(elf.buffer, elf.byteOffset, elf.length);
  const phoff = view.getUint32(0x1c, true);
  const phnum = view.getUint16(0x2c, true);
  const own = elf.subarray(phoff, phoff + 32 * phnum);
  const out = new Uint8Array(elf.length + 32 * (extra + phnum));
  out.set(elf);
  const headers = new DataView(out.buffer, elf.length);
  for (let i = 0; i < extra; i++) {
    const at = 32 * i;
    headers.setUint32(at, 1, true); // PT_LOAD
    headers.setUint32(at + 8, 0x80000000, true); // vaddr
    headers.setUint32(at + 12, 0x80000000, true); // paddr
    headers.setUint32(at + 20, memsz, true); // memsz, filesz 0
    headers.setUint32(at + 24, 6, true); // RW
    headers.setUint32(at + 28, 0x1000, true);
  }
  out.set(own, elf.length + 32 * extra);
  const header = new DataView(out.buffer);
  header.setUint32(0x1c, elf.length, true);
  header.setUint16(0x2c, extra + phnum, true);
  return out;
}

/** Bytes the big reader below asks for in its one read. */
export const BIG_READ = 3 << 20;

/**
 * Opens the console (":tt") and reads BIG_READ bytes with one SYS_READ, then exits with status 0 if it
 * got them all and 1 otherwise (through the SiFive test finisher).
 */
export function bigReader(dir: string): string {
  const elf = assemble(`
  li a0, 1              # SYS_OPEN
  la a1, open_args
  ${SEMIHOST}
  la t0, read_args
  sw a0, 0(t0)
  li a0, 6              # SYS_READ, all at once
  mv a1, t0
  ${SEMIHOST}
  li t0, 0x100000
  li t1, 0x5555
  beqz a0, 1f
  li t1, 0x13333
1:
  sw t1, 0(t0)
2: j 2b
  .data
  .align 4
name: .asciz ":tt"
  .align 4
open_args: .word name, 0, 3
read_args: .word 0, 0x80100000, ${BIG_READ}
`);
  const path = join(dir, 'big-read.elf');
  writeFileSync(path, elf);
  return path;
}

/** BIG_READ bytes of input with no line end (a terminal-like reader hands over a line at a time). */
export function bigInput(dir: string): string {
  const bytes = new Uint8Array(BIG_READ);
  for (let i = 0; i < bytes.length; i++) bytes[i] = 32 + ((i * 7919) % 90);
  const path = join(dir, 'big-input.txt');
  writeFileSync(path, bytes);
  return path;
}
