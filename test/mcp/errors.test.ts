/**
 * Questions the recording cannot answer are tool errors with one sentence, and the server stays up to
 * answer the next question: a step past the end, an expression that names nothing, a file that is not a
 * recording, memory that is not there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EXAMPLES, RewindMcp } from './mcp-client';

test('travel past either end, names that name nothing and bad addresses are tool errors, and the session stays where it was', async () => {
  const mcp = await RewindMcp.start([join(EXAMPLES, 'bug/bug.rewind')]);
  try {
    const { steps } = await mcp.call('info');
    const last = steps as number;
    assert.match(await mcp.error('seek', { step: last + 1 }), new RegExp(`recording ends at step ${last.toLocaleString('en-US')}`));
    assert.match(await mcp.error('step', { direction: 'backward', granularity: 'instruction' }), /step 0/);
    assert.match(await mcp.error('continue', { direction: 'backward' }), /step 0/);
    await mcp.call('seek', { step: last });
    assert.match(await mcp.error('step', { direction: 'forward', granularity: 'instruction' }), /end of the recording/);
    assert.match(await mcp.error('step', { direction: 'forward', granularity: 'line' }), /end of the recording/);
    assert.match(await mcp.error('continue', { direction: 'forward' }), /end of the recording/);
    assert.equal((await mcp.call('info')).step, last, 'a failed step leaves the session where it was');

    await mcp.call('seek', { step: 1000 });
    assert.match(await mcp.error('evaluate', { expression: 'no_such_variable' }), /no_such_variable/);
    assert.match(await mcp.error('evaluate', { expression: 'bank.accounts[1].balance = 5' }), /read-only/);
    assert.match(await mcp.error('evaluate', { expression: 'bank', frame: 40 }), /no frame 40/);
    assert.match(await mcp.error('last_write', { expression: 'no_such_variable' }), /no_such_variable/);
    assert.match(await mcp.error('last_write', {}), /either "expression" or "address"/);
    assert.match(await mcp.error('read_memory', { address: 16, length: 4 }), /nothing is mapped at 0x00000010/);
    assert.match(await mcp.error('read_memory', { address: 'the stack', length: 4 }), /not an address/);
    assert.match(await mcp.error('continue', { until: { file: 'nowhere.c', line: 3 } }), /nowhere\.c:3 has no code/);
    assert.match(await mcp.error('continue', { until: { function: 'no_such_function' } }), /no function named no_such_function/);
    assert.equal((await mcp.call('info')).step, 1000);
    // Arguments of the wrong shape are refused by the schema, as tool errors too.
    const wrong = await mcp.client.callTool({ name: 'seek', arguments: { step: 'soon' } });
    assert.equal(wrong.isError, true);
  } finally {
    await mcp.close();
  }
});

test('a file that is not a recording, or no file, makes every tool say so, and info can open another', async () => {
  const notRecording = join(EXAMPLES, 'bug/bug.c');
  const mcp = await RewindMcp.start([notRecording]);
  try {
    assert.match(await mcp.error('info'), /bug\.c is not a recording Rewind can replay/);
    assert.match(await mcp.error('stack'), /is not a recording/);
    assert.match(await mcp.error('info', { open: join(EXAMPLES, 'no/such.rewind') }), /no such file/);
    const info = await mcp.call('info', { open: join(EXAMPLES, 'bug/bug.rewind') });
    assert.equal(info.program, 'bug.elf');
    assert.equal((await mcp.call('stack')).step, 0);
  } finally {
    await mcp.close();
  }
  const none = await RewindMcp.start([]);
  try {
    assert.match(await none.error('registers'), /no recording is open/);
  } finally {
    await none.close();
  }
});
