/**
 * What a client may send wrongly (issue 20), each answered with one sentence while the session goes on:
 * bytes that are not JSON, a `NaN` or `null` body, a header without Content-Length (the adapter used to
 * exit with status 0, or wait for ever); requests with missing or mistyped arguments (answered with a
 * JavaScript stack before); a disassemble of two million instructions (capped); a second launch; and
 * disconnect, after which the adapter process ends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DebugProtocol } from '@vscode/debugprotocol';
import { BUG_C, launchAndStop, record, startClient } from './fixture';
import { RawAdapter } from './raw-client';

async function initialized(): Promise<RawAdapter> {
  const adapter = new RawAdapter();
  assert.equal((await adapter.request('initialize', { adapterID: 'rewind', pathFormat: 'path' })).success, true);
  return adapter;
}

test('bytes that are not JSON, a NaN body and a null body: a line each in the Debug Console, and the session goes on', async () => {
  const adapter = await initialized();
  try {
    adapter.sendBody('{"seq": 2, "type": "request", "command": "threads"');
    adapter.sendBody('NaN');
    adapter.sendBody('null');
    const threads = await adapter.request('threads');
    assert.equal(threads.success, true);
    assert.deepEqual(adapter.events('output').map((e) => (e.body as DebugProtocol.OutputEvent['body']).output), [
      'Rewind: ignored a message that is not JSON (50 bytes: "{\\"seq\\": 2, \\"type\\": \\"request\\", \\"command\\":"…).\n',
      'Rewind: ignored a message that is not JSON (3 bytes: "NaN").\n',
      'Rewind: ignored a message that is not a JSON object but null.\n',
    ]);
    assert.equal(adapter.exitCode, undefined);
  } finally {
    await adapter.stop();
  }
});

test('a header without Content-Length is said, and the message after it is read', async () => {
  const adapter = await initialized();
  try {
    adapter.sendRaw('Content-Type: application/json\r\n\r\n{"seq": 5, "type": "request", "command": "threads"}');
    const threads = await adapter.request('threads');
    assert.equal(threads.success, true);
    const said = adapter.events('output').map((e) => (e.body as DebugProtocol.OutputEvent['body']).output);
    assert.equal(said[0], 'Rewind: ignored a message whose header has no "Content-Length: N" ("Content-Type: application/json").\n');
    // The body without a header is skipped up to the next header.
    assert.match(said[1], /^Rewind: ignored 51 bytes before a message header\.\n$/);
    // A request with a seq but no command is answered.
    adapter.sendBody('{"seq": 9, "type": "request"}');
    const answer = await adapter.waitFor((m) => m.type === 'response' && (m as DebugProtocol.Response).request_seq === 9) as DebugProtocol.Response;
    assert.equal(answer.success, false);
    assert.equal(answer.message, 'ignored a request without a "command" (a string)');
  } finally {
    await adapter.stop();
  }
});

test('missing or mistyped arguments: one sentence naming the argument, no stack', async () => {
  const adapter = await initialized();
  try {
    const cases: Array<[string, unknown, string]> = [
      ['gotoTargets', {}, 'gotoTargets needs "source" (an object)'],
      ['setBreakpoints', {}, 'setBreakpoints needs "source" (an object)'],
      ['setBreakpoints', { source: { path: BUG_C }, breakpoints: [{ line: 'ten' }] }, 'setBreakpoints: "breakpoints[0].line" must be a whole number, not the string "ten"'],
      ['setExceptionBreakpoints', { filters: 'x' }, 'setExceptionBreakpoints: "filters" must be a list of strings, not the string "x"'],
      ['evaluate', undefined, 'evaluate needs "expression" (a string)'],
      ['stackTrace', { threadId: 1 }, 'nothing is loaded yet: launch a recording or a program first'],
      ['disassemble', { memoryReference: '0x80000000', instructionCount: -1 }, 'disassemble: "instructionCount" must be a whole number from 0, not -1'],
      ['rewind/seek', { step: {} }, 'rewind/seek: "step" must be a whole number, not an object'],
      ['threads', '{_stack}', 'the arguments of threads must be an object, not the string "{_stack}"'],
    ];
    for (const [command, args, message] of cases) {
      const r = await adapter.request(command, args);
      assert.equal(r.success, false, command);
      assert.equal(r.message, message);
      assert.doesNotMatch(JSON.stringify(r), /\n\s+at |\.js:\d+/);
    }
  } finally {
    await adapter.stop();
  }
});

test('disassemble answers at most 4,096 instructions and says so; a second launch is refused; disconnect ends the adapter', async () => {
  const dc = await startClient();
  const said: string[] = [];
  dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.category === 'console') said.push(e.body.output); });
  try {
    const recording = record('bug/bug.elf');
    await launchAndStop(dc, { recording, stopOnEntry: true });
    const r = await dc.customRequest('disassemble', { memoryReference: '0x80000000', instructionCount: 2_000_000 }) as DebugProtocol.DisassembleResponse;
    assert.equal(r.body!.instructions.length, 4096);
    assert.ok(said.includes('Rewind: disassemble asked for 2,000,000 instructions and got the first 4,096, the most one request gets.\n'));
    await assert.rejects(dc.customRequest('disassemble', { memoryReference: '0x80000000', instructionOffset: -1_000_000, instructionCount: 10 }),
      /disassemble starts at most 65,536 instructions from its address, not -1,000,000: ask from an address nearer/);
    await assert.rejects(dc.launch({ recording }), new RegExp(`this session already debugs ${recording}: start another debug session for another recording or program`));
  } finally {
    await dc.stop();
  }
  const adapter = await initialized();
  await adapter.request('disconnect', {});
  await adapter.waitFor(() => false, 10_000, 'the end').catch((e: Error) => assert.match(e.message, /exited \(status 0\)/));
  assert.equal(adapter.exitCode, 0);
});
