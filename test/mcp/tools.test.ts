/**
 * The server's tools as a client sees them, on the bug example's committed recording: the list, and each
 * reading and moving tool answering about the place it says it is at.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BUG_C, EXAMPLES, RewindMcp } from './mcp-client';
import { lineOf, markerLine } from './bug-source';

const TOOLS = ['info', 'seek', 'step', 'continue', 'stack', 'evaluate', 'registers', 'read_memory', 'disassemble', 'last_write', 'executions', 'value_history', 'console_output'];

test('the server lists exactly the tools of the issue, each with a description and an object input schema', async () => {
  const mcp = await RewindMcp.start([join(EXAMPLES, 'bug/bug.rewind')]);
  try {
    const { tools } = await mcp.client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), [...TOOLS].sort());
    for (const t of tools) {
      assert.ok(t.description && t.description.length > 40, `${t.name} says what it does`);
      assert.equal(t.inputSchema.type, 'object');
    }
    const info = await mcp.call('info');
    assert.equal(info.program, 'bug.elf');
    assert.equal(info.recording, join(EXAMPLES, 'bug/bug.rewind'));
    assert.equal(info.complete, true);
    assert.ok((info.console as unknown[]).length > 0, 'info has the console output with its steps');
  } finally {
    await mcp.close();
  }
});

test('continue to a function, a line and a write, and the machine read where the session stands', async () => {
  const mcp = await RewindMcp.start([join(EXAMPLES, 'bug/bug.rewind')]);
  try {
    const main = await mcp.call('continue', { until: { function: 'main' } });
    assert.equal(main.function, 'main');
    assert.equal(main.line, markerLine('BP_MAIN'));
    const post = await mcp.call('continue', { until: { file: BUG_C, line: lineOf('a->balance += p->amount') } });
    assert.equal(post.function, 'post');
    const stack = await mcp.call('stack');
    assert.deepEqual((stack.frames as Array<{ function: string }>).map((f) => f.function).slice(0, 2), ['post', 'main']);
    const registers = await mcp.call('registers');
    assert.equal(registers.pc, post.pc);
    assert.match((registers.x as Record<string, string>).sp, /^0x803[0-9a-f]{5}$/);
    assert.equal(registers.privilege, 'machine');
    const code = await mcp.call('disassemble', { count: 3 });
    const instructions = code.instructions as Array<{ address: string; instruction: string; symbol: string; line: number }>;
    assert.equal(instructions.length, 3);
    assert.equal(instructions[0].address, post.pc);
    assert.match(instructions[0].symbol, /^post(\+\d+)?$/);
    assert.equal(instructions[0].line, post.line);
    const around = await mcp.call('disassemble', { count: 1, before: 2 });
    const rows = around.instructions as Array<{ address: string }>;
    assert.equal(rows.length, 3);
    assert.equal(rows[2].address, post.pc, 'the instructions before the pc end at it');
    const name = await mcp.call('evaluate', { expression: 'bank.accounts[0].owner' });
    const owner = await mcp.call('read_memory', { address: name.address as string, length: 5 });
    assert.equal(Buffer.from(owner.bytes as string, 'hex').toString(), 'alice');
    // The first posting: the journal's first entry is Alice's.
    assert.equal((await mcp.call('evaluate', { expression: 'a->owner' })).value, '"alice"');
    // A watch: continue until Bob's balance is written stops in post(), just after the store.
    const watched = await mcp.call('continue', { until: { expression: 'bank.accounts[1].balance' } });
    assert.equal(watched.function, 'post');
    assert.equal((await mcp.call('evaluate', { expression: 'bank.accounts[1].balance' })).value, (await mcp.call('evaluate', { expression: 'p->amount' })).value);
  } finally {
    await mcp.close();
  }
});

test('statement steps both ways: into open_bank, back out to its call, over it, and back to that line', async () => {
  const mcp = await RewindMcp.start([join(EXAMPLES, 'bug/bug.rewind')]);
  try {
    await mcp.call('continue', { until: { function: 'main' } });
    const into = await mcp.call('step', { direction: 'forward', granularity: 'in' });
    assert.equal(into.function, 'open_bank');
    const back = await mcp.call('step', { direction: 'backward', granularity: 'out' });
    assert.equal(back.function, 'main', 'reverse step out lands on the call of open_bank');
    assert.equal(back.line, markerLine('BP_MAIN'));
    assert.ok((back.step as number) < (into.step as number));
    await mcp.call('step', { direction: 'forward', granularity: 'in' });
    const out = await mcp.call('step', { direction: 'forward', granularity: 'out' });
    assert.equal(out.function, 'main');
    assert.ok((out.step as number) > (into.step as number));
    await mcp.call('seek', { step: back.step as number });
    const over = await mcp.call('step', { direction: 'forward', granularity: 'line' });
    assert.equal(over.function, 'main');
    assert.ok((over.line as number) > markerLine('BP_MAIN'), 'step over open_bank goes on in main');
    const again = await mcp.call('step', { direction: 'backward', granularity: 'line' });
    assert.equal(again.line, markerLine('BP_MAIN'));
    // The start of that line; reverse step out stopped at its call instruction, at or after the start.
    assert.ok((again.step as number) <= (back.step as number));
  } finally {
    await mcp.close();
  }
});
