/**
 * Exactness of compiled code: every example and every benchmark program runs on an interpreting machine
 * and on a compiling one, driven alike; after every request both must have stopped for the same reason
 * at the same step with the same state hash. The requests: checkpoints every 100,000 steps, runs of odd
 * random sizes (stops inside blocks and regions), code breakpoints in hot code, watchpoints on a word
 * the program really touches, and stops after timer interrupts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES } from '../diff/examples';
import { COMPILERS, MachinePair, random } from './machine-pair';

const BENCH_DIR = join(__dirname, '..', '..', '..', 'bench');
/** Steps of each benchmark program: enough for its hot loops to be compiled as regions, and to run there. */
const BENCH_STEPS = 4_000_000;
const TIMER_INTERRUPT = 0x80000007;

/** Checkpoints and runs of odd sizes (up to `longest` steps) up to `limit` steps or the program's end. */
function runInSteps(pair: MachinePair, limit: number, seed: number, longest = 50_000, checkpoint = 100_000): void {
  const next = random(seed);
  while (!pair.halted && pair.step < limit) {
    const odd = next() < 0.5;
    const size = odd ? 1 + Math.floor(next() * longest) : checkpoint - (pair.step % checkpoint);
    pair.run(Math.min(size, limit - pair.step));
  }
}

/** Breakpoints at the pc where the program is now (hot code, after a while): the same hits, on the same steps. */
function hitBreakpoints(pair: MachinePair, hits: number): number {
  const pc = pair.interpreted.machine.pc;
  pair.setBreakpoints([pc]);
  let seen = 0;
  for (let i = 0; i < hits && !pair.halted; i++) {
    const reason = pair.run(2_000_000);
    if (reason.kind === 'breakpoint') seen++;
  }
  pair.setBreakpoints([]);
  return seen;
}

/**
 * A watchpoint on the 64 bytes the program accesses most among its next 64 accesses to RAM (found with a
 * watchpoint on all of RAM, on the interpreting machine; the compiling one is then run to the same
 * step): the same hits, reads and writes, on the same steps.
 */
function hitWatchpoints(pair: MachinePair, hits: number): { accessed: boolean; hits: number } {
  const reference = pair.interpreted.machine;
  reference.setWatchpoints([{ address: reference.ram.base, length: reference.ram.size, access: 'readWrite' }]);
  const words = new Map<number, number>();
  for (let i = 0; i < 64 && !pair.halted; i++) {
    const found = reference.run(100_000);
    const line = (found.kind === 'watchpoint' ? found.address & ~63 : 0) >>> 0;
    if (found.kind === 'watchpoint') words.set(line, (words.get(line) ?? 0) + 1);
  }
  reference.setWatchpoints([]);
  const caught = pair.compiled.machine.run(reference.step - pair.compiled.machine.step);
  pair.compare('catching up with the watchpoint search', caught, caught);
  if (words.size === 0) return { accessed: false, hits: 0 };
  const word = [...words].sort((a, b) => b[1] - a[1])[0][0];
  pair.setWatchpoints([{ address: word, length: 64, access: 'readWrite' }]);
  let seen = 0;
  for (let i = 0; i < hits && !pair.halted; i++) {
    const reason = pair.run(1_000_000);
    if (reason.kind === 'watchpoint') seen++;
  }
  pair.setWatchpoints([]);
  return { accessed: true, hits: seen };
}

for (const example of EXAMPLES) for (const compiler of COMPILERS) {
  test(`example ${example.name}: compiled (${compiler} regions) and interpreted agree at every stop`, () => {
    const pair = new MachinePair(example.name, example.elf, example.input, compiler);
    pair.setTrapStops([TIMER_INTERRUPT]);
    runInSteps(pair, 1_000, example.name.length, 300, 100);
    if (!pair.halted) hitBreakpoints(pair, 5);
    if (!pair.halted) hitWatchpoints(pair, 5);
    runInSteps(pair, Infinity, 7);
    assert.equal(pair.interpreted.machine.halted?.kind, 'exit', `${example.name} should run to its end`);
    assert.ok(pair.comparisons >= 3, `${example.name}: only ${pair.comparisons} comparisons`);
    // The timer example takes 5 timer interrupts; each stopped both machines on the same step.
    assert.equal(pair.stops.get('trap') ?? 0, example.name === 'timer' ? 5 : 0);
  });
}

for (const file of readdirSync(BENCH_DIR).filter((f) => f.endsWith('.elf')).sort()) for (const compiler of COMPILERS) {
  test(`benchmark ${file}: compiled (${compiler} regions) and interpreted agree at every stop`, () => {
    const pair = new MachinePair(file, join(BENCH_DIR, file), '', compiler);
    runInSteps(pair, BENCH_STEPS / 2, file.length);
    const compiledBefore = pair.compiled.machine.regionsCompiled;
    assert.ok(compiledBefore > 0, `${file}: no region was compiled in ${BENCH_STEPS / 2} steps, so this test compares nothing compiled`);
    assert.equal(hitBreakpoints(pair, 10), 10, `${file}: a breakpoint in hot code should be hit again and again`);
    // integer and branches touch no memory for millions of steps at this point: nothing to watch there.
    const watched = hitWatchpoints(pair, 10);
    assert.ok(!watched.accessed || watched.hits > 0, `${file}: the watched bytes should be accessed again`);
    runInSteps(pair, BENCH_STEPS, file.length + 1);
    assert.ok(pair.compiled.machine.regionsCompiled > compiledBefore, `${file}: regions should be compiled again after breakpoints changed`);
    assert.ok(pair.comparisons > 40, `${file}: only ${pair.comparisons} comparisons`);
  });
}
