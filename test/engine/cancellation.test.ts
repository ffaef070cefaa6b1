/**
 * Long operations report progress and can be cancelled; a cancelled operation leaves the engine at a
 * consistent step (the state of a straight run to that step), from which travel goes on normally.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from '../support/toolchain';
import { ReplayEngine } from '../../emulator/replay/engine';
import { PASS_AND_WAIT, Program } from './programs';
import { record, stateHash, straightHashes } from './record';

// About 24 million steps: longer than the engine's 10-million-step slices, between which it reports
// progress and checks for cancellation.
const SOURCE = `
  li t0, 12000000
1:
  addi t0, t0, -1
  bnez t0, 1b
  ${PASS_AND_WAIT}
`;

let long: { program: Program; recording: ReturnType<typeof record>['recording'] } | undefined;
function longRun(): NonNullable<typeof long> {
  if (!long) {
    const program = { name: 'long.elf', elf: assemble(SOURCE), input: new Uint8Array(0) };
    long = { program, recording: record(program).recording };
  }
  return long;
}

/** A breakpoint where no code runs: a reverse continue must search the whole recording to find it never hit. */
const NEVER_HIT = { breakpoints: [0x80100000] };

// Snapshots every 4M steps, and every 12M: then each interval is replayed in more than one slice, whose
// own reports must not make the bar jump back.
for (const snapshotInterval of [4_000_000, 12_000_000]) test(`reverse continue that finds nothing reports progress over the whole recording and stops at the start (snapshots every ${snapshotInterval / 1e6}M steps)`, async () => {
  const { recording } = longRun();
  const engine = new ReplayEngine(recording, { snapshotInterval });
  await engine.seek(recording.lastStep);
  const reports: Array<[number, number]> = [];
  const stop = await engine.run('backward', NEVER_HIT, { progress: (done, total) => reports.push([done, total]) });
  assert.deepEqual(stop, { reason: 'start' });
  assert.equal(engine.step, 0);
  assert.ok(reports.length >= 3, `only ${reports.length} progress reports`);
  for (let i = 1; i < reports.length; i++) {
    assert.ok(reports[i][0] >= reports[i - 1][0], `progress goes forward, never back (${reports[i - 1]} then ${reports[i]})`);
    assert.equal(reports[i][1], recording.lastStep, 'every report is out of the whole way back');
  }
  assert.deepEqual(reports.at(-1), [recording.lastStep, recording.lastStep]);
});

test('a cancelled reverse continue goes back to where it started', async () => {
  const { program, recording } = longRun();
  const engine = new ReplayEngine(recording, { snapshotInterval: 4_000_000 });
  const from = recording.lastStep - 3;
  await engine.seek(from);
  let reports = 0;
  const stop = await engine.run('backward', NEVER_HIT, { progress: () => reports++, cancelled: () => reports >= 2 });
  assert.deepEqual(stop, { reason: 'cancelled' });
  assert.equal(engine.step, from);
  assert.equal(stateHash(engine.machine), straightHashes(program, [from]).get(from));
});

test('a cancelled continue and a cancelled seek stop at a consistent step, and travel goes on', async () => {
  const { program, recording } = longRun();
  const engine = new ReplayEngine(recording, { snapshotInterval: 3_000_000 });
  let reports = 0;
  const stop = await engine.run('forward', {}, { progress: (done, total) => { reports++; assert.ok(done <= total); }, cancelled: () => reports >= 1 });
  assert.deepEqual(stop, { reason: 'cancelled' });
  const at = engine.step;
  assert.ok(at > 0 && at < recording.lastStep, `cancelled at step ${at}`);

  // A seek from step 0 of a fresh engine runs more than one slice before it gets there.
  const seeker = new ReplayEngine(recording, { snapshotInterval: 3_000_000 });
  let seekReports = 0;
  const seekStop = await seeker.seek(recording.lastStep - 1, { progress: () => seekReports++, cancelled: () => seekReports >= 1 });
  assert.deepEqual(seekStop, { reason: 'cancelled' });
  const seekAt = seeker.step;
  assert.ok(seekAt > 0 && seekAt < recording.lastStep - 1, `the seek was cancelled at step ${seekAt}`);

  const expected = straightHashes(program, [at, seekAt, 5]);
  assert.equal(stateHash(seeker.machine), expected.get(seekAt), 'after the cancelled seek');
  await engine.seek(at);
  assert.equal(stateHash(engine.machine), expected.get(at), 'where the cancelled continue stopped');
  await engine.seek(5);
  assert.equal(stateHash(engine.machine), expected.get(5));
  assert.equal((await engine.run('forward')).reason, 'end');
  assert.equal(engine.step, recording.lastStep);
});
