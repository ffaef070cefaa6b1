/**
 * C expressions as gdb evaluates them, gdb's memory examine in the Debug Console, and values shown as gdb
 * shows them, on the bug example stopped where Alice's fifth posting goes one past the end of `recent`.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';
import { BUG_C, evaluate, launchAndStop, markerLine, record, startClient } from './fixture';

let dc: DebugClient;
let frame: DebugProtocol.StackFrame;

before(async () => {
  dc = await startClient();
  // The condition is itself pointer arithmetic: it holds only at the stray write.
  await launchAndStop(dc, { recording: record('bug/bug.elf'), sourceRoot: dirname(BUG_C) },
    () => dc.setBreakpointsRequest({ source: { path: BUG_C }, breakpoints: [{ line: markerLine(BUG_C, 'BP_CORRUPT'), condition: 'a->next - a->recent == 4' }] }));
  frame = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
});
after(() => dc.stop());

const value = (expression: string): Promise<string> => evaluate(dc, expression, frame.id);
const console = async (expression: string): Promise<string> => (await dc.evaluateRequest({ expression, frameId: frame.id, context: 'repl' })).body.result;
const refusal = (expression: string): Promise<string> => dc.evaluateRequest({ expression, frameId: frame.id, context: 'watch' }).then(() => 'no error', (e: Error) => e.message);

test('pointer arithmetic counts elements: the stray pointer is 4 past recent', async () => {
  assert.equal(await value('amount'), '-35'); // Alice's fifth posting
  assert.equal(await value('a->next - a->recent'), '4');
  assert.equal(await value('a->next == &a->recent[4]'), '1');
  assert.equal(await value('a->next > &a->recent[3]'), '1');
  assert.equal(await value('&bank.accounts[3] - &bank.accounts[1]'), '2');
  assert.equal(await value('*(a->recent + 1)'), await value('a->recent[1]'));
  const base = parseInt(await console('x/1xw &bank'), 16);
  assert.equal(await value('(char *)(a + 1) - (char *)a'), '36');
  assert.equal(await value('a + 1'), `(struct account *) 0x${(base + 36).toString(16)} <bank+36>`);
  assert.equal(await value('1 + a'), await value('a + 1'));
});

test('sizeof, casts to C and program types, numbers in any base, C conversions', async () => {
  assert.equal(await value('sizeof(struct account)'), '36');
  assert.equal(await value('sizeof bank.accounts / sizeof bank.accounts[0]'), '4');
  assert.equal(await value('sizeof(int32_t *)'), '4');
  assert.equal(await value('sizeof(unsigned long long)'), '8');
  assert.equal(await value('((struct ledger *)&bank)->accounts[0].owner'), '"alice"');
  assert.equal(await value('(char)65'), "65 'A'");
  assert.equal(await value('(unsigned char)0x1ff'), "255 '\\xff'");
  assert.equal(await value('0b101 + 017 + 0x10 + 10'), '46');
  assert.equal(await value("'a' + 1"), '98');
  assert.equal(await value('0xffffffff'), '4294967295');
  assert.equal(await value('-1 < 0u'), '0'); // -1 converts to unsigned, as in C
  assert.equal(await value('-5 / 2'), '-2');
  assert.equal(await value('-5 % 2'), '-1');
  assert.equal(await value('1u << 31'), '2147483648');
  assert.equal(await value('amount < 0 ? 1 : 2'), '1');
  assert.equal(await value('bank.accounts[0].recent[0]@4'), '{500, -40, -60, 200}');
  assert.equal(await value('{int32_t} &bank.accounts[0].postings'), '5');
});

test('registers and CSRs by name, with or without $', async () => {
  assert.equal(await value('a0'), await value('$a0'));
  assert.equal(await value('(struct account *)a0 == a'), '1');
  assert.equal(await value('mstatus'), await value('$mstatus'));
  assert.equal(await value('misa >> 30'), '1'); // MXL = 1: RV32
  assert.equal(await value('$sp == sp'), '1');
});

test('what cannot be done says so', async () => {
  assert.match(await refusal('audit(&bank)'), /^unsupported: calling a function/);
  assert.match(await refusal('"alice"'), /^unsupported: string literals/);
  assert.match(await refusal('amount, 1'), /^unsupported: the comma operator/);
  assert.match(await refusal('(int (*)[4])a'), /^unsupported: function-pointer and array type names/);
  assert.match(await refusal('amount++'), /history is read-only/);
  assert.match(await refusal('amount += 1'), /history is read-only/);
  assert.match(await refusal('(struct nosuch *)0'), /unknown type "struct nosuch"/);
  assert.match(await refusal('09'), /not an octal number/);
  // Integer literals too large to compute with are refused, never wrapped or rounded.
  assert.match(await refusal('0x10000000000000000'), /too large for any C integer type \(64 bits at most\)/);
  assert.match(await refusal('18446744073709551615'), /too large to compute with exactly \(the most is 9007199254740991, 2\^53 - 1\)/);
  assert.equal(await value('9007199254740991'), '9007199254740991');
  assert.match(await refusal('no_such'), /no variable "no_such" is visible here/);
});

test('x/NFU in the Debug Console examines memory as gdb does', async () => {
  const words = await console('x/4xw &bank');
  const [label, ...items] = words.split('\t');
  assert.match(label, /^0x80200[0-9a-f]{3} <bank>:$/);
  assert.equal(items.length, 4);
  assert.equal(parseInt(items[0], 16) | 0, Number(await value('bank.accounts[0].balance')));
  assert.equal(parseInt(items[1], 16), Number(await value('bank.accounts[0].postings')));
  assert.equal(items[2], '0x63696c61'); // "alic"
  assert.equal(await console('x/2d &bank.accounts[0].recent'), `${label.replace('<bank>', '<bank+20>').replace(/^0x[0-9a-f]+/, (h) => `0x${(parseInt(h, 16) + 20).toString(16)}`)}\t500\t-40`);
  assert.match(await console('x/5cb bank.accounts[0].owner'), /<bank\+8>:\t97 'a'\t108 'l'\t105 'i'\t99 'c'\t101 'e'$/);
  assert.match(await console('x/s bank.accounts[2].owner'), /<bank\+80>:\t"carol"$/);
  const code = (await console('x/3i $pc')).split('\n');
  assert.equal(code.length, 3);
  assert.match(code[0], /^=> 0x[0-9a-f]+ <remember(\+\d+)?>:\t\S/);
  assert.match(await console('x/2xb 0x10'), /Cannot access memory at address 0x10/);
  const refused = await dc.evaluateRequest({ expression: 'x/4q &bank', frameId: frame.id, context: 'repl' }).then(() => 'no error', (e: Error) => e.message);
  assert.match(refused, /"q" is not an examine format or unit/);
});

test('values: data pointers with type and symbol, char * with its string, registers without negative addresses', async () => {
  assert.match(await value('busiest'), /^\(struct account \*\) 0x80200[0-9a-f]{3} <bank(\+\d+)?>$/);
  assert.match(await value('a'), /^\(struct account \*\) 0x80200[0-9a-f]{3} <bank>$/);
  // One past Alice's recent[] is Bob's balance: the pointer says so.
  assert.match(await value('a->next'), /^\(int32_t \*\) 0x80200[0-9a-f]{3} <bank\+36>$/);
  assert.match(await value('(char *)bank.accounts[1].owner'), /^0x80200[0-9a-f]{3} "bob"$/);
  const scopes = (await dc.scopesRequest({ frameId: frame.id })).body.scopes;
  const registers = (await dc.variablesRequest({ variablesReference: scopes.find((s) => s.name === 'Registers')!.variablesReference })).body.variables;
  assert.match(registers.find((r) => r.name === 'a0')!.value, /^0x80200[0-9a-f]{3} <bank>$/);
  assert.match(registers.find((r) => r.name === 'sp')!.value, /^0x803f[0-9a-f]{4}( <[^>]+>)?$/);
  assert.equal(registers.find((r) => r.name === 'a1')!.value, '0xffffffdd (-35)');
  assert.equal(registers.find((r) => r.name === 'zero')!.value, '0x00000000 (0)');
});
