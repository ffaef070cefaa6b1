/**
 * DAP fuzz (issue 20): seeded random and mutated messages to the real adapter on a real recording (bug.elf,
 * stopped at entry): requests with arguments dropped, retyped and out of range, unknown commands, bytes that
 * are not JSON, bodies that are not objects, headers without a length, garbage between messages. For each:
 * a response (for a request) or a console line saying what was ignored, no JavaScript stack or adapter
 * file path in any message, the adapter alive and answering the next request, each within a bound.
 * REWIND_FUZZ_CASES=5000 REWIND_FUZZ_SEED=7 runs more, or another sequence.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DebugProtocol } from '@vscode/debugprotocol';
import { Prng } from '../engine/prng';
import { BUG_C, markerLine, record } from './fixture';
import { RawAdapter } from './raw-client';

const CASES = Number(process.env.REWIND_FUZZ_CASES ?? 1000);
const SEED = Number(process.env.REWIND_FUZZ_SEED ?? 20);
const CASE_MS = 20_000;

/** Valid arguments for each request, for mutation; the session's own ends (disconnect, terminate) are tested elsewhere. */
function examples(): Record<string, Record<string, unknown>> {
  const source = { path: BUG_C };
  const line = markerLine(BUG_C, 'BP_CORRUPT');
  return {
    threads: {}, stackTrace: { threadId: 1, startFrame: 0, levels: 20 }, scopes: { frameId: 1 }, variables: { variablesReference: 1, start: 0, count: 10 },
    evaluate: { expression: 'bank.accounts[1].balance', frameId: 1, context: 'watch' }, setBreakpoints: { source, breakpoints: [{ line, condition: 'i > 1', logMessage: 'at {i}' }] },
    setFunctionBreakpoints: { breakpoints: [{ name: 'main' }] }, setInstructionBreakpoints: { breakpoints: [{ instructionReference: '0x80000000', offset: 4 }] },
    setExceptionBreakpoints: { filters: ['trap'] }, dataBreakpointInfo: { name: 'bank', variablesReference: 1 }, setDataBreakpoints: { breakpoints: [{ dataId: '0x80200000/4', accessType: 'write' }] },
    continue: { threadId: 1 }, next: { threadId: 1, granularity: 'instruction' }, stepIn: { threadId: 1 }, stepOut: { threadId: 1 }, stepBack: { threadId: 1 },
    reverseContinue: { threadId: 1 }, pause: { threadId: 1 }, restartFrame: { frameId: 1 }, cancel: { progressId: 'rewind-1' }, gotoTargets: { source, line }, goto: { threadId: 1, targetId: 1 },
    disassemble: { memoryReference: '0x80000000', instructionOffset: -10, instructionCount: 50 }, readMemory: { memoryReference: '0x80000000', count: 64 },
    setVariable: { variablesReference: 1, name: 'x', value: '1' }, writeMemory: { memoryReference: '0x80000000', data: 'AAAA' }, configurationDone: {}, launch: { program: '/nonexistent.elf' },
    source: { sourceReference: 1 }, loadedSources: {}, completions: { text: 'ba', column: 3 }, exceptionInfo: { threadId: 1 }, modules: {}, stepInTargets: { frameId: 1 },
    'rewind/info': {}, 'rewind/seek': { step: 100 }, 'rewind/stepBreakpoints': { action: 'add', step: 50 }, 'rewind/lastWrite': { expression: 'bank.total', frameId: 1 },
    'rewind/reverseStepIn': {}, 'rewind/reverseStepOut': {}, 'rewind/executions': { source, line, expressions: ['i'] }, 'rewind/valueHistory': { expression: 'bank.total' },
    'rewind/timeline': {}, 'rewind/bookmarks': { action: 'add', step: 10, name: 'x' }, 'no-such-request': {},
  };
}

function randomValue(r: Prng, depth = 0): unknown {
  switch (r.below(depth > 1 ? 9 : 11)) {
    case 0: return null;
    case 1: return r.below(2) === 0;
    case 2: return [0, -1, 1, 2 ** 31, 2 ** 32, -(2 ** 53), 2 ** 60, 1.5, 1e308, -0][r.below(10)];
    case 3: return r.between(-5, 5000);
    case 4: return ['', 'x', '0x80000000', '-1', 'NaN', '{_stack}', '\u0000\uffff', '%s%n', 'a'.repeat(r.between(100, 5000)), '../../etc/passwd'][r.below(10)];
    case 5: return 'main';
    case 6: return BUG_C;
    case 7: return r.below(1_000_000);
    case 8: return {};
    case 9: return Array.from({ length: r.below(4) }, () => randomValue(r, depth + 1));
    default: return Object.fromEntries(Array.from({ length: r.below(4) }, () => [['line', 'path', 'name', 'step', 'filters', 'breakpoints', 'source', 'expression'][r.below(8)], randomValue(r, depth + 1)]));
  }
}

/** Arguments near valid ones: a field dropped, retyped or added, or something else entirely. */
function mutate(r: Prng, args: Record<string, unknown>): unknown {
  const out: Record<string, unknown> = structuredClone(args);
  const keys = Object.keys(out);
  switch (r.below(6)) {
    case 0: return args;
    case 1: if (keys.length) delete out[keys[r.below(keys.length)]]; return out;
    case 2: if (keys.length) out[keys[r.below(keys.length)]] = randomValue(r); return out;
    case 3: out[['threadId', 'frameId', 'line', 'count', 'step'][r.below(5)]] = randomValue(r); return out;
    case 4: return r.below(2) ? undefined : randomValue(r);
    default: {
      for (const k of keys) if (Array.isArray(out[k]) && (out[k] as unknown[]).length) (out[k] as unknown[])[0] = randomValue(r);
      return out;
    }
  }
}

type Case = { kind: 'request'; seq: number; bytes: string } | { kind: 'noise'; bytes: string };

function nextCase(r: Prng, seq: number): Case {
  const all = examples();
  const commands = Object.keys(all);
  const frame = (body: string): string => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  switch (r.below(10)) {
    case 0: return { kind: 'noise', bytes: frame(['{', 'NaN', '{"seq": 1, "type": "request", "command": "threads"', '\u0000', ']', 'undefined', '"text"', '12', 'true', '[1,2]'][r.below(10)]) };
    case 1: return { kind: 'noise', bytes: frame(['null', '{}', '{"type":"event","event":"x"}', '{"type":"request"}', '{"type":"request","command":"threads"}', '{"seq":"1","type":"request","command":"threads"}'][r.below(6)]) };
    case 2: return { kind: 'noise', bytes: ['X-Header: 1\r\n\r\n', 'garbage\r\n\r\n', 'Content-Length: -5\r\n\r\n', 'Content-Length: abc\r\n\r\n', `Content-Length: ${'9'.repeat(20)}\r\n\r\n`][r.below(5)] };
    default: {
      const command = commands[r.below(commands.length)];
      const args = mutate(r, all[command]);
      return { kind: 'request', seq, bytes: frame(JSON.stringify({ seq, type: 'request', command, ...(args === undefined ? {} : { arguments: args }) })) };
    }
  }
}

/** Text a message shows the user, where no stack or adapter path may appear. */
function shownText(m: DebugProtocol.ProtocolMessage): string {
  if (m.type === 'response') {
    const r = m as DebugProtocol.Response;
    return `${r.message ?? ''} ${JSON.stringify((r.body as { error?: unknown } | undefined)?.error ?? '')}`;
  }
  const e = m as DebugProtocol.Event;
  return e.event === 'output' ? String((e.body as DebugProtocol.OutputEvent['body']).output) : e.event === 'stopped' ? JSON.stringify(e.body) : '';
}

test(`DAP fuzz: ${CASES} seeded cases (seed ${SEED}), each answered, no stack trace, the adapter alive`, { timeout: 30 * 60_000 }, async () => {
  const r = new Prng(SEED);
  const adapter = new RawAdapter();
  try {
    await adapter.request('initialize', { adapterID: 'rewind', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
    adapter.send('launch', { recording: record('bug/bug.elf'), stopOnEntry: true });
    await adapter.waitFor((m) => (m as DebugProtocol.Event).event === 'initialized', 60_000, 'initialized');
    await adapter.request('configurationDone');
    await adapter.waitFor((m) => (m as DebugProtocol.Event).event === 'stopped', 60_000, 'the first stop');
    let seq = 1000;
    for (let i = 0; i < CASES; i++) {
      const from = adapter.messages.length;
      const c = nextCase(r, ++seq);
      adapter.sendRaw(c.bytes);
      // The next request is answered: the adapter neither ended nor wedged (noise that ends in a header is completed by it).
      const follow = ++seq;
      adapter.sendRaw(framed({ seq: follow, type: 'request', command: 'rewind/info' }));
      await adapter.waitFor((m) => m.type === 'response' && (m as DebugProtocol.Response).request_seq === follow, CASE_MS, `the answer after case ${i} (${c.bytes.slice(0, 200)})`, from);
      if (c.kind === 'request') {
        await adapter.waitFor((m) => m.type === 'response' && (m as DebugProtocol.Response).request_seq === c.seq, CASE_MS, `the answer to case ${i} (${c.bytes.slice(0, 200)})`, from);
      } else {
        const said = adapter.messages.slice(from).some((m) => (m.type === 'response' && !(m as DebugProtocol.Response).success) || /^Rewind: ignored/.test(shownText(m)));
        assert.ok(said, `case ${i}: nothing said about ${JSON.stringify(c.bytes.slice(0, 200))}`);
      }
      for (const m of adapter.messages.slice(from)) {
        const text = shownText(m);
        assert.doesNotMatch(text, /\n\s+at |\.js:\d+|\/out\/|\/dist\/|node_modules/, `case ${i} (${c.bytes.slice(0, 200)}): ${text.slice(0, 500)}`);
      }
    }
    assert.equal(adapter.exitCode, undefined, 'the adapter exited');
    const last = await adapter.request('rewind/info', {});
    assert.equal(last.success, true);
  } finally {
    await adapter.stop();
  }
});

function framed(message: object): string {
  const body = JSON.stringify(message);
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}
