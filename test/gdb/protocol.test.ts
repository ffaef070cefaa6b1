/**
 * The remote protocol over a raw socket, including what gdb never sends: bad checksums, torn,
 * malformed and oversized packets, writes to the past. The stub must answer every one sensibly, stay
 * alive, and leave the recording and the machine's state untouched.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { exampleElf, fileHash, recordToFile, startStub, Stub } from './stub-fixture';
import { RspClient } from './rsp-client';
import { readFileSync } from 'node:fs';
import { parseElf } from '../../emulator/elf';

let stub: Stub;
let recording: string;
let hashBefore: string;
let client: RspClient;

before(async () => {
  recording = recordToFile(exampleElf('bug'));
  hashBefore = fileHash(recording);
  stub = await startStub(recording);
  client = await RspClient.open(stub.port);
});

after(async () => {
  client.close();
  await stub.close();
});

test('qSupported offers reverse execution, the target description and no-ack mode', async () => {
  const reply = await client.request('qSupported:multiprocess+;swbreak+;hwbreak+;vContSupported+');
  for (const feature of ['ReverseStep+', 'ReverseContinue+', 'swbreak+', 'hwbreak+', 'qXfer:features:read+', 'QStartNoAckMode+', 'vContSupported+']) {
    assert.ok(reply.split(';').includes(feature), `${feature} missing from ${reply}`);
  }
  assert.match(reply, /PacketSize=[0-9a-f]+/);
});

test('the target description is riscv:rv32 with the integer registers, pc and the CSRs, read in pieces', async () => {
  let xml = '';
  for (let offset = 0; ; ) {
    const reply = await client.request(`qXfer:features:read:target.xml:${offset.toString(16)},400`);
    assert.ok(reply[0] === 'm' || reply[0] === 'l', reply.slice(0, 40));
    xml += reply.slice(1);
    offset += reply.length - 1;
    if (reply[0] === 'l') break;
  }
  assert.match(xml, /<architecture>riscv:rv32<\/architecture>/);
  assert.match(xml, /<reg name="pc" bitsize="32" type="code_ptr" regnum="32"\/>/);
  assert.match(xml, new RegExp(`<reg name="mstatus" [^>]*regnum="${65 + 0x300}"`));
  assert.match(xml, new RegExp(`<reg name="mcause" [^>]*regnum="${65 + 0x342}"`));
  assert.equal(await client.request('qXfer:features:read:other.xml:0,100'), 'E00');
});

test('threads, attach state, and the initial stop', async () => {
  assert.equal(await client.request('qAttached'), '1');
  assert.equal(await client.request('qC'), 'QC1');
  assert.equal(await client.request('qfThreadInfo'), 'm1');
  assert.equal(await client.request('qsThreadInfo'), 'l');
  assert.equal(await client.request('Hg0'), 'OK');
  assert.equal(await client.request('?'), 'T05thread:1;');
  assert.equal(await client.request('vCont?'), 'vCont;c;C;s;S');
});

test('g gives x0-x31 and pc little-endian; p reads a CSR', async () => {
  const g = await client.request('g');
  assert.equal(g.length, 33 * 8);
  assert.equal(g.slice(32 * 8), '00000080', 'pc is the entry point 0x80000000');
  assert.equal(g.slice(0, 8), '00000000', 'x0');
  const misa = await client.request(`p${(65 + 0x301).toString(16)}`);
  assert.equal(Buffer.from(misa, 'hex').readUInt32LE(0) >>> 30, 1, 'misa says RV32');
  assert.equal(await client.request('p7ff'), 'E16', 'a register this target does not have');
});

test('m reads RAM; memory outside RAM is an error, never made-up bytes', async () => {
  const m = await client.request('m80000000,4');
  assert.equal(m.length, 8);
  assert.equal(m, Buffer.from(stub.engine.machine.peek(0x80000000, 4)).toString('hex'));
  assert.equal(await client.request('m0,4'), 'E0e');
  assert.equal(await client.request('m10000000,1'), 'E0e', 'the UART is a device: reading it could change it');
});

test('history is read-only: G, P, M and X answer an error and change nothing', async () => {
  const g = await client.request('g');
  const mem = await client.request('m80200000,8');
  assert.equal(await client.request('G' + '11'.repeat(33 * 4)), 'E01');
  assert.equal(await client.request('P20=00000000'), 'E01');
  assert.equal(await client.request('M80200000,4:deadbeef'), 'E01');
  assert.equal(await client.request('X80200000,4:abcd'), 'E01');
  assert.equal(await client.request('g'), g);
  assert.equal(await client.request('m80200000,8'), mem);
});

test('a bad checksum is refused with "-" and the next packet is answered', async () => {
  client.raw('$g#00');
  await client.expectRaw('-');
  assert.equal((await client.request('g')).length, 33 * 8);
});

test('malformed, unknown, torn and noisy input gets errors or empty replies, and the stub stays alive', async () => {
  assert.equal(await client.request('mzz,4'), 'E16');
  assert.equal(await client.request('m80000000'), 'E16');
  assert.equal(await client.request('Z0,nothex,2'), 'E16');
  assert.equal(await client.request('Z9,80000000,2'), '');
  assert.equal(await client.request('qNoSuchThing'), '');
  assert.equal(await client.request('qRcmd,zz'), 'E16');
  client.raw('line noise\r\n');
  client.raw('$m8000'); // torn: the next `$` starts over
  assert.equal((await client.request('g')).length, 33 * 8);
});

test('an oversized packet is dropped with an error and the stub goes on', async () => {
  client.raw('$' + 'a'.repeat(100_000) + '#00');
  assert.equal(await client.nextPacket(), 'E16');
  assert.equal(await client.request('qC'), 'QC1');
  assert.ok(stub.log.some((l) => l.includes('dropped a packet of')), stub.log.join('\n'));
});

test('a disconnect leaves the stub serving: the next client finds the same step; the recording file is untouched', async () => {
  assert.match(await client.request('vCont;c'), /^T05replaylog:end;/);
  const step = stub.engine.step;
  client.raw(RspClient.frame('bs'));
  client.close();
  await stub.disconnections(1);
  client = await RspClient.open(stub.port);
  assert.equal(await client.request('qC'), 'QC1');
  assert.ok(stub.engine.step === step || stub.engine.step === step - 1, `at step ${stub.engine.step}, was ${step}`);
  assert.equal(fileHash(recording), hashBefore);
});

test('no-ack mode: after QStartNoAckMode the stub sends no acknowledgements', async () => {
  assert.equal(await client.request('QStartNoAckMode'), 'OK');
  client.raw(RspClient.frame('qC'));
  const reply = await client.nextPacket();
  assert.equal(reply, 'QC1');
  client.raw('$g#00'); // a bad checksum in no-ack mode: dropped silently, not "-"
  client.raw(RspClient.frame('qAttached'));
  assert.equal(await client.nextPacket(), '1');
});

test('Z1 stops with hwbreak, Z2/Z3/Z4 with watch, rwatch and awatch at an address inside the watched range', async () => {
  const image = parseElf(readFileSync(exampleElf('bug')));
  const hex = (n: number): string => (n >>> 0).toString(16);
  const main = image.symbol('main')!.value;
  const bank = image.symbol('bank')!.value;
  const journal = image.symbol('journal')!.value;
  assert.match(await client.request('bs'), /^T05/); // leave the end of the recording
  const seek = Buffer.from(await client.request('qRcmd,' + Buffer.from('replay-seek 0').toString('hex')), 'hex').toString();
  assert.match(seek, /^now at step 0 /);
  assert.equal(await client.request(`Z1,${hex(main)},2`), 'OK');
  assert.equal(await client.request('vCont;c'), 'T05hwbreak:;thread:1;');
  assert.equal(stub.engine.machine.pc >>> 0, main);
  assert.equal(await client.request(`z1,${hex(main)},2`), 'OK');
  // Bob's balance (bank.accounts[1].balance, 36 bytes into bank) is first written by post.
  assert.equal(await client.request(`Z2,${hex(bank + 36)},4`), 'OK');
  assert.equal(await client.request('c'), `T05watch:${hex(bank + 36)};thread:1;`);
  assert.equal(await client.request(`z2,${hex(bank + 36)},4`), 'OK');
  assert.equal(await client.request(`Z3,${hex(journal)},40`), 'OK');
  assert.match(await client.request('c'), new RegExp(`^T05rwatch:([0-9a-f]+);thread:1;$`));
  assert.equal(await client.request(`z3,${hex(journal)},40`), 'OK');
  assert.equal(await client.request(`Z4,${hex(bank + 36)},4`), 'OK');
  assert.equal(await client.request('bc'), `T05awatch:${hex(bank + 36)};thread:1;`);
  assert.equal(await client.request(`z4,${hex(bank + 36)},4`), 'OK');
  assert.equal(await client.request('Z2,80200000,0'), 'E16', 'a watchpoint of no bytes');
});
