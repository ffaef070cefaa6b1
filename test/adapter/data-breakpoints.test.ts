/**
 * Data breakpoints say what gdb says: the expression, the old and the new value, the store's real width
 * and instruction. `write` is VS Code's "Break on Value Change" (a store that changes nothing is not a
 * stop), `readWrite` stops at every access (each byte store of memset once, as a 1-byte store) and
 * `read` at loads; all three in both directions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';
import { BUG_C, launchAndStop, markerLine, record, startClient, topFrame, travel } from './fixture';

/** Collects Debug Console output from now on. */
function consoleText(dc: DebugClient): () => string {
  let text = '';
  dc.on('output', (e: DebugProtocol.OutputEvent) => { text += e.body.output; });
  return () => text;
}

async function watch(dc: DebugClient, name: string, accessType: DebugProtocol.DataBreakpointAccessType): Promise<number> {
  const frame = await topFrame(dc);
  const dataInfo = await dc.dataBreakpointInfoRequest({ name, frameId: frame.id });
  const set = await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: dataInfo.body.dataId!, accessType }] });
  return set.body.breakpoints[0].id!;
}

test('write (value change): the expression, old → new value and the store, backwards and forwards', async () => {
  const dc = await startClient();
  try {
    await launchAndStop(dc, { recording: record('bug/bug.elf'), sourceRoot: dirname(BUG_C) },
      () => dc.setBreakpointsRequest({ source: { path: BUG_C }, breakpoints: [{ line: markerLine(BUG_C, 'BP_REPORT') }] }));
    const output = consoleText(dc);
    const id = await watch(dc, 'bank.accounts[1].balance', 'write');
    await dc.setBreakpointsRequest({ source: { path: BUG_C }, breakpoints: [] });

    const stray = await travel(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
    assert.equal(stray.body.reason, 'data breakpoint');
    assert.deepEqual(stray.body.hitBreakpointIds, [id]);
    assert.match(stray.body.description!, /^data breakpoint: bank\.accounts\[1\]\.balance changed from 100 to -35 \(step [\d,]+\)$/);
    assert.match(output(), /Data breakpoint: bank\.accounts\[1\]\.balance\nOld value = 100\nNew value = -35\n4-byte store \(sw\) at 0x[0-9a-f]{8} in remember \(bug\.c:\d+\), step [\d,]+\n/);

    // The write before it: Bob's own -20 posting, in post().
    const own = await travel(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
    assert.match(own.body.description!, /changed from 120 to 100 /);
    assert.equal((await topFrame(dc)).name, 'post');

    // Forwards from there (before that store): the store itself, then the stray write.
    const same = await travel(dc, () => dc.continueRequest({ threadId: 1 }));
    assert.match(same.body.description!, /changed from 120 to 100 /);
    const again = await travel(dc, () => dc.continueRequest({ threadId: 1 }));
    assert.match(again.body.description!, /changed from 100 to -35 /);
    assert.equal((await topFrame(dc)).name, 'remember');
  } finally {
    await dc.stop();
  }
});

test('write skips stores that change nothing (memset zeroing .bss); readWrite stops at each byte store once, with its real width', async () => {
  const recording = record('bug/bug.elf');
  for (const [accessType, expected] of [
    ['write', ['changed from NULL to (struct account *) 0x80200520 <bank>']],
    ['readWrite', Array(4).fill('written, value NULL')],
  ] as const) {
    const dc = await startClient();
    try {
      await launchAndStop(dc, { recording, sourceRoot: dirname(BUG_C), stopOnEntry: true });
      const output = consoleText(dc);
      await watch(dc, 'busiest', accessType);
      const seen: string[] = [];
      for (let i = 0; i < expected.length; i++) {
        const stop = await travel(dc, () => dc.continueRequest({ threadId: 1 }));
        assert.equal(stop.body.reason, 'data breakpoint', stop.body.description);
        seen.push(/^data breakpoint: busiest (.*) \(step/.exec(stop.body.description!)![1]);
      }
      assert.deepEqual(seen, expected);
      if (accessType === 'readWrite') {
        assert.equal(output().match(/1-byte store \(sb\) at 0x[0-9a-f]{8} in memset/g)?.length, 4, output());
        assert.doesNotMatch(output(), /4-byte store \(sb\)/);
      } else {
        assert.match(output(), /4-byte store \(sw\) at 0x[0-9a-f]{8} in post \(bug\.c:\d+\)/);
      }
    } finally {
      await dc.stop();
    }
  }
});

test('read: loads of the watched bytes, backwards and forwards, with the value read', async () => {
  const dc = await startClient();
  try {
    await launchAndStop(dc, { recording: record('bug/bug.elf'), sourceRoot: dirname(BUG_C) },
      () => dc.setBreakpointsRequest({ source: { path: BUG_C }, breakpoints: [{ line: markerLine(BUG_C, 'BP_REPORT') }] }));
    const output = consoleText(dc);
    await watch(dc, 'busiest', 'read');
    await dc.setBreakpointsRequest({ source: { path: BUG_C }, breakpoints: [] });
    const last = await travel(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
    assert.match(last.body.description!, /^data breakpoint: busiest read, value \(struct account \*\) 0x80200520 <bank> \(step/);
    assert.equal((await topFrame(dc)).name, 'main');
    assert.match(output(), /4-byte load \(lw\) at 0x[0-9a-f]{8} in main/);
    const before = await travel(dc, () => dc.reverseContinueRequest({ threadId: 1 }));
    assert.match(before.body.description!, /busiest read/);
    assert.equal((await topFrame(dc)).name, 'post');
    // Forwards from before that load: the load itself first, then on towards main's.
    const same = await travel(dc, () => dc.continueRequest({ threadId: 1 }));
    assert.match(same.body.description!, /busiest read/);
    assert.equal((await topFrame(dc)).name, 'post');
    let forward = same;
    while ((await topFrame(dc)).name !== 'main') {
      forward = await travel(dc, () => dc.continueRequest({ threadId: 1 }));
      assert.equal(forward.body.reason, 'data breakpoint', forward.body.description);
    }
    // The same load, seen from after it: one step later.
    const step = (d: string | undefined): number => Number(/step ([\d,]+)\)$/.exec(d ?? '')![1].replace(/,/g, ''));
    assert.equal(forward.body.description!.replace(/\(step.*$/, ''), last.body.description!.replace(/\(step.*$/, ''));
    assert.equal(step(forward.body.description), step(last.body.description) + 1);
  } finally {
    await dc.stop();
  }
});
