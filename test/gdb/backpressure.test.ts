/**
 * A client that asks and never reads (issue 20): `m` packets sent in a loop without reading the replies
 * pushed the stub to 717 MB. Now the stub makes no reply while 1 MiB of them is unread and reads no more
 * packets meanwhile, so its memory stays where it was; when the client reads, every packet is answered.
 * The stub is the built `rewind gdb` process, so that its own memory can be measured.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { exampleElf, recordToFile } from './stub-fixture';
import { startGdbCli } from './gdb-cli';
import { RspClient } from './rsp-client';

/** 8 KiB of memory a packet: 16 KiB of hex a reply, 80 MiB for all of them. */
const PACKETS = 5000;
const READ = 'm80000000,2000';

const peakMiB = (pid: number): number => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

test('m packets from a client that does not read: the stub stops answering and reading, its memory stays put, and every packet is answered once read', { timeout: 300_000 }, async () => {
  const stub = await startGdbCli([recordToFile(exampleElf('bug'))]);
  try {
    const socket = connect(stub.port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', () => resolve()).once('error', reject));
    socket.pause();
    const before = peakMiB(stub.child.pid!);
    socket.write(RspClient.frame(READ).repeat(PACKETS));
    // Time for the stub to answer everything it would: without backpressure all 80 MiB, here ~1 MiB.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const grown = peakMiB(stub.child.pid!) - before;
    assert.ok(grown < 40, `the stub grew by ${grown.toFixed(0)} MiB while its replies were not read`);
    // Reading now, every packet gets its reply.
    let replies = 0;
    let last = '';
    socket.setEncoding('latin1');
    await new Promise<void>((resolve, reject) => {
      socket.on('data', (d: string) => {
        for (let at = d.indexOf('$'); at >= 0; at = d.indexOf('$', at + 1)) replies++;
        last = (last + d).slice(-64);
        if (replies === PACKETS && /#[0-9a-f]{2}$/.test(last)) resolve();
      });
      // The stub gone (or the connection closed) before every reply came: say so, not wait for the test's timeout.
      socket.on('close', () => reject(new Error(`the connection closed after ${replies} of ${PACKETS} replies; the stub's stderr: ${stub.stderr()}`)));
      socket.resume();
    });
    assert.equal(replies, PACKETS);
    socket.destroy();
  } finally {
    stub.child.kill();
  }
});
