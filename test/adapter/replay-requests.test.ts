/**
 * Rewind's own requests and the jumps: info, seek (continued, then stopped "Step N"), step breakpoints
 * in both directions, last write by variable and by address, Jump to Cursor's previous and next
 * execution of a line; and the guest's output shown once however often history is replayed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { DebugProtocol } from '@vscode/debugprotocol';
import { BUG_C, evaluate, info, launchAndStop, markerLine, record, startClient, topFrame, travel } from './fixture';

test('seek, step breakpoints, last write and goto targets, with output shown once', async () => {
  const dc = await startClient();
  const output: string[] = [];
  dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.category === 'stdout') output.push(e.body.output); });
  try {
    const recording = record('bug/bug.elf');
    const end = await launchAndStop(dc, { recording, sourceRoot: dirname(BUG_C) });
    assert.equal(end.body.description, 'exited with status 1');
    let state = await info(dc);
    assert.deepEqual([state.lastStep, state.recording, state.program, state.live], [34_102, recording, 'bug.elf', false]);
    // The run ends in picolibc's exit code, whose sources are not here: F5 shows main's last line that ran.
    const landed = await topFrame(dc);
    assert.deepEqual([landed.name, landed.source?.path], ['main', BUG_C]);
    assert.ok(state.step < state.lastStep && state.step > 30_000, `shown at step ${state.step}, before the end`);
    assert.ok((state.snapshots as number[]).includes(0));
    const printed = output.join('');
    assert.match(printed, /^Rewind Savings: 16 postings, control total 1120\n/);
    assert.match(printed, /AUDIT FAILED: balances are off by -135\n$/);

    // Seek: continued, then stopped with "Step N".
    const continued = dc.waitForEvent('continued');
    let stop = await travel(dc, () => dc.customRequest('rewind/seek', { step: 20_000 }));
    await continued;
    assert.equal(stop.body.description, 'Step 20,000');
    assert.equal((await info(dc)).step, 20_000);
    await dc.customRequest('rewind/seek', { step: 99_999 }).then(() => assert.fail('seek past the end must fail'), (e: Error) => {
      assert.match(e.message, /cannot seek to step 99999: the recording goes from step 0 to step 34,102/);
    });

    // Step breakpoints stop in both directions.
    let sb = (await dc.customRequest('rewind/stepBreakpoints', { action: 'add', step: 12_345 })).body;
    assert.deepEqual(sb.stepBreakpoints, [12_345]);
    await dc.customRequest('rewind/stepBreakpoints', { action: 'add', step: 30_000 });
    stop = await travel(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
    assert.equal(stop.body.description, 'step breakpoint at step 12,345');
    assert.equal((await info(dc)).step, 12_345);
    stop = await travel(dc, () => dc.continueRequest({ threadId: 1 }));
    assert.equal(stop.body.description, 'step breakpoint at step 30,000');
    sb = (await dc.customRequest('rewind/stepBreakpoints', { action: 'remove', step: 30_000 })).body;
    assert.deepEqual(sb.stepBreakpoints, [12_345]);
    assert.deepEqual((await dc.customRequest('rewind/stepBreakpoints', { action: 'list' })).body.stepBreakpoints, [12_345]);
    await dc.customRequest('rewind/stepBreakpoints', { action: 'remove', step: 777 }).then(() => assert.fail('removing a missing one must fail'), (e: Error) => {
      assert.match(e.message, /there is no step breakpoint at step 777/);
    });
    await dc.customRequest('rewind/stepBreakpoints', { action: 'add' }).then(() => assert.fail('an add without a step must fail'), (e: Error) => {
      assert.match(e.message, /rewind\/stepBreakpoints add needs "step"/);
      assert.doesNotMatch(e.message, /undefined/);
    });
    await dc.customRequest('rewind/stepBreakpoints', { action: 'remove', step: 12_345 });

    // Last write to Bob's balance: the stray write in remember().
    const frameId = (await topFrame(dc)).id;
    const lw = (await dc.customRequest('rewind/lastWrite', { variable: 'bank.accounts[1].balance', frameId })).body;
    const f = await topFrame(dc);
    assert.equal(f.line, markerLine(BUG_C, 'BP_CORRUPT'));
    assert.equal(lw.step, (await info(dc)).step);
    assert.equal(await evaluate(dc, 'amount', f.id), '-35');
    // By address: the last write to Alice's balance before this step was post()'s `a->balance += ...`.
    const alice = (await dc.evaluateRequest({ expression: 'bank.accounts[0].balance', frameId: f.id, context: 'watch' })).body.memoryReference!;
    await dc.customRequest('rewind/lastWrite', { address: alice, length: 4 });
    assert.equal((await topFrame(dc)).name, 'post');
    await dc.customRequest('rewind/seek', { step: 10 });
    await dc.customRequest('rewind/lastWrite', { address: alice, length: 4 }).then(() => assert.fail('nothing wrote it yet'), (e: Error) => {
      assert.match(e.message, /nothing wrote 4 bytes at 0x80200[0-9a-f]{3} between the start of the recording and step 10/);
    });
    assert.equal((await info(dc)).step, 10, 'a failed search leaves the position where it was');

    // Jump to Cursor: the next, then the previous execution of a line.
    const line = markerLine(BUG_C, 'BP_CORRUPT');
    const targets = (await dc.gotoTargetsRequest({ source: { path: BUG_C }, line })).body.targets;
    assert.deepEqual(targets.map((t) => t.label), [`Previous execution of line ${line}`, `Next execution of line ${line}`]);
    stop = await travel(dc, () => dc.gotoRequest({ threadId: 1, targetId: targets[1].id }));
    assert.equal(stop.body.reason, 'goto');
    assert.equal(await evaluate(dc, 'amount', (await topFrame(dc)).id), '500');
    await travel(dc, () => dc.gotoRequest({ threadId: 1, targetId: targets[1].id }));
    assert.equal(await evaluate(dc, 'amount', (await topFrame(dc)).id), '120');
    await travel(dc, () => dc.gotoRequest({ threadId: 1, targetId: targets[0].id }));
    assert.equal(await evaluate(dc, 'amount', (await topFrame(dc)).id), '500');

    // Replaying to the end again printed nothing twice.
    await travel(dc, () => dc.continueRequest({ threadId: 1 }));
    assert.equal(output.join(''), printed);
    state = await info(dc);
    assert.equal(state.step, 34_102);
  } finally {
    await dc.stop();
  }
});
