/** At step 0 nothing lies behind: Step Back and Reverse Continue say "start of recording" and stay put. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { BUG_C, info, launchAndStop, record, startClient, travel } from './fixture';

test('Step Back (statement and instruction) and Reverse Continue at step 0 say start of recording', async () => {
  const dc = await startClient();
  try {
    await launchAndStop(dc, { recording: record('bug/bug.elf'), sourceRoot: dirname(BUG_C), stopOnEntry: true });
    assert.equal((await info(dc)).step, 0);
    for (const send of [
      () => dc.stepBackRequest({ threadId: 1 }),
      () => dc.stepBackRequest({ threadId: 1, granularity: 'instruction' }),
      () => dc.reverseContinueRequest({ threadId: 1 }),
    ]) {
      const stop = await travel(dc, send);
      assert.equal(stop.body.description, 'start of recording');
      assert.equal((await info(dc)).step, 0);
    }
  } finally {
    await dc.stop();
  }
});
