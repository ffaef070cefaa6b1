/**
 * Long operations over MCP: a continue through a billion-step run reports progress to a client that
 * asked for it, and stops where it got to when the client cancels the request; the server then goes on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, RewindMcp } from './mcp-client';

/**
 * The run the cancel must land in: the client cancels at the second progress report (20 million steps),
 * and the server reads the cancel a turn after it arrives. A fresh server replays 200 million steps in
 * ~1.2 s at load 10 here: a client 400 ms late to react (a loaded machine; 130 ms on one three times as
 * fast) stopped it at step 166 million, and a little later none would. A billion gives five times the room.
 */
const STEPS = 1_000_000_000;

test('continue reports progress and stops early when the request is cancelled', async () => {
  const mcp = await RewindMcp.start([join(ROOT, 'bench/replay/long.elf'), '--max-steps', String(STEPS)]);
  try {
    const cancel = new AbortController();
    const progress: Array<{ progress: number; total?: number }> = [];
    const call = mcp.client.callTool({ name: 'continue', arguments: { direction: 'forward' } }, undefined, {
      timeout: 120_000,
      signal: cancel.signal,
      onprogress: (p) => {
        progress.push(p);
        if (progress.length === 2) cancel.abort('enough');
      },
    });
    await assert.rejects(call);
    assert.ok(progress.length >= 2, 'progress came before the end');
    assert.ok(progress[0].progress > 0 && progress[0].total === STEPS, `progress counts steps towards the end: ${JSON.stringify(progress[0])}`);
    // The next call waits for the cancelled one to stop, and finds the session where it stopped.
    const after = await mcp.call('info');
    assert.equal(after.steps, STEPS);
    assert.notEqual(after.step, STEPS, `the continue ran to the end before the server read the cancel sent at its second progress report (at step ${progress[1].progress})`);
    assert.ok((after.step as number) > 0, `stopped part way, at step ${after.step}`);
    await mcp.call('seek', { step: 0 });
    const stopped = await mcp.client.callTool({ name: 'continue', arguments: { direction: 'forward' } }, undefined, { timeout: 120_000 });
    assert.ok(!stopped.isError);
    assert.equal((stopped.structuredContent as { step: number }).step, STEPS, 'uncancelled, it runs to the end');
  } finally {
    await mcp.close();
  }
});
