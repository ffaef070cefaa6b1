/**
 * gdb-multiarch, the real client, time-travelling through a recording of examples/bug: the demo
 * session of the README (break at the failed audit, watch the wrong balance, reverse-continue to the
 * stray write), then the reverse stepping commands, each checked against where the program really was.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EXAMPLES, exampleElf, recordToFile, startStub, Stub } from './stub-fixture';
import { mark, runGdb, sections } from './gdb-batch';
import { lineOf, markerLine } from './markers';

const SOURCE = join(EXAMPLES, 'bug', 'bug.c');
let stub: Stub;

before(async () => {
  stub = await startStub(recordToFile(exampleElf('bug')));
});
after(() => stub.close());

test('break, continue, watch, reverse-continue: stops at the stray write with the old and new balance', async () => {
  const report = markerLine(SOURCE, 'BP_REPORT');
  const corrupt = markerLine(SOURCE, 'BP_CORRUPT');
  const out = await runGdb(exampleElf('bug'), stub.port, [
    `break bug.c:${report}`, 'continue', mark('at-report'), 'print bank.accounts[1].balance',
    'watch bank.accounts[1].balance', mark('reverse-continue'), 'reverse-continue', mark('where'), 'bt', 'x/i $pc', 'print amount',
    'print bank.accounts[1].balance', 'monitor info replay',
  ]);
  const s = sections(out);
  assert.match(s.get('at-report')!, /\$1 = -35/, out);
  assert.match(out, new RegExp(`Breakpoint 1, main \\(\\) at \\./bug\\.c:${report}`), out);
  assert.match(s.get('reverse-continue')!, /Hardware watchpoint 2: bank\.accounts\[1\]\.balance\s+Old value = -35\s+New value = 100/, out);
  assert.match(s.get('reverse-continue')!, new RegExp(`remember \\(.*amount=-35\\) at \\./bug\\.c:${corrupt}`), out);
  const where = s.get('where')!;
  // At the store itself, about to write: the same place QEMU's convention leads gdb to.
  assert.match(where, /#0 +0x[0-9a-f]+ in remember/);
  assert.match(where, /=> 0x[0-9a-f]+ <remember\+\d+>:\s+sw\s/);
  assert.match(where, /#1 .* post /);
  assert.match(where, /#2 .* main \(\)/);
  assert.match(where, /\$2 = -35/);
  assert.match(where, /\$3 = 100/, 'before the stray write, Bob still has his 100');
  // The step gdb sees is the engine's: the one just before the store.
  const count = Number(/instruction count = (\d+)/.exec(where)![1]);
  assert.equal(count, stub.engine.step);
});

test('reverse-stepi, reverse-finish, reverse-next and reverse-step land where the program was', async () => {
  const corrupt = markerLine(SOURCE, 'BP_CORRUPT');
  const callRemember = lineOf(SOURCE, 'remember(a, p->amount);');
  const callPost = lineOf(SOURCE, 'post(&bank, &journal[i]);');
  const loop = lineOf(SOURCE, 'for (uint32_t i = 0; i < JOURNAL_LEN; i++)');
  const out = await runGdb(exampleElf('bug'), stub.port, [
    'monitor replay-seek 0', 'maintenance flush register-cache',
    `break bug.c:${corrupt}`, 'continue', 'continue', mark('second-remember'), 'print amount', 'info registers pc', 'delete',
    mark('reverse-stepi'), 'reverse-stepi', 'info registers pc', 'bt 1',
    mark('reverse-finish'), 'reverse-finish', 'bt 1',
    mark('reverse-next'), 'reverse-next', 'bt 1',
    mark('reverse-step'), 'reverse-step', 'bt 1', 'print p->amount',
  ]);
  const s = sections(out);
  assert.match(s.get('second-remember')!, /\$1 = 120/, 'the second posting is Bob\'s 120');
  const pcAtRemember = parseInt(/^pc\s+0x([0-9a-f]+)/m.exec(s.get('second-remember')!)![1], 16);
  // One instruction back from remember's first instruction: the call in post.
  const pcAfter = parseInt(/^pc\s+0x([0-9a-f]+)/m.exec(s.get('reverse-stepi')!)![1], 16);
  assert.notEqual(pcAfter, pcAtRemember);
  assert.match(s.get('reverse-stepi')!, new RegExp(`#0 .*post \\(.*journal\\+8.*bug\\.c:${callRemember}`), out);
  // reverse-finish from post: back to where main called it.
  assert.match(s.get('reverse-finish')!, new RegExp(`#0 .*main \\(\\) at \\./bug\\.c:${callPost}`), out);
  // reverse-next: the line before, in main (the loop header).
  assert.match(s.get('reverse-next')!, new RegExp(`#0 +main \\(\\) at \\./bug\\.c:${loop}`), out);
  // reverse-step from the loop header: into the previous call of post, at its end; the first posting.
  assert.match(s.get('reverse-step')!, /#0 .*post \(.*p=p@entry=0x[0-9a-f]+ <journal>\)/, out);
  assert.match(s.get('reverse-step')!, /\$2 = 500/, out);
});

test('reverse-step into a function goes to its last line; reverse-next over it stays in the caller', async () => {
  const main = markerLine(SOURCE, 'BP_MAIN');
  const out = await runGdb(exampleElf('bug'), stub.port, [
    'monitor replay-seek 0', 'maintenance flush register-cache',
    `break bug.c:${main}`, 'continue', 'next', mark('after-open-bank'), 'bt 1', 'delete',
    mark('reverse-step'), 'reverse-step', 'bt 1', 'info line *$pc',
    mark('forward-again'), 'finish',
    mark('reverse-next'), 'reverse-next', 'bt 1', 'info line *$pc',
  ]);
  const s = sections(out);
  assert.match(s.get('after-open-bank')!, /#0 +main \(\)/, out);
  // Stepping back from the line after open_bank(&bank) enters open_bank at its end.
  assert.match(s.get('reverse-step')!, /#0 .*open_bank \(/, out);
  assert.match(s.get('reverse-next')!, new RegExp(`Line ${main} of "\\./bug\\.c"`), out);
  assert.match(s.get('reverse-next')!, /#0 +main \(\)/, out);
});
