/**
 * Issue 20: a watched range that starts below RAM and ends inside it, or is 4 GiB or more long, watches
 * the RAM it covers (the engine clips it), in every front end: the adapter's `rewind/lastWrite` and the
 * GDB stub's `Z2`. examples/bug/bug.rewind, from its end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EXAMPLES, info, launchAndStop, startClient } from '../adapter/fixture';
import { startStub } from '../gdb/stub-fixture';
import { RspClient } from '../gdb/rsp-client';

const BUG = join(EXAMPLES, 'bug/bug.rewind');
const RAM = { base: 0x80000000, size: 128 << 20 };

test('rewind/lastWrite over a range from 0 into RAM, or of 8 GiB, finds the last write to RAM', async () => {
  const dc = await startClient();
  try {
    await launchAndStop(dc, { recording: BUG, stopOnEntry: true });
    const end = (await info(dc)).lastStep;
    const lastWriteFromEnd = async (address: number, length: number): Promise<number> => {
      await dc.customRequest('rewind/seek', { step: end });
      return (await dc.customRequest('rewind/lastWrite', { address, length })).body.step;
    };
    const wholeRam = await lastWriteFromEnd(RAM.base, RAM.size);
    assert.ok(wholeRam > 0 && wholeRam < end, `the last write to RAM at step ${wholeRam}`);
    assert.equal(await lastWriteFromEnd(0, 0x90000000), wholeRam, 'a range from 0 into RAM');
    assert.equal(await lastWriteFromEnd(0, 2 ** 33), wholeRam, 'a range of 8 GiB');
  } finally {
    await dc.stop();
  }
});

test('the GDB stub stops at a Z2 watchpoint from 0 into RAM and at one of 4 GiB', async () => {
  const stub = await startStub(BUG);
  const client = await RspClient.open(stub.port);
  try {
    const end = stub.engine.lastStep;
    const seekEnd = async (): Promise<void> => {
      const seek = Buffer.from(await client.request('qRcmd,' + Buffer.from(`replay-seek ${end}`).toString('hex')), 'hex').toString();
      assert.match(seek, /^now at step /);
    };
    const stopFor = async (z2: string): Promise<{ reply: string; step: number }> => {
      await seekEnd();
      assert.equal(await client.request(`Z2,${z2}`), 'OK');
      const reply = await client.request('bc');
      const step = stub.engine.step;
      assert.equal(await client.request(`z2,${z2}`), 'OK');
      return { reply, step };
    };
    const ram = await stopFor(`${RAM.base.toString(16)},${RAM.size.toString(16)}`);
    assert.match(ram.reply, /^T05watch:8[0-9a-f]{7};thread:1;$/);
    assert.deepEqual(await stopFor('0,90000000'), ram);
    assert.deepEqual(await stopFor('0,100000000'), ram);
  } finally {
    client.close();
    await stub.close();
  }
});
