/**
 * A reverse continue that only write watchpoints can stop skips the snapshot intervals in which no
 * watched page was written (the snapshots know which pages each interval wrote): it lands exactly where
 * a full scan and a straight run say, and replays fewer steps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from '../support/toolchain';
import { ReplayEngine, Until } from '../../emulator/replay/engine';
import { Watchpoint } from '../../emulator/machine';
import { PASS_AND_WAIT } from './programs';
import { record, stateHash, straightHashes } from './record';
import { forwardScan } from './forward-scan';
import { expectedBackward } from './expected-stops';

/** A breakpoint where no code runs: with it in the stop set, every interval is replayed (the full scan). */
const NEVER_HIT = 0x80100000;

/**
 * Writes `early` once at the start, then runs about 1.5M steps storing into a 64 KiB window of other
 * pages, then writes `late` (if any), then runs about 0.6M steps more like that, then writes `final` (if any).
 */
function program(early: number, late?: number, final?: number): { name: string; elf: Uint8Array; input: Uint8Array } {
  const loop = (label: number, count: number): string => `
  li t0, ${count}
${label}:
  sw t0, 0(a1)
  addi a1, a1, 64
  and a1, a1, a2
  or a1, a1, a3
  addi t0, t0, -1
  bnez t0, ${label}b`;
  const source = `
  li t1, 7
  li a0, ${early}
  sw t1, 0(a0)
  li a2, 0xffff
  li a3, 0x80500000
  mv a1, a3
  ${loop(1, 250_000)}
  ${late === undefined ? '' : `li a0, ${late}
  sw t1, 0(a0)`}
  ${loop(3, 100_000)}
  ${final === undefined ? '' : `li a0, ${final}
  sw t1, 0(a0)`}
  ${PASS_AND_WAIT}`;
  return { name: 'watch-skip.elf', elf: assemble(source), input: new Uint8Array(0) };
}

const CASES: Array<{ what: string; early: number; late?: number; final?: number; watch: Watchpoint }> = [
  { what: 'the watched word is written at the start only', early: 0x80400000, watch: { address: 0x80400000, length: 4, access: 'write' } },
  { what: 'the watched page is written late, beside the watched word', early: 0x80400000, late: 0x80400008, watch: { address: 0x80400000, length: 4, access: 'write' } },
  { what: 'a range across two pages, written early in its second page and late beside it in its first', early: 0x80401000, late: 0x80400ff0,
    watch: { address: 0x80400ffc, length: 8, access: 'write' } },
  { what: 'the watched word is written again just before the end, past the latest snapshot', early: 0x80400000, final: 0x80400000,
    watch: { address: 0x80400000, length: 4, access: 'write' } },
];

async function reverse(engine: ReplayEngine, from: number, until: Until): Promise<{ step: number; reason: string; replayed: number; reports: Array<[number, number]> }> {
  await engine.seek(from);
  const before = engine.stepsRun;
  const reports: Array<[number, number]> = [];
  const stop = await engine.run('backward', until, { progress: (done, total) => reports.push([done, total]) });
  return { step: engine.step, reason: stop.reason, replayed: engine.stepsRun - before, reports };
}

for (const c of CASES) {
  test(`reverse continue on a write watchpoint skips intervals that wrote no watched page: ${c.what}`, async () => {
    const p = program(c.early, c.late, c.final);
    const { recording } = record(p);
    const last = recording.lastStep;
    const hits = forwardScan(p, { watchpoints: [c.watch] }, last);
    assert.equal(hits.length, c.final === undefined ? 1 : 2, 'only the early (and final) store writes the watched bytes');
    const skipping = new ReplayEngine(recording, { snapshotInterval: 50_000 });
    const full = new ReplayEngine(recording, { snapshotInterval: 50_000 });
    // From the end (past the latest snapshot: that stretch is replayed), and from the middle, once
    // snapshots cover the whole recording.
    for (const from of [last, Math.floor(last * 0.7) + 3]) {
      const want = expectedBackward(from, hits, []);
      const skipped = await reverse(skipping, from, { watchpoints: [c.watch] });
      const scanned = await reverse(full, from, { watchpoints: [c.watch], breakpoints: [NEVER_HIT] });
      assert.deepEqual([skipped.step, skipped.reason], [want.position, 'watchpoint'], `from ${from}: the straight run's last write`);
      assert.deepEqual([scanned.step, scanned.reason], [want.position, 'watchpoint'], `from ${from}: the full scan's last write`);
      assert.equal(stateHash(skipping.machine), straightHashes(p, [want.position]).get(want.position));
      // (Going back to the final write replays only the stretch after the latest snapshot, either way.)
      if (want.position < last / 10) assert.ok(skipped.replayed * 3 < scanned.replayed, `from ${from}: replayed ${skipped.replayed} steps, the full scan ${scanned.replayed}`);
      for (let i = 1; i < skipped.reports.length; i++) {
        assert.ok(skipped.reports[i][0] >= skipped.reports[i - 1][0], `progress goes forward (${skipped.reports[i - 1]} then ${skipped.reports[i]})`);
      }
      assert.ok(skipped.reports.length > 0 && skipped.reports.every(([, total]) => total === from), 'progress is out of the whole way back');
    }
  });
}

test('a reverse continue that skips intervals can still be cancelled, and goes back to where it started', async () => {
  const p = program(0x80400000);
  const { recording } = record(p);
  const engine = new ReplayEngine(recording, { snapshotInterval: 50_000 });
  await engine.seek(recording.lastStep);
  const from = Math.floor(recording.lastStep / 2);
  await engine.seek(from);
  let reports = 0;
  const stop = await engine.run('backward', { watchpoints: [{ address: 0x80400000, length: 4, access: 'write' }] }, { progress: () => reports++, cancelled: () => reports >= 3 });
  assert.deepEqual(stop, { reason: 'cancelled' });
  assert.equal(engine.step, from);
  assert.equal(stateHash(engine.machine), straightHashes(p, [from]).get(from));
});
