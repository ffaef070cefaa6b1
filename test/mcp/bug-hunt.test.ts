/**
 * The reverse-debugging demo solved by tools alone, as an agent would: run to the failed audit, read
 * the wrong balance, ask who last wrote it, and land on the stray write in remember(). The expected
 * values come from the ledger's journal in bug.c, not from a previous run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BUG_C, EXAMPLES, RewindMcp } from './mcp-client';
import { journal, markerLine } from './bug-source';

for (const file of ['bug/bug.rewind', 'bug/bug.elf']) {
  test(`continue to the failed audit and last_write of the corrupted balance find remember() (${file})`, async () => {
    const postings = journal();
    const bob = postings.filter((p) => p.account === 'BOB').reduce((sum, p) => sum + p.amount, 0);
    const alices = postings.filter((p) => p.account === 'ALICE');
    assert.ok(alices.length >= 5, 'the journal posts to Alice at least five times: her fifth posting overflows her ring of four');
    const stray = alices[4].amount;

    const mcp = await RewindMcp.start([join(EXAMPLES, file)]);
    try {
      const info = await mcp.call('info');
      assert.equal(info.step, 0);
      assert.deepEqual(info.exit, { kind: 'exit', status: 1 });
      assert.equal(info.program, 'bug.elf');

      const report = markerLine('BP_REPORT');
      const failure = await mcp.call('continue', { direction: 'forward', until: { file: 'bug.c', line: report } });
      assert.equal(failure.function, 'main');
      assert.equal(failure.file, BUG_C);
      assert.equal(failure.line, report);
      const atFailure = failure.step as number;
      assert.ok(atFailure > 0 && atFailure < (info.steps as number));

      const balance = await mcp.call('evaluate', { expression: 'bank.accounts[1].balance' });
      assert.equal(balance.value, String(stray), 'Bob\'s balance is the amount of Alice\'s fifth posting');
      assert.equal(balance.type, 'int32_t');

      const write = await mcp.call('last_write', { expression: 'bank.accounts[1].balance' });
      assert.equal(write.function, 'remember');
      assert.equal(write.file, BUG_C);
      assert.equal(write.line, markerLine('BP_CORRUPT'));
      assert.ok((write.step as number) < atFailure);
      // Just before the write: Bob's balance is still what his own postings make it; the posting is Alice's.
      assert.equal((await mcp.call('evaluate', { expression: 'bank.accounts[1].balance' })).value, String(bob));
      assert.equal((await mcp.call('evaluate', { expression: 'amount' })).value, String(stray));
      assert.equal((await mcp.call('evaluate', { expression: 'a->owner' })).value, '"alice"');
      assert.equal((await mcp.call('evaluate', { expression: 'a->next == &bank.accounts[0].recent[4]' })).value, '1');
      const stack = await mcp.call('stack');
      assert.deepEqual((stack.frames as Array<{ function: string }>).map((f) => f.function).slice(0, 3), ['remember', 'post', 'main']);
      assert.equal((await mcp.call('evaluate', { expression: 'p->amount', frame: 1 })).value, String(stray));

      // One instruction on, the store has happened.
      const after = await mcp.call('step', { direction: 'forward', granularity: 'instruction' });
      assert.equal(after.step, (write.step as number) + 1);
      assert.equal((await mcp.call('evaluate', { expression: 'bank.accounts[1].balance' })).value, String(stray));
    } finally {
      await mcp.close();
    }
  });
}
