/**
 * The snapshot index in a debug session: a session that replays a whole recording without an index
 * writes one when it ends; the next session on that recording (which F5 takes from the index) lands at
 * the same place and shows the same program output, each line with the same step; a damaged index is
 * said once in the Debug Console and the session is the same again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';
import { BUG_C, info, launchAndStop, record, startClient } from './fixture';
import { OutputData, outputLines } from '../../adapter/custom-requests';

interface Session {
  step: number;
  line: number | undefined;
  /** Program output lines, each with the step the adapter gives it (events batch lines by time: compared by line). */
  output: string[];
  /** Rewind's own messages about the index. */
  said: string[];
}

async function session(recording: string): Promise<Session> {
  const dc: DebugClient = await startClient();
  const output: string[] = [];
  const said: string[] = [];
  dc.on('output', (e: DebugProtocol.OutputEvent) => {
    if (e.body.category === 'stdout' || e.body.category === 'stderr') {
      for (const line of outputLines(e.body.output, e.body.data as OutputData)) output.push(`${line.step}: ${line.text}`);
    }
    else if (e.body.output.includes('snapshot index') || e.body.output.includes('.index')) said.push(e.body.output);
  });
  try {
    await launchAndStop(dc, { recording, sourceRoot: dirname(BUG_C) });
    const st = await dc.stackTraceRequest({ threadId: 1 });
    const result = { step: (await info(dc)).step, line: st.body.stackFrames[0]?.line, output, said };
    await dc.disconnectRequest({});
    return result;
  } finally {
    await dc.stop();
  }
}

test('a session that replayed the whole recording writes the index; the next one lands at the same place with the same output', async () => {
  const recording = record('bug/bug.elf');
  const index = `${recording}.index`;
  assert.ok(!existsSync(index));
  const first = await session(recording);
  assert.ok(existsSync(index), 'the first session wrote the index');
  assert.equal(readFileSync(index).subarray(0, 8).toString('latin1'), 'REWINDX1');
  assert.ok(first.output.length > 0, 'the program printed something');
  const second = await session(recording);
  assert.deepEqual(second, first);

  const damaged = readFileSync(index);
  damaged[100] ^= 0xff; // a byte of a stored page
  writeFileSync(index, damaged);
  const third = await session(recording);
  assert.equal(third.said.length, 1, third.said.join(''));
  assert.match(third.said[0], /^Rewind: the snapshot index is not used: its state at step [\d,]+ does not match the recording's state hash there; travel replays from the start of the recording instead\.\n$/);
  assert.deepEqual({ ...third, said: [] }, first);
});
