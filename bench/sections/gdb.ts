/**
 * Section "gdb" (issue 5): reverse execution through gdb-multiarch, Rewind's stub beside QEMU's
 * `-icount shift=0,rr=replay` reverse debugging (with its `rrsnapshot=init` snapshot), on the same ELFs.
 * Times are measured inside gdb (its Python `time.perf_counter` around `gdb.execute`), so they are what
 * a user waits for: the command, the stub's work and gdb's own register and frame reads after it.
 *
 * - reverse-stepi latency at the end of the program (median of several);
 * - reverse-continue latency from the end back to a breakpoint at `main`, hit once near the start, so the
 *   whole run is scanned (median of a few; each is followed by an untimed continue back to the end).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR } from './emulation';
import { fmt, qemuAvailable } from './qemu';
import { exampleElf, recordToFile, startStub } from '../../test/gdb/stub-fixture';
import { runGdb } from '../../test/gdb/gdb-batch';
import { startQemuReplay } from '../../test/gdb/qemu-replay';
import { scratchDir } from '../../test/support/toolchain';

interface Program { name: string; elf: string; end: string; semihosting: boolean; exitStatus: number; reverseSteps: number; reverseContinues: number }

const PROGRAMS: Program[] = [
  { name: 'bug (34 k steps)', elf: exampleElf('bug'), end: 'bug.c:120', semihosting: true, exitStatus: 1, reverseSteps: 15, reverseContinues: 5 },
  { name: 'calls (295 M steps)', elf: join(BENCH_DIR, 'calls.elf'), end: '*finish', semihosting: false, exitStatus: 0, reverseSteps: 5, reverseContinues: 3 },
];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The gdb Python that runs to `end`, then times reverse-stepi and reverse-continue; prints one JSON line. */
function timingScript(p: Program): string {
  const path = join(scratchDir(), `gdb-bench-${process.pid}.py`);
  writeFileSync(path, `
import gdb, json, time
def timed(cmd):
    t = time.perf_counter()
    gdb.execute(cmd, to_string=True)
    return (time.perf_counter() - t) * 1000
gdb.execute('break ${p.end}', to_string=True)
gdb.execute('continue', to_string=True)
rsi = [timed('reverse-stepi') for _ in range(${p.reverseSteps})]
gdb.execute('break main', to_string=True)
rc = []
for _ in range(${p.reverseContinues}):
    rc.append(timed('reverse-continue'))
    where = gdb.execute('info line *$pc', to_string=True)
    gdb.execute('continue', to_string=True)
print('RESULT ' + json.dumps({'rsi': rsi, 'rc': rc, 'where': where.strip()}))
`);
  return path;
}

interface Figures { rsi: number; rc: number; where: string }

async function measure(p: Program, port: number): Promise<Figures> {
  const out = await runGdb(p.elf, port, [`source ${timingScript(p)}`], 900_000);
  const line = /^RESULT (.*)$/m.exec(out);
  if (!line) throw new Error(`gdb printed no timings for ${p.name}:\n${out.slice(-2000)}`);
  const r = JSON.parse(line[1]) as { rsi: number[]; rc: number[]; where: string };
  return { rsi: median(r.rsi), rc: median(r.rc), where: r.where };
}

export async function run(): Promise<void> {
  const withQemu = qemuAvailable();
  if (!withQemu) console.log('qemu-system-riscv32 is not installed (apt-get install qemu-system-misc): QEMU columns are empty');
  console.log('median ms through gdb-multiarch    reverse-stepi (Rewind | QEMU)    reverse-continue to main (Rewind | QEMU)');
  for (const p of PROGRAMS) {
    const stub = await startStub(recordToFile(p.elf, '', Infinity, p.elf));
    let rewind: Figures;
    try {
      rewind = await measure(p, stub.port);
    } finally {
      await stub.close();
    }
    let qemu: Figures | undefined;
    if (withQemu) {
      const replay = await startQemuReplay(p.elf, p.semihosting, p.exitStatus);
      try {
        qemu = await measure(p, replay.port);
      } finally {
        replay.stop();
      }
      if (!qemu.where.includes('main')) console.log(`  (QEMU's reverse-continue stopped elsewhere: ${qemu.where})`);
    }
    if (!rewind.where.includes('main')) throw new Error(`Rewind's reverse-continue did not stop at main: ${rewind.where}`);
    const q = (n: number | undefined): string => (n === undefined ? '—' : fmt(n, 1));
    console.log(`${p.name.padEnd(34)} ${fmt(rewind.rsi, 1).padStart(10)} | ${q(qemu?.rsi).padEnd(10)}        ${fmt(rewind.rc, 1).padStart(10)} | ${q(qemu?.rc)}`);
  }
}
