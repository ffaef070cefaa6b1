/**
 * Looking at one step: the call stack, scopes (Locals, Globals, Registers, CSRs), typed and structured
 * variables, expressions, disassembly and memory; and the read-only history refusing changes.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';
import { BUG_C, evaluate, launchAndStop, markerLine, record, startClient } from './fixture';

let dc: DebugClient;
let frames: DebugProtocol.StackFrame[];

before(async () => {
  dc = await startClient();
  await launchAndStop(dc, { recording: record('bug/bug.elf'), sourceRoot: dirname(BUG_C) },
    () => dc.setBreakpointsRequest({ source: { path: BUG_C }, breakpoints: [{ line: markerLine(BUG_C, 'BP_CORRUPT'), hitCondition: '2' }] }));
  frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
});
after(() => dc.stop());

const rejects = async (p: Promise<unknown>, pattern: RegExp): Promise<void> => {
  const message = await p.then(() => 'no error', (e: Error) => e.message);
  assert.match(message, pattern);
};

test('the stack: remember, post, main, with an instruction pointer on every frame', async () => {
  assert.deepEqual(frames.slice(0, 3).map((f) => f.name), ['remember', 'post', 'main']);
  for (const f of frames) assert.match(f.instructionPointerReference ?? '', /^0x[0-9a-f]{8}$/);
  assert.equal(frames[0].line, markerLine(BUG_C, 'BP_CORRUPT'));
  assert.equal(frames[2].source?.path, BUG_C);
  const threads = await dc.threadsRequest();
  assert.equal(threads.body.threads.length, 1);
});

test('scopes and variables: typed locals, structs with children, registers and CSRs in hex', async () => {
  const scopes = (await dc.scopesRequest({ frameId: frames[0].id })).body.scopes;
  // picolibc's globals have a group of their own, after the program's.
  assert.deepEqual(scopes.map((s) => s.name), ['Locals', 'Globals', 'Library', 'Registers', 'CSRs', 'Peripherals']);
  const locals = (await dc.variablesRequest({ variablesReference: scopes[0].variablesReference })).body.variables;
  const byName = new Map(locals.map((v) => [v.name, v]));
  assert.equal(byName.get('amount')?.value, '120'); // the 2nd posting: Bob +120
  assert.equal(byName.get('amount')?.type, 'int32_t');
  const a = byName.get('a')!;
  assert.equal(a.type, 'struct account *');
  assert.ok(a.variablesReference > 0);
  const members = (await dc.variablesRequest({ variablesReference: a.variablesReference })).body.variables;
  assert.deepEqual(members.map((m) => m.name), ['balance', 'postings', 'owner', 'next', 'recent']);
  assert.equal(members.find((m) => m.name === 'owner')?.value, '"bob"');
  assert.equal(members.find((m) => m.name === 'balance')?.value, '120');
  const recent = members.find((m) => m.name === 'recent')!;
  assert.equal((await dc.variablesRequest({ variablesReference: recent.variablesReference })).body.variables.length, 4);

  const globals = (await dc.variablesRequest({ variablesReference: scopes[1].variablesReference })).body.variables;
  // The linker dropped bank_name (every use was folded into a constant): DWARF says so.
  assert.equal(globals.find((g) => g.name === 'bank_name')?.value, '<optimized out>');
  assert.match(globals.find((g) => g.name === 'busiest')?.value ?? '', /^\(struct account \*\) 0x80200[0-9a-f]{3} <bank(\+\d+)?>$/);
  // Only bug.c's own globals: the four it declares.
  assert.deepEqual(globals.map((g) => g.name).sort(), ['bank', 'bank_name', 'busiest', 'journal']);
  const library = (await dc.variablesRequest({ variablesReference: scopes[2].variablesReference })).body.variables;
  assert.ok(library.length > 0 && library.every((g) => !['bank', 'bank_name', 'busiest', 'journal'].includes(g.name)), library.map((g) => g.name).join(', '));
  const registers = (await dc.variablesRequest({ variablesReference: scopes[3].variablesReference })).body.variables;
  assert.equal(registers[0].name, 'pc');
  assert.equal(registers[0].value, frames[0].instructionPointerReference);
  assert.match(registers.find((r) => r.name === 'sp')?.value ?? '', /^0x803f/);
  const csrs = (await dc.variablesRequest({ variablesReference: scopes[4].variablesReference })).body.variables;
  assert.match(csrs.find((c) => c.name === 'misa')?.value ?? '', /^0x4/);
});

test('expressions: registers, variables, casts of addresses, pointer chains', async () => {
  const id = frames[0].id;
  assert.equal(await evaluate(dc, '$pc', id), `${frames[0].instructionPointerReference} <remember>`);
  assert.match(await evaluate(dc, '$a1', id), /^120$/); // amount is the second argument
  assert.equal(await evaluate(dc, 'a->balance + amount * 2', id), '360');
  assert.equal(await evaluate(dc, 'bank.accounts[0].owner', id), '"alice"');
  const address = (await dc.evaluateRequest({ expression: '&bank.accounts[0].balance', frameId: id })).body.result;
  assert.equal(await evaluate(dc, `*(int*)${/0x[0-9a-f]+/.exec(address)![0]}`, id), '500');
  assert.equal(await evaluate(dc, 'bank.accounts[0].next->', id).catch((e: Error) => e.message).then((m) => /ends too early/.test(m) ? 'ok' : m), 'ok');
  assert.equal(await evaluate(dc, '*bank.accounts[0].next', id), '0');
  assert.equal(await evaluate(dc, 'busiest->owner', id), '"alice"');
  assert.equal(await evaluate(dc, '((struct account *)$a0)->owner', id), '"bob"');
  // The caller's frame has its own locals.
  assert.equal(await evaluate(dc, 'p->amount', frames[1].id), '120');
  await rejects(dc.evaluateRequest({ expression: 'no_such_variable', frameId: id }), /no variable "no_such_variable" is visible here/);
  await rejects(dc.evaluateRequest({ expression: 'amount = 3', frameId: id }), /history is read-only/);
});

test('disassembly: exactly the instructions asked for, compressed ones 2 bytes, before and after an address', async () => {
  const pc = frames[0].instructionPointerReference!;
  const around = (await dc.disassembleRequest({ memoryReference: pc, instructionOffset: -5, instructionCount: 12 })).body!.instructions;
  assert.equal(around.length, 12);
  assert.equal(around[5].address, pc);
  for (let i = 1; i < around.length; i++) {
    const size = around[i - 1].instructionBytes!.split(' ').length;
    assert.equal(parseInt(around[i].address, 16) - parseInt(around[i - 1].address, 16), size, `contiguous at ${around[i].address}`);
  }
  assert.ok(around.some((i) => i.instructionBytes!.split(' ').length === 2), 'compressed instructions are there');
  assert.ok(around.some((i) => i.symbol?.startsWith('remember')));
  assert.ok(around.some((i) => i.line === markerLine(BUG_C, 'BP_CORRUPT')));
  const far = (await dc.disassembleRequest({ memoryReference: '0x7ffffff0', instructionCount: 4 })).body!.instructions;
  assert.equal(far.length, 4);
  assert.equal(far[0].presentationHint, 'invalid');
});

test('memory reads as it was at this step; unmapped bytes are reported', async () => {
  const owner = (await dc.evaluateRequest({ expression: 'bank.accounts[2].owner', frameId: frames[0].id })).body;
  assert.match(owner.memoryReference ?? '', /^0x80200[0-9a-f]{3}$/);
  const mem = (await dc.customRequest('readMemory', { memoryReference: owner.memoryReference, count: 6 })).body as DebugProtocol.ReadMemoryResponse['body'];
  assert.equal(Buffer.from(mem!.data!, 'base64').toString(), 'carol\0');
  const none = (await dc.customRequest('readMemory', { memoryReference: '0x10', count: 8 })).body as DebugProtocol.ReadMemoryResponse['body'];
  assert.equal(none!.unreadableBytes, 8);
});

test('history is read-only: setVariable, setExpression and writeMemory are refused', async () => {
  const caps = (await dc.initializeRequest()).body;
  assert.equal(caps?.supportsSetVariable, false);
  assert.equal(caps?.supportsWriteMemoryRequest, false);
  await rejects(dc.setVariableRequest({ variablesReference: 1, name: 'amount', value: '3' }), /history is read-only/);
  await rejects(dc.customRequest('setExpression', { expression: 'amount', value: '3' }), /history is read-only/);
  await rejects(dc.customRequest('writeMemory', { memoryReference: '0x80200000', data: 'AAAA' }), /history is read-only/);
});
