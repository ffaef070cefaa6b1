/**
 * Issue 20: a watched range that starts below RAM and ends inside it, or is 4 GiB or more long, watches
 * the RAM it covers (the engine clips it), in every front end: the adapter's `rewind/lastWrite` and the
 * GDB stub's `Z2`; a range with no RAM in it at all is refused with a sentence. examples/bug/bug.rewind,
 * from its end.
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

const NO_RAM = /^([\d,]+) bytes at 0x[0-9a-f]+ hold no RAM, so nothing there can be watched: Rewind watches RAM only, 0x80000000 to 0x87ffffff$/;

test('a range with no RAM in it (device registers, nothing) is refused with a sentence, not watched in vain: lastWrite, data breakpoints', async () => {
  const dc = await startClient();
  try {
    await launchAndStop(dc, { recording: BUG, stopOnEntry: true });
    await dc.customRequest('rewind/seek', { step: (await info(dc)).lastStep });
    // Before, lastWrite said "nothing wrote 8 bytes at 0x10000000 ..." and the data breakpoint was verified and never hit.
    for (const [address, length] of [[0, 0x1000], [0x10000000, 8], [RAM.base + RAM.size, 16], [0xfffffff0, 0x100]]) {
      const error = await dc.customRequest('rewind/lastWrite', { address, length }).then(() => 'found a write', (e: Error) => e.message);
      assert.match(error, NO_RAM, `lastWrite at 0x${address.toString(16)}`);
    }
    const info0 = await dc.dataBreakpointInfoRequest({ name: '0x10000000', asAddress: true, bytes: 8 });
    assert.equal(info0.body.dataId, null);
    assert.match(info0.body.description, NO_RAM);
    const set = await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: '0x10000000/8', accessType: 'write' }, { dataId: '0x80000000/0' }, { dataId: '0x80000000/4' }] });
    assert.deepEqual(set.body.breakpoints.map((b) => b.verified), [false, false, true]);
    assert.match(set.body.breakpoints[0].message!, NO_RAM);
    assert.equal(set.body.breakpoints[1].message, 'a watched range needs a length of 1 byte or more');
  } finally {
    await dc.stop();
  }
});

test('the GDB stub refuses a watchpoint with no RAM in it (EFAULT, the reason in its log) and keeps one in RAM', async () => {
  const stub = await startStub(BUG);
  const client = await RspClient.open(stub.port);
  try {
    assert.equal(await client.request('Z2,10000000,8'), 'E0e');
    assert.match(stub.log.join('\n'), /watchpoint refused: 8 bytes at 0x10000000 hold no RAM, so nothing there can be watched/);
    assert.equal(await client.request('Z3,90000000,4'), 'E0e');
    assert.equal(await client.request('Z2,80000000,4'), 'OK');
    assert.equal(await client.request('z2,10000000,8'), 'OK'); // removing what is not there is harmless
  } finally {
    client.close();
    await stub.close();
  }
});
