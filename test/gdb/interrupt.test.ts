/**
 * Interrupting long operations over a raw socket: the 0x03 byte during a continue, `vCtrlC` during a
 * reverse-continue, and a client that vanishes in the middle of one. Each must stop the operation at a
 * consistent step (T02, SIGINT, as gdb expects) and leave the stub serving. The interrupt is sent right
 * behind the command, so these tests do not depend on how fast the emulator is.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileHash, recordToFile, startStub, Stub } from './stub-fixture';
import { longRunElf } from './long-run';
import { RspClient } from './rsp-client';

let stub: Stub;
let recording: string;
let client: RspClient;

before(async () => {
  recording = recordToFile(longRunElf());
  stub = await startStub(recording, true);
  client = await RspClient.open(stub.port);
});
after(async () => {
  client.close();
  await stub.close();
});

test('the recording is long enough to interrupt', () => {
  assert.ok(stub.engine.lastStep > 100_000_000, `only ${stub.engine.lastStep} steps`);
});

test('0x03 during a continue stops it with T02 before the end', async () => {
  // In one write: however fast the emulator, the interrupt is read while the continue runs (the engine
  // gives the event loop its first turn after one slice, long before the end of the recording).
  client.raw(Buffer.concat([Buffer.from(RspClient.frame('vCont;c')), Buffer.from([0x03])]));
  const reply = await client.nextPacket();
  assert.equal(reply, 'T02thread:1;');
  assert.ok(stub.engine.step > 0 && stub.engine.step < stub.engine.lastStep, `stopped at step ${stub.engine.step}`);
  assert.equal(await client.request('?'), 'T02thread:1;');
});

/**
 * A breakpoint where no code runs, so that a reverse-continue searches the whole recording (with
 * nothing at all to stop at, it is answered at once: step 0).
 */
const NEVER_HIT = 'Z0,80100000,4';

test('vCtrlC during a reverse-continue answers OK, then T02, and leaves the position where it was', async () => {
  assert.match(await client.request('c'), /^T05replaylog:end;/);
  const from = stub.engine.step;
  assert.equal(await client.request(NEVER_HIT), 'OK');
  client.raw(RspClient.frame('bc') + RspClient.frame('vCtrlC'));
  assert.equal(await client.nextPacket(), 'OK');
  assert.equal(await client.nextPacket(), 'T02thread:1;');
  assert.equal(stub.engine.step, from);
  // Registers answer at once after the interrupt: the stub is idle again.
  assert.equal((await client.request('g')).length, 33 * 8);
});

test('a client that disconnects during a reverse-continue leaves the stub alive and the recording unchanged', async () => {
  const hash = fileHash(recording);
  const from = stub.engine.step;
  assert.equal(await client.request(NEVER_HIT), 'OK');
  client.socket.end(RspClient.frame('bc'));
  await stub.disconnections(1);
  // The stub read the reverse-continue and never answered it: it was cancelled when the client went.
  const bc = stub.log.lastIndexOf('<- bc');
  assert.ok(bc >= 0, stub.log.join('\n'));
  assert.deepEqual(stub.log.slice(bc + 1).filter((l) => l.startsWith('->')), []);
  assert.equal(stub.engine.step, from, 'the cancelled reverse-continue went back to where it started');
  client = await RspClient.open(stub.port);
  assert.equal(await client.request('qC'), 'QC1');
  assert.match(await client.request('bs'), /^T05thread:1;$/);
  assert.equal(stub.engine.step, from - 1);
  assert.equal(fileHash(recording), hash);
});
