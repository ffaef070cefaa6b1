/**
 * The whole-run questions on the bug example, checked against what the program does as read from bug.c
 * itself (its journal of postings and its printf calls), not against a previous run: how often a line
 * ran, how a balance and the control total changed over the run, and what was printed when.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EXAMPLES, RewindMcp } from './mcp-client';
import { journal, lineOf, markerLine } from './bug-source';

const ACCOUNTS = ['ALICE', 'BOB', 'CAROL', 'DAVE'];
const RECENT = 4;

/** The values an account's balance takes, in order, from 0: its own postings, and the stray writes into it. */
function balances(account: string): number[] {
  const postings = journal();
  const counts = new Map<string, number>();
  const values = [0];
  let balance = 0;
  const previous = ACCOUNTS[ACCOUNTS.indexOf(account) - 1];
  for (const p of postings) {
    const n = (counts.get(p.account) ?? 0) + 1;
    counts.set(p.account, n);
    if (p.account === account) balance += p.amount;
    // remember() wraps one slot late: every fifth posting of the previous account lands on this balance.
    if (p.account === previous && n % (RECENT + 1) === 0) balance = p.amount;
    if (balance !== values[values.length - 1]) values.push(balance);
  }
  return values;
}

test('executions of a line: remember() once per posting, a statement once per account, open_bank once', async () => {
  const mcp = await RewindMcp.start([join(EXAMPLES, 'bug/bug.rewind')]);
  try {
    const remember = await mcp.call('executions', { file: 'bug.c', line: markerLine('BP_CORRUPT') });
    const steps = remember.steps as number[];
    assert.equal(steps.length, journal().length);
    assert.deepEqual(steps, [...steps].sort((a, b) => a - b), 'in the order they ran');
    const statements = await mcp.call('executions', { file: 'bug.c', line: lineOf('printf("%-6s balance') });
    assert.equal((statements.steps as number[]).length, ACCOUNTS.length);
    assert.equal(((await mcp.call('executions', { file: 'bug.c', line: markerLine('BP_MAIN') })).steps as number[]).length, 1);
    // The session has not moved, and the fifth execution of remember() is the one the stray write is in.
    assert.equal((await mcp.call('info')).step, 0);
    const alicesFifth = journal().map((p, i) => ({ ...p, i })).filter((p) => p.account === 'ALICE')[4].i;
    await mcp.call('seek', { step: steps[alicesFifth] });
    assert.equal((await mcp.call('evaluate', { expression: 'a->next == &bank.accounts[0].recent[4]' })).value, '1');
  } finally {
    await mcp.close();
  }
});

test('value_history: Bob\'s balance and the control total change exactly as the journal says', async () => {
  const mcp = await RewindMcp.start([join(EXAMPLES, 'bug/bug.rewind')]);
  try {
    const bob = await mcp.call('value_history', { expression: 'bank.accounts[1].balance' });
    const samples = bob.samples as Array<{ step: number; value: string }>;
    assert.deepEqual(samples.map((s) => Number(s.value)), balances('BOB'));
    assert.deepEqual(samples.map((s) => s.step), [...samples.map((s) => s.step)].sort((a, b) => a - b));

    const totals = [0];
    for (const p of journal()) totals.push(totals[totals.length - 1] + p.amount);
    const control = await mcp.call('value_history', { expression: 'bank.control_total' });
    assert.deepEqual((control.samples as Array<{ value: string }>).map((s) => Number(s.value)), totals);

    // The stray write is the sample where Bob's balance became Alice's fifth posting; last_write agrees.
    const stray = samples[samples.length - 1];
    await mcp.call('seek', { step: stray.step });
    const write = await mcp.call('last_write', { expression: 'bank.accounts[1].balance' });
    assert.equal(write.function, 'remember');
    assert.equal((write.step as number) + 1, stray.step, 'the sample is just after the writing instruction');
  } finally {
    await mcp.close();
  }
});

test('console_output: every line the program printed, with the step that printed it, and a range of steps', async () => {
  const mcp = await RewindMcp.start([join(EXAMPLES, 'bug/bug.rewind')]);
  try {
    const all = await mcp.call('console_output');
    const lines = all.lines as Array<{ step: number; text: string; stream: string }>;
    const total = journal().reduce((sum, p) => sum + p.amount, 0);
    const off = balances('BOB').at(-1)! - journal().filter((p) => p.account === 'BOB').reduce((s, p) => s + p.amount, 0);
    // The heading, one statement per account, the busiest account, and the audit's verdict.
    assert.equal(lines.length, 1 + ACCOUNTS.length + 1 + 1);
    assert.equal(lines[0].text, `Rewind Savings: ${journal().length} postings, control total ${total}`);
    assert.match(lines[1].text, /^alice +balance/);
    assert.equal(lines.at(-1)!.text, `AUDIT FAILED: balances are off by ${off}`);
    assert.deepEqual(lines.map((l) => l.step), [...lines.map((l) => l.step)].sort((a, b) => a - b));
    const info = await mcp.call('info');
    assert.ok(lines.every((l) => l.step > 0 && l.step <= (info.steps as number)));

    const middle = await mcp.call('console_output', { from: lines[1].step, to: lines[4].step });
    assert.deepEqual((middle.lines as Array<{ text: string }>).map((l) => l.text), lines.slice(1, 5).map((l) => l.text));
    assert.match(await mcp.error('console_output', { from: 10, to: 5 }), /from/);
  } finally {
    await mcp.close();
  }
});
