/**
 * Section "command": whole processes, as a user or an outside harness times them. For every bench/*.elf
 * and examples/hello/hello.elf: `node dist/cli.js run X` against `qemu-system-riscv32 … -icount shift=0`,
 * `node dist/cli.js record X -o F` against `… -icount shift=0,rr=record,rrfile=F`, and `node dist/cli.js
 * replay F` of that recording against `… rr=replay` of QEMU's own. Nobody's start-up is subtracted:
 * Node's own (~60 ms), loading the bundle and making the machine count as QEMU's start does, and on a
 * short program they are most of the time. Wall and CPU time (user + system of the process and all its
 * threads, from bash's `times`), each the best of 3; the commands take turns (each turn records anew and
 * replays what it recorded), so a busy spell of the shared machine falls on all of them. Every command
 * must print what the first `rewind run` printed (QEMU on stdout and stderr, but for its clock lines), or
 * its times mean nothing. ratio = QEMU's time / Rewind's: above 1, Rewind is faster. Issue 19's target:
 * every workload at least as fast as QEMU -icount, and its record and replay as fast as QEMU's.
 *
 * Needs dist/ (`npm run build`) and QEMU; says so when either is missing. BENCH_PROGRAMS=rvtest,cipher
 * times only those (hello is always timed).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { BENCH_DIR } from './emulation';
import { CLOCK_READERS, fmt, qemuAvailable, scratch, withoutClockLines } from './qemu';

const ROOT = join(BENCH_DIR, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const HELLO = join(ROOT, 'examples', 'hello', 'hello.elf');
/**
 * Programs in bench's subfolders (the emulation section takes bench/*.elf only) timed here beside them:
 * bench/rvtest/rvtest.elf has the riscv-tests' shape, a few thousand steps, all start-up and exit.
 */
const SHORT_PROGRAMS = [join(BENCH_DIR, 'rvtest', 'rvtest.elf')];
const RUNS = 3;

interface Timing { wall: number; cpu: number }
interface Failure { failed: string }
type Result = Timing | Failure;

/**
 * Runs `argv` once, its output into files in `dir`, and times it from inside a shell: `$EPOCHREALTIME`
 * around the command (the shell's own start is not in it) and `times` for its CPU time.
 */
function timeOnce(argv: string[], dir: string, env: NodeJS.ProcessEnv = process.env): Result {
  const script = 's=$EPOCHREALTIME; "$@" >"$DIR/out" 2>"$DIR/err"; rc=$?; e=$EPOCHREALTIME; echo "$rc $s $e"; times';
  const r = spawnSync('bash', ['-c', script, 'bash', ...argv], { encoding: 'utf8', env: { ...env, DIR: dir, LC_ALL: 'C' } });
  const [first, , children] = (r.stdout ?? '').trim().split('\n');
  const [rc, start, end] = (first ?? '').split(' ').map(Number);
  const cpu = [...(children ?? '').matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
  if (r.status !== 0 || !Number.isFinite(end)) return { failed: `could not time it: ${r.error?.message ?? r.stderr}` };
  if (rc !== 0) return { failed: `exit status ${rc}: ${readFileSync(join(dir, 'err'), 'utf8').trim().split('\n')[0] ?? ''}` };
  return { wall: end - start, cpu };
}

function qemu(elf: string, extra: string): string[] {
  return ['qemu-system-riscv32', '-M', 'virt', '-bios', 'none', '-nographic', '-monitor', 'none', '-serial', 'stdio',
    '-semihosting-config', 'enable=on,target=native', '-kernel', elf, '-icount', extra];
}

/** In the order of a turn: a replay needs the recording its turn's record made. */
const COMMANDS = ['run', 'qemu icount', 'record', 'qemu rr=record', 'replay', 'qemu rr=replay'] as const;
type Command = typeof COMMANDS[number];

/** The table's three column groups: a Rewind command beside QEMU doing the same. */
const PAIRS = [
  { rewind: 'run', qemu: 'qemu icount', qemuTitle: 'qemu icount', target: '-icount shift=0' },
  { rewind: 'record', qemu: 'qemu rr=record', qemuTitle: 'qemu record', target: '-icount rr=record' },
  { rewind: 'replay', qemu: 'qemu rr=replay', qemuTitle: 'qemu replay', target: '-icount rr=replay' },
] as const;

function argvOf(command: Command, elf: string, dir: string): string[] {
  switch (command) {
    case 'run': return [process.execPath, CLI, 'run', elf];
    case 'record': return [process.execPath, CLI, 'record', elf, '-o', join(dir, 'bench.rewind')];
    case 'replay': return [process.execPath, CLI, 'replay', join(dir, 'bench.rewind')];
    case 'qemu icount': return qemu(elf, 'shift=0');
    case 'qemu rr=record': return qemu(elf, `shift=0,rr=record,rrfile=${join(dir, 'bench.rr')}`);
    case 'qemu rr=replay': return qemu(elf, `shift=0,rr=replay,rrfile=${join(dir, 'bench.rr')}`);
  }
}

/**
 * What the command printed, to hold against `rewind run`'s stdout: QEMU prints a UART program's output
 * on its stdout and a semihosting one's on its stderr, and its clocks are the host's (withoutClockLines).
 */
function printed(command: Command, dir: string): string {
  const out = readFileSync(join(dir, 'out'), 'utf8');
  return command.startsWith('qemu') ? withoutClockLines(out + readFileSync(join(dir, 'err'), 'utf8')) : out;
}

/**
 * Best wall and best CPU time of each command over RUNS turns (each the least of its own); a command that
 * prints other output than the first run did fails. QEMU cannot replay a program that steers by its
 * clock (CLOCK_READERS): that one is left out.
 */
function measure(elf: string, commands: readonly Command[], dir: string): Map<Command, Result> {
  const results = new Map<Command, Result>();
  const clockReader = CLOCK_READERS.has(elf.replace(/^.*\//, ''));
  let expected: string | undefined;
  for (let turn = 0; turn < RUNS; turn++) {
    for (const command of commands) {
      const before = results.get(command);
      if ((before && 'failed' in before) || (command === 'qemu rr=replay' && clockReader)) continue;
      let t = timeOnce(argvOf(command, elf, dir), dir);
      if (!('failed' in t)) {
        const output = printed(command, dir);
        if (command === 'run') expected ??= output;
        const want = expected !== undefined && command.startsWith('qemu') ? withoutClockLines(expected) : expected;
        if (want !== undefined && output !== want) t = { failed: `printed ${JSON.stringify(output.slice(0, 200))}, rewind run ${JSON.stringify(want?.slice(0, 200))}` };
      }
      results.set(command, 'failed' in t || !before ? t : { wall: Math.min(t.wall, before.wall), cpu: Math.min(t.cpu, before.cpu) });
    }
  }
  return results;
}

const seconds = (r: Result | undefined, missing: string): string => (!r ? missing : 'failed' in r ? 'failed' : `${fmt(r.wall, 3)} ${fmt(r.cpu, 3)}`);

/** QEMU's time over Rewind's (above 1: Rewind is faster), wall and CPU; undefined unless both ran. */
function ratio(rewind: Result | undefined, qemuTime: Result | undefined): Timing | undefined {
  if (!rewind || !qemuTime || 'failed' in rewind || 'failed' in qemuTime) return undefined;
  return { wall: qemuTime.wall / rewind.wall, cpu: qemuTime.cpu / rewind.cpu };
}

const ratioText = (r: Timing | undefined): string => (r ? `${fmt(r.wall, 2)} ${fmt(r.cpu, 2)}` : '');
const geomean = (xs: number[]): number => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
const WIDTH = 12;
const cell = (text: string): string => text.padStart(WIDTH);

export function run(): void {
  if (!existsSync(CLI)) {
    console.log(`dist/cli.js is not built (${CLI}): run \`npm run build\` (npm run bench builds it first); nothing timed`);
    return;
  }
  const withQemu = qemuAvailable();
  if (!withQemu) console.log('qemu-system-riscv32 is not installed (apt-get install qemu-system-misc): Rewind alone, no ratios');
  const only = process.env.BENCH_PROGRAMS?.split(',').map((p) => `${p.trim()}.elf`);
  const programs = [...readdirSync(BENCH_DIR).filter((f) => f.endsWith('.elf')).map((f) => join(BENCH_DIR, f)), ...SHORT_PROGRAMS]
    .filter((elf) => !only || only.includes(basename(elf))).sort((a, b) => basename(a).localeCompare(basename(b)));
  const commands = COMMANDS.filter((c) => withQemu || !c.startsWith('qemu'));

  console.log(`whole processes, nobody's start-up subtracted: seconds wall and CPU, best of ${RUNS}; ratio = QEMU / Rewind (above 1: Rewind faster)`);
  console.log('run = node dist/cli.js run X; record = … record X -o F; replay = … replay F; QEMU -icount shift=0, and with rr=record, rr=replay of its own recording');
  const node = nodeAlone();
  console.log(`(node -e 0 alone: ${node.text})`);
  console.log(`${''.padEnd(13)}${PAIRS.map((p) => `${cell(p.rewind)}${cell(p.qemuTitle)}${cell('ratio')}`).join('  ')}`);
  console.log(`${'program'.padEnd(13)}${PAIRS.map(() => cell('wall   cpu').repeat(3)).join('  ')}`);
  /** Each pair's ratios by program, with QEMU's wall time (which tells the programs no Node command can reach). */
  const ratios = PAIRS.map((): Array<[string, Timing, number]> => []);
  const work = scratch();
  try {
    for (const elf of [HELLO, ...programs]) {
      const name = elf.replace(/^.*\//, '').replace(/\.elf$/, '');
      const r = measure(elf, commands, work.dir);
      const groups = PAIRS.map((pair, i) => {
        const q = ratio(r.get(pair.rewind), r.get(pair.qemu));
        if (q) ratios[i].push([name, q, (r.get(pair.qemu) as Timing).wall]);
        return `${cell(seconds(r.get(pair.rewind), ''))}${cell(seconds(r.get(pair.qemu), withQemu ? 'n/a' : ''))}${cell(ratioText(q))}`;
      });
      console.log(`${name.padEnd(13)}${groups.join('  ')}`);
      for (const [command, result] of r) if ('failed' in result) console.log(`  ${command} ${name}: ${result.failed}`);
    }
  } finally {
    work.remove();
  }
  if (!withQemu) return;
  const mean = (rs: Array<[string, Timing, number]>): string =>
    rs.length ? `wall ${fmt(geomean(rs.map(([, t]) => t.wall)), 2)}, CPU ${fmt(geomean(rs.map(([, t]) => t.cpu)), 2)}` : 'none';
  console.log(`geometric mean of the ratios: ${PAIRS.map((p, i) => `${p.rewind} ${mean(ratios[i])}`).join('; ')}`);
  PAIRS.forEach((pair, i) => {
    const behind = ratios[i].filter(([, t]) => !(t.wall >= 1));
    console.log(`target (issue 19): every workload's ${pair.rewind} ≥ 1.0 × QEMU ${pair.target}, whole process, wall — ${behind.length === 0 ? 'met' : 'MISSED'}` +
      ` (${ratios[i].length - behind.length} of ${ratios[i].length}${behind.length ? `; behind: ${behind.map(([n, t]) => `${n} ${fmt(t.wall, 2)}`).join(', ')}` : ''})`);
    const outOfReach = behind.filter(([, , qemuWall]) => node.wall !== undefined && qemuWall < node.wall);
    if (outOfReach.length) console.log(`  of those, QEMU's whole process is shorter than \`node -e 0\` alone (${fmt(node.wall ?? 0, 3)} s) here, out of reach for any Node command: ${outOfReach.map(([n]) => n).join(', ')}`);
  });
}

/**
 * Node's own start, for scale: what no `node dist/cli.js` command can go below. Node reads the file
 * NODE_EXTRA_CA_CERTS names, if any, at every start, before any script runs (~0.035 s for the bundle of
 * certificates of the machine these figures were taken on): that start is timed without it too, so that
 * a reader can tell Node's share from the environment's. Every command above runs with the environment
 * as it is. Its best wall time (with the environment as it is) tells which programs no Node command can reach.
 */
function nodeAlone(): { text: string; wall?: number } {
  const dir = scratch();
  try {
    const best = (env: NodeJS.ProcessEnv): { text: string; wall?: number } => {
      const times = [0, 1, 2].map(() => timeOnce([process.execPath, '-e', '0'], dir.dir, env)).filter((t): t is Timing => !('failed' in t));
      if (!times.length) return { text: 'not timed' };
      const wall = Math.min(...times.map((t) => t.wall));
      return { text: `${fmt(wall, 3)} s wall, ${fmt(Math.min(...times.map((t) => t.cpu)), 3)} s CPU`, wall };
    };
    const asItIs = best(process.env);
    if (process.env.NODE_EXTRA_CA_CERTS === undefined) return asItIs;
    const withoutCertificates = { ...process.env };
    delete withoutCertificates.NODE_EXTRA_CA_CERTS;
    return { text: `${asItIs.text}; without the NODE_EXTRA_CA_CERTS this environment sets: ${best(withoutCertificates).text}`, wall: asItIs.wall };
  } finally {
    dir.remove();
  }
}
