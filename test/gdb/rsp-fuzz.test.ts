/**
 * Remote-protocol fuzz (issue 20): seeded random and mutated packets to the stub on a recording of bug.elf:
 * every command gdb knows with arguments out of range, bytes flipped, garbage, torn and oversized packets,
 * bad checksums. For each: a reply when the packet was whole, the stub still answering `?` after it, no
 * JavaScript stack in a reply (monitor output decoded) or in the stub's log, each within a bound.
 * REWIND_FUZZ_CASES=5000 REWIND_FUZZ_SEED=7 runs more, or another sequence.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Prng } from '../engine/prng';
import { exampleElf, recordToFile, startStub } from './stub-fixture';
import { RspClient } from './rsp-client';

const CASES = Number(process.env.REWIND_FUZZ_CASES ?? 1000);
const SEED = Number(process.env.REWIND_FUZZ_SEED ?? 20);
const CASE_MS = 30_000;

const hex = (n: number): string => (n >>> 0).toString(16);
const toHex = (text: string): string => Buffer.from(text, 'latin1').toString('hex');

function address(r: Prng): string {
  return hex([0, 0x80000000, 0x80200000, 0x10000000, 0x02000000, 0xfffffffc, 0x7ffffffe, r.below(2 ** 32)][r.below(8)]);
}

function length(r: Prng): string {
  return [hex(r.below(64)), '0', 'ffffffff', '100000', hex(r.below(0x5000)), 'zz', '-1'][r.below(7)];
}

/** A packet gdb might send (the session's ends, k, D and vKill, are tested elsewhere). */
function packet(r: Prng): string {
  const monitor = ['help', 'info', 'seek 100', 'seek -1', 'seek 99999999999', 'step', 'stepbreak add 5', 'last-write 0x80200000 4', 'x', ''][r.below(10)];
  const templates = [
    () => `m${address(r)},${length(r)}`, () => `M${address(r)},4:deadbeef`, () => `X${address(r)},${length(r)}:`, () => 'g', () => `G${'00'.repeat(r.below(200))}`,
    () => `p${hex(r.below(0x1100))}`, () => `P${hex(r.below(70))}=${'ff'.repeat(r.below(6))}`, () => `Z${r.below(6)},${address(r)},${length(r)}`,
    () => `z${r.below(6)},${address(r)},${length(r)}`, () => 'c', () => 's', () => 'bc', () => 'bs', () => ['vCont;c', 'vCont;s', 'vCont;x', 'vCont?', 'vCont;c:1', 'vCont;t'][r.below(6)],
    () => 'qSupported:multiprocess+;swbreak+', () => `qXfer:features:read:target.xml:${length(r)},${length(r)}`, () => `qXfer:${['features', 'memory-map', 'x'][r.below(3)]}:read:${['a', ''][r.below(2)]}:0,ff`,
    () => `qRcmd,${toHex(monitor)}`, () => `qRcmd,${'z'.repeat(r.below(5))}`, () => '?', () => `H${['g', 'c', 'x'][r.below(3)]}${['0', '1', '-1', 'p1.1'][r.below(4)]}`, () => `T${hex(r.below(4))}`,
    () => ['qC', 'qfThreadInfo', 'qsThreadInfo', 'qAttached', 'qOffsets', 'qTStatus', 'vMustReplyEmpty', 'qSymbol::', 'QThreadEvents:1', 'vRun;'][r.below(10)],
    () => `x${Array.from({ length: r.below(40) }, () => String.fromCharCode(0x20 + r.below(0x5e))).join('').replace(/[$#}*]/g, 'a')}`,
  ];
  let p = templates[r.below(templates.length)]();
  // A byte flipped here and there (never the first, which could make k or D, nor into the framing characters).
  if (p.length > 1 && r.below(4) === 0) {
    const i = 1 + r.below(p.length - 1);
    p = p.slice(0, i) + String.fromCharCode(0x20 + r.below(0x5e)).replace(/[$#}*]/, 'q') + p.slice(i + 1);
  }
  return p;
}

type Case = { whole: true; payload: string } | { whole: false; bytes: string };

function nextCase(r: Prng): Case {
  switch (r.below(12)) {
    case 0: return { whole: false, bytes: `$m80000000,4#${['00', 'zz', 'g0'][r.below(3)]}` };
    case 1: return { whole: false, bytes: `$${packet(r)}` };
    // (A `-` asks for the last reply again: protocol.test.ts has it.)
    case 2: return { whole: false, bytes: ['\x00\xff garbage', '\x03', '+++', '#00', '}}}'][r.below(5)] };
    case 3: return { whole: true, payload: `m${'0'.repeat(70_000)}` };
    default: return { whole: true, payload: packet(r) };
  }
}

/** The next reply, with the monitor's console output decoded beside it. */
async function reply(client: RspClient): Promise<{ payload: string; console: string }> {
  let console = '';
  for (;;) {
    const p = await client.nextPacket(false, CASE_MS);
    if (p.startsWith('O') && p !== 'OK' && /^O([0-9a-f]{2})+$/.test(p)) console += Buffer.from(p.slice(1), 'hex').toString('latin1');
    else return { payload: p, console };
  }
}

test(`RSP fuzz: ${CASES} seeded cases (seed ${SEED}), each answered, no stack trace, the stub alive`, { timeout: 30 * 60_000 }, async () => {
  const r = new Prng(SEED);
  const stub = await startStub(recordToFile(exampleElf('bug')));
  const client = await RspClient.open(stub.port);
  try {
    for (let i = 0; i < CASES; i++) {
      const c = nextCase(r);
      const what = `case ${i} (${JSON.stringify((c.whole ? c.payload : c.bytes).slice(0, 80))})`;
      if (c.whole) {
        client.raw(RspClient.frame(c.payload));
        const answer = await reply(client);
        assert.doesNotMatch(`${answer.payload}\n${answer.console}`, /\n\s+at |\.js:\d+/, what);
      } else {
        client.raw(c.bytes);
      }
      // Still answering: a torn packet ends at the next `$`, noise between packets is skipped.
      client.raw(RspClient.frame('?'));
      const status = await reply(client);
      assert.match(status.payload, /^[ST][0-9a-f]{2}/, `${what}: "?" answered ${JSON.stringify(status.payload)}`);
    }
    assert.deepEqual(stub.log.filter((l) => /\n\s+at |\.js:\d+/.test(l)), []);
  } finally {
    client.close();
    await stub.close();
  }
});
