/**
 * `npm run bench`: the same CPU-bound guest programs on Rewind and on qemu-system-riscv32, side by side.
 * Prints steps, Rewind MIPS, QEMU MIPS (plain TCG and `-icount shift=0`, which QEMU's record/replay
 * needs) and the ratios. QEMU's start-up time is measured on a program that exits at once and
 * subtracted. Each program's console output must match between the two, or the figures mean nothing.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseElf } from '../emulator/elf';
import { DEFAULT_CONFIG, Machine } from '../emulator/machine';
import { ScriptedOutside } from '../emulator/outside';

const BENCH_DIR = join(__dirname, '..', '..', 'bench');

interface Row { name: string; steps: number; seconds: number; output: string }

function runRewind(elf: string): Row {
  let output = '';
  const machine = new Machine(DEFAULT_CONFIG, new ScriptedOutside(), {
    write: (_stream, bytes) => { output += new TextDecoder().decode(bytes); },
  });
  machine.loadProgram(parseElf(readFileSync(elf)));
  const started = process.hrtime.bigint();
  const reason = machine.run(20_000_000_000);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (reason.kind !== 'exit' || reason.code !== 0) throw new Error(`${elf} did not exit cleanly on Rewind: ${JSON.stringify(reason)}`);
  return { name: elf, steps: machine.step, seconds, output };
}

function runQemu(elf: string, icount: boolean): { seconds: number; output: string } {
  const args = ['-M', 'virt', '-bios', 'none', '-nographic', '-monitor', 'none', '-serial', 'stdio', '-kernel', elf];
  if (icount) args.push('-icount', 'shift=0');
  const started = process.hrtime.bigint();
  const r = spawnSync('qemu-system-riscv32', args, { encoding: 'utf8', timeout: 300_000 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.error) throw new Error(`qemu-system-riscv32 failed on ${elf}: ${r.error.message}`);
  return { seconds, output: r.stdout };
}

function qemuAvailable(): boolean {
  return spawnSync('qemu-system-riscv32', ['--version']).status === 0;
}

const fmt = (n: number, digits = 1): string => n.toFixed(digits);

function main(): void {
  const programs = readdirSync(BENCH_DIR).filter((f) => f.endsWith('.elf')).sort();
  if (programs.length === 0) throw new Error(`no benchmark programs in ${BENCH_DIR}: run make -C bench`);
  const withQemu = qemuAvailable();
  if (!withQemu) console.log('qemu-system-riscv32 is not installed (apt-get install qemu-system-misc): QEMU columns are empty');
  const startup = withQemu ? runQemu(join(BENCH_DIR, 'startup', 'exit.elf'), false).seconds : 0;

  console.log(`Rewind vs qemu-system-riscv32 (QEMU start-up ${fmt(startup * 1000, 0)} ms subtracted)`);
  console.log('program          steps          Rewind MIPS   QEMU MIPS  ratio   QEMU icount MIPS  ratio');
  let totalSteps = 0, totalRewind = 0, totalQemu = 0, totalIcount = 0;
  for (const file of programs) {
    const elf = join(BENCH_DIR, file);
    const rewind = runRewind(elf);
    const rewindMips = rewind.steps / rewind.seconds / 1e6;
    totalSteps += rewind.steps;
    totalRewind += rewind.seconds;
    let qemuCols = '';
    if (withQemu) {
      const plain = runQemu(elf, false);
      const icount = runQemu(elf, true);
      for (const q of [plain, icount]) {
        if (q.output !== rewind.output) throw new Error(`${file}: QEMU printed ${JSON.stringify(q.output)}, Rewind ${JSON.stringify(rewind.output)}`);
      }
      const plainMips = rewind.steps / Math.max(plain.seconds - startup, 1e-3) / 1e6;
      const icountMips = rewind.steps / Math.max(icount.seconds - startup, 1e-3) / 1e6;
      totalQemu += Math.max(plain.seconds - startup, 1e-3);
      totalIcount += Math.max(icount.seconds - startup, 1e-3);
      qemuCols = `${fmt(plainMips).padStart(10)}  ${fmt(rewindMips / plainMips, 2).padStart(5)}   ${fmt(icountMips).padStart(16)}  ${fmt(rewindMips / icountMips, 2).padStart(5)}`;
    }
    console.log(`${file.replace(/\.elf$/, '').padEnd(16)} ${rewind.steps.toLocaleString('en-US').padStart(13)}  ${fmt(rewindMips).padStart(11)} ${qemuCols}`);
  }
  const rewindAll = totalSteps / totalRewind / 1e6;
  const summary = withQemu
    ? `${fmt(totalSteps / totalQemu / 1e6).padStart(10)}  ${fmt(rewindAll / (totalSteps / totalQemu / 1e6), 2).padStart(5)}   ${fmt(totalSteps / totalIcount / 1e6).padStart(16)}  ${fmt(rewindAll / (totalSteps / totalIcount / 1e6), 2).padStart(5)}`
    : '';
  console.log(`${'all'.padEnd(16)} ${totalSteps.toLocaleString('en-US').padStart(13)}  ${fmt(rewindAll).padStart(11)} ${summary}`);
}

main();
