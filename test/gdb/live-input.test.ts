/**
 * A live `rewind gdb prog.elf` session without --stdin, driven over a raw socket: when the program waits
 * for console input, a continue must stop (T02, with a console line saying why) instead of hanging;
 * reverse execution works on what has run; continuing again comes back to the same waiting point; and
 * input written to the stub's own standard input (the terminal that runs `rewind gdb`, the only way the
 * stub takes input) lets the program go on to its end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { killGdbCli, RunningStub, startGdbCli, stopGdbCli } from './gdb-cli';
import { exampleElf } from './stub-fixture';
import { RspClient } from './rsp-client';
import { hexToText, textToHex } from '../../gdb/hex';

const WAITING = 'Rewind: the program is waiting for input: type it in the terminal that runs `rewind gdb`, then continue\n';


/** Sends a resume packet; returns the console text sent before the stop (if any) and the stop packet. */
async function resume(client: RspClient, packet: string): Promise<{ console: string; stop: string }> {
  client.raw(RspClient.frame(packet));
  let console = '';
  for (;;) {
    const p = await client.nextPacket(false);
    if (p.startsWith('O') && p !== 'OK') {
      console += hexToText(p.slice(1)) ?? '';
      continue;
    }
    return { console, stop: p };
  }
}

async function monitor(client: RspClient, line: string): Promise<string> {
  return hexToText(await client.request(`qRcmd,${textToHex(line)}`)) ?? '';
}

/** The current step and the furthest step run so far, from `monitor info replay` in a live session. */
async function position(client: RspClient): Promise<{ step: number; frontier: number; text: string }> {
  const text = await monitor(client, 'info replay');
  const step = /instruction count = (\d+)/.exec(text);
  const frontier = /recorded so far step (\d+)/.exec(text);
  assert.ok(step && frontier, text);
  return { step: Number(step[1]), frontier: Number(frontier[1]), text };
}

/**
 * Types `text` into the stub's terminal and continues. The stub reads its standard input on its own
 * event loop: should the continue get there first, the program is still waiting at the same step (a T02
 * again), so continue again until it has moved on.
 */
async function typeAndContinue(r: RunningStub, client: RspClient, text: string, from: number): Promise<{ console: string; stop: string }> {
  r.child.stdin!.write(text);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const reply = await resume(client, 'c');
    if (reply.stop !== 'T02thread:1;' || (await position(client)).step !== from || Date.now() > deadline) return reply;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function waitFor(what: () => string, pattern: RegExp, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(what())) {
    if (Date.now() > deadline) throw new Error(`${pattern} never appeared in ${JSON.stringify(what())}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('rewind gdb prog.elf without --stdin: a continue stops where the program waits for input; reverse works; typed input goes on', async () => {
  const r = await startGdbCli([exampleElf('interactive')], 'pipe');
  let client: RspClient | undefined;
  try {
    client = await RspClient.open(r.port);
    assert.equal(await client.request('qC'), 'QC1');
    const start = await position(client);
    assert.equal(start.step, 0);

    // Nothing typed yet: the continue stops at the program's first read, with T02 and a console line.
    const first = await resume(client, 'c');
    assert.equal(first.stop, 'T02thread:1;');
    assert.equal(first.console, WAITING);
    const waiting = await position(client);
    assert.ok(waiting.step > 0, waiting.text);
    assert.equal(waiting.step, waiting.frontier, 'it waits at the furthest step run');
    assert.equal(await client.request('?'), 'T02thread:1;');
    await waitFor(r.stdout, /calculator: type "12 \* 7"/);
    assert.match(r.stdout(), /> $/, 'the prompt was printed and the program waits after it');

    // Reverse execution on what has run: one step back, registers readable, then forward to the same wait.
    assert.equal((await resume(client, 'bs')).stop, 'T05thread:1;');
    const back = await position(client);
    assert.equal(back.step, waiting.step - 1);
    assert.equal(back.frontier, waiting.frontier);
    assert.equal((await client.request('g')).length, 33 * 8);
    const again = await resume(client, 'c');
    assert.equal(again.stop, 'T02thread:1;');
    assert.equal(again.console, WAITING);
    assert.deepEqual(await position(client), waiting);
    // Going back to the beginning over the whole live history works too, and forward again.
    assert.match((await resume(client, 'bc')).stop, /^T05replaylog:begin;/);
    assert.equal((await position(client)).step, 0);
    assert.equal((await resume(client, 'c')).stop, 'T02thread:1;');
    assert.equal((await position(client)).step, waiting.step);

    // Input comes only from the stub's standard input (no monitor command gives it): one line runs on
    // to the next read, further than before.
    const line = await typeAndContinue(r, client, '12 * 7\n', waiting.step);
    assert.equal(line.stop, 'T02thread:1;');
    assert.equal(line.console, WAITING);
    const next = await position(client);
    assert.ok(next.step > waiting.step, next.text);
    await waitFor(r.stdout, /12 \* 7 = 84\n> $/);

    // "quit" ends the program: the end of the recording, and reverse still works from there.
    const end = await typeAndContinue(r, client, 'quit\n', next.step);
    assert.match(end.stop, /^T05replaylog:end;/);
    assert.match(end.console, /the program exited with status 0/);
    await waitFor(r.stdout, /bye after 1 line\n/);
    assert.equal((await resume(client, 'bs')).stop, 'T05thread:1;');
    assert.equal(await client.request('qC'), 'QC1', 'the stub still serves');
    client.close();
    assert.equal(await stopGdbCli(r), 0, r.stderr());
  } finally {
    client?.close();
    killGdbCli(r);
  }
});
