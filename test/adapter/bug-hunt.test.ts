/**
 * The reverse-debugging demo solved over DAP: at the audit failure, a write data breakpoint on Bob's
 * balance and one reverse continue land on the stray write in remember(), during Alice's fifth posting.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { BUG_C, evaluate, info, launchAndStop, markerLine, record, startClient, topFrame, travel } from './fixture';

test('a write data breakpoint on Bob\'s balance and reverse continue find the stray write', async () => {
  const recording = record('bug/bug.elf');
  const dc = await startClient();
  try {
    const report = markerLine(BUG_C, 'BP_REPORT');
    const first = await launchAndStop(dc, { recording, sourceRoot: dirname(BUG_C) },
      () => dc.setBreakpointsRequest({ source: { path: BUG_C }, breakpoints: [{ line: report }] }));
    assert.equal(first.body.reason, 'breakpoint');
    assert.match(first.body.description!, /bug\.c:120/);
    let frame = await topFrame(dc);
    assert.equal(frame.line, report);
    assert.equal(frame.source?.path, BUG_C);
    assert.equal(await evaluate(dc, 'bank.accounts[1].balance', frame.id), '-35');

    const infoResponse = await dc.dataBreakpointInfoRequest({ name: 'bank.accounts[1].balance', frameId: frame.id });
    assert.ok(infoResponse.body.dataId, 'Bob\'s balance can be watched');
    assert.deepEqual(infoResponse.body.accessTypes, ['write', 'read', 'readWrite']);
    await dc.setBreakpointsRequest({ source: { path: BUG_C }, breakpoints: [] });
    const set = await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: infoResponse.body.dataId!, accessType: 'write' }] });
    assert.equal(set.body.breakpoints[0].verified, true);

    const stop = await travel(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
    assert.equal(stop.body.reason, 'data breakpoint');
    assert.deepEqual(stop.body.hitBreakpointIds, [set.body.breakpoints[0].id]);
    frame = await topFrame(dc);
    assert.equal(frame.name, 'remember');
    assert.equal(frame.line, markerLine(BUG_C, 'BP_CORRUPT'));
    // Before the write: Bob's balance is still right, and the posting is Alice's -35.
    assert.equal(await evaluate(dc, 'bank.accounts[1].balance', frame.id), '100');
    assert.equal(await evaluate(dc, 'amount', frame.id), '-35');
    assert.equal(await evaluate(dc, 'a->owner', frame.id), '"alice"');
    assert.equal(await evaluate(dc, 'a->next == &bank.accounts[0].recent[4]', frame.id), '1');

    // Forwards again, the same data breakpoint stops just after the write.
    const at = (await info(dc)).step;
    const forward = await travel(dc, () => dc.continueRequest({ threadId: 1 }));
    assert.equal(forward.body.reason, 'data breakpoint');
    assert.equal((await info(dc)).step, at + 1);
    assert.equal(await evaluate(dc, 'bank.accounts[1].balance', (await topFrame(dc)).id), '-35');
  } finally {
    await dc.stop();
  }
});

test('data breakpoints by address and by a variable\'s child, for reads and writes, in both directions', async () => {
  const recording = record('bug/bug.elf');
  const dc = await startClient();
  try {
    await launchAndStop(dc, { recording, sourceRoot: dirname(BUG_C) },
      () => dc.setBreakpointsRequest({ source: { path: BUG_C }, breakpoints: [{ line: markerLine(BUG_C, 'BP_REPORT') }] }));
    const frame = await topFrame(dc);
    // By a child in the Variables view: Globals > bank > accounts > [1] > balance.
    const scopes = (await dc.scopesRequest({ frameId: frame.id })).body.scopes;
    const globals = (await dc.variablesRequest({ variablesReference: scopes.find((s) => s.name === 'Globals')!.variablesReference })).body.variables;
    const bank = globals.find((g) => g.name === 'bank')!;
    const accounts = (await dc.variablesRequest({ variablesReference: bank.variablesReference })).body.variables.find((v) => v.name === 'accounts')!;
    const bob = (await dc.variablesRequest({ variablesReference: accounts.variablesReference })).body.variables[1];
    assert.equal(bob.evaluateName, 'bank.accounts[1]');
    const byChild = await dc.dataBreakpointInfoRequest({ variablesReference: bob.variablesReference, name: 'balance' });
    assert.match(byChild.body.description, /^bank\.accounts\[1\]\.balance \(4 bytes at 0x80200[0-9a-f]{3}\)$/);
    // By address, as the Memory view does.
    const address = byChild.body.dataId!.split('/')[0];
    const byAddress = await dc.dataBreakpointInfoRequest({ name: address, asAddress: true, bytes: 4 });
    assert.equal(byAddress.body.dataId, byChild.body.dataId);

    // A read watch, from the start: the first read of Bob's balance is his first posting in post().
    await dc.setBreakpointsRequest({ source: { path: BUG_C }, breakpoints: [] });
    await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: byAddress.body.dataId!, accessType: 'read' }] });
    await travel(dc, () => dc.customRequest('rewind/seek', { step: 0 }));
    let stop = await travel(dc, () => dc.continueRequest({ threadId: 1 }));
    assert.equal(stop.body.reason, 'data breakpoint');
    assert.match(stop.body.description!, /^data breakpoint: bank\.accounts\[1\]\.balance read, value 0 \(step [\d,]+\)$/);
    assert.equal((await topFrame(dc)).name, 'post');
    assert.equal(await evaluate(dc, 'p->amount', (await topFrame(dc)).id), '120');
    // readWrite, backwards from the end: the last access is the audit's read.
    await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: byAddress.body.dataId!, accessType: 'readWrite' }] });
    const lastStep = (await info(dc)).lastStep;
    await travel(dc, () => dc.customRequest('rewind/seek', { step: lastStep }));
    stop = await travel(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
    assert.equal(stop.body.reason, 'data breakpoint');
    assert.ok(['audit', 'print_statement'].includes((await topFrame(dc)).name));
    // Not in memory: a register variable cannot be watched, and says why (no data id; VS Code then
    // offers no "Break on Value Change", and still shows the rest of the variable's context menu).
    const bad = (await dc.dataBreakpointInfoRequest({ name: '$a0', frameId: (await topFrame(dc)).id })).body;
    assert.equal(bad.dataId, null);
    assert.match(bad.description, /\$a0 is not in memory/);
  } finally {
    await dc.stop();
  }
});
