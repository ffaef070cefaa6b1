/**
 * Long operations: a continue over hundreds of millions of steps reports progress, stops on `pause`,
 * and stops on `cancel` of its progress; the position is consistent afterwards (step forward and back
 * work from there).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DebugProtocol } from '@vscode/debugprotocol';
import { info, launchAndStop, ROOT, scratch, startClient, travel } from './fixture';

// 1.2 billion steps: several times what a fast machine runs in the time a pause takes to arrive.
const LONG = join(ROOT, 'bench/replay/long.elf');

/**
 * The progress of a continue, which must come before it stops: a continue that reached the end first
 * fails here by name, not by waiting 60 s for progress that will never come.
 */
async function beforeTheStop(progress: Promise<DebugProtocol.ProgressStartEvent>, stopped: Promise<DebugProtocol.StoppedEvent>): Promise<DebugProtocol.ProgressStartEvent> {
  const first = await Promise.race([progress, stopped.then((s) => `stopped (${s.body.description}) before it showed progress`)]);
  if (typeof first === 'string') assert.fail(`the continue ${first}`);
  return first;
}

test('pause stops a running continue; cancel of its progress does too', async () => {
  const dc = await startClient();
  try {
    await launchAndStop(dc, { program: LONG, stopOnEntry: true, recordingPath: join(scratch(), 'long.rewind') });
    let progress = dc.waitForEvent('progressStart') as Promise<DebugProtocol.ProgressStartEvent>;
    let stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await dc.continueRequest({ threadId: 1 });
    const started = await beforeTheStop(progress, stopped);
    assert.equal(started.body.cancellable, true);
    await dc.pauseRequest({ threadId: 1 });
    let stop = await stopped;
    assert.equal(stop.body.reason, 'pause');
    const paused = (await info(dc)).step;
    assert.ok(paused > 0 && paused < 1_000_000_000, `paused early, at step ${paused}`);
    assert.match(stop.body.description!, /^paused at step [\d,]+$/);

    progress = dc.waitForEvent('progressStart') as Promise<DebugProtocol.ProgressStartEvent>;
    stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await dc.continueRequest({ threadId: 1 });
    const second = await beforeTheStop(progress, stopped);
    await dc.customRequest('cancel', { progressId: second.body.progressId });
    stop = await stopped;
    assert.equal(stop.body.reason, 'pause');
    const cancelled = (await info(dc)).step;
    assert.ok(cancelled > paused && cancelled < 1_100_000_000, `cancelled at step ${cancelled}`);

    await travel(dc, () => dc.stepBackRequest({ threadId: 1, granularity: 'instruction' }));
    assert.equal((await info(dc)).step, cancelled - 1);
    await travel(dc, () => dc.nextRequest({ threadId: 1, granularity: 'instruction' }));
    assert.equal((await info(dc)).step, cancelled);
  } finally {
    await dc.stop();
  }
});
